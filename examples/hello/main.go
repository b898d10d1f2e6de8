// Command hello serves "Hello, world!" to every GET, the handler of the
// package documentation on a ThreadingHTTPServer:
//
//	go run ./examples/hello -addr 127.0.0.1:8000
//	curl http://127.0.0.1:8000/
//
// It prints where it listens, as python -m http.server does, and logs each
// request on stderr. Ctrl-C stops it.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/httpserver-go/httpserver"
)

// Hello answers GET, as a BaseHTTPRequestHandler subclass with do_GET.
type Hello struct{ httpserver.BaseHandler }

// DoGET sends the greeting.
func (h *Hello) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", "13")
	h.EndHeaders()
	h.Wfile.WriteString("Hello, world!")
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on (port 0 picks a free port)")
	flag.Parse()

	srv, err := httpserver.NewThreadingHTTPServer(*addr, httpserver.Class[Hello]())
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
