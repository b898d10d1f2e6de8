// Command fileserver serves a directory as python -m http.server does,
// with one change made the way a Python subclass would make it: text files
// are announced as UTF-8.
//
//	go run ./examples/fileserver -dir . -addr 127.0.0.1:8000
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/httpserver-go/httpserver"
)

// fileServer is a SimpleHandler with its own GuessType. SimpleHandler
// calls GuessType through the outermost value, so this one is used.
type fileServer struct {
	httpserver.SimpleHandler
}

// GuessType adds "charset=utf-8" to the text types SimpleHandler finds.
func (f *fileServer) GuessType(path string) string {
	t := f.SimpleHandler.GuessType(path)
	if strings.HasPrefix(t, "text/") && !strings.Contains(t, "charset=") {
		t += "; charset=utf-8"
	}
	return t
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on")
	dir := flag.String("dir", ".", "directory to serve")
	flag.Parse()

	srv, err := httpserver.NewThreadingHTTPServer(*addr, func() httpserver.Handler {
		return &fileServer{httpserver.SimpleHandler{
			BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
			Directory:   *dir,
		}}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("Serving %s on http://%s/ ...\n", *dir, srv.ServerAddress)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() {
		<-stop
		srv.Shutdown()
	}()
	srv.ServeForever()
	srv.ServerClose()
}
