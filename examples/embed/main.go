// Command embed is a binary that serves its own embedded site: the files
// under site/ are compiled into it with //go:embed and served by a
// SimpleHandler through its FS field, index page, listings and all, as
// python -m http.server would serve the same directory (without
// Last-Modified: an embed.FS keeps no modification times).
//
//	go run ./examples/embed -addr 127.0.0.1:8000
//	curl http://127.0.0.1:8000/files/
//
// It prints where it listens, as python -m http.server does, and logs each
// request on stderr. Ctrl-C stops it.
package main

import (
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/httpserver-go/httpserver"
)

// site holds the files under site/.
//
//go:embed site
var site embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on (port 0 picks a free port)")
	flag.Parse()

	root, err := fs.Sub(site, "site") // serve site/ as the root
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv, err := httpserver.NewThreadingHTTPServer(*addr, func() httpserver.Handler {
		return &httpserver.SimpleHandler{
			BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
			FS:          root,
		}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	host, _, _ := net.SplitHostPort(srv.ServerAddress.String())
	fmt.Printf("Serving HTTP on %s port %d (http://%s/) ...\n", host, srv.ServerPort, srv.ServerAddress)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		fmt.Println("\nKeyboard interrupt received, exiting.")
		srv.Shutdown()
	}()
	srv.ServeForever()
	srv.ServerClose()
}
