// Command custom-method answers a method of its own, SPAM, by echoing the
// request body: any token works as a method once the handler has a method
// named Do + the token, as do_SPAM does in Python. Other methods get
// Python's 501 Unsupported method.
//
//	go run ./examples/custom-method -addr 127.0.0.1:8000
//	curl -X SPAM --data-binary 'eggs' http://127.0.0.1:8000/
//	curl -X EGGS http://127.0.0.1:8000/     # 501 Unsupported method ('EGGS')
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/httpserver-go/httpserver"
)

// Spam answers SPAM requests on kept-alive HTTP/1.1 connections.
type Spam struct{ httpserver.BaseHandler }

// DoSPAM echoes the body back, with the reason phrase "Spam OK".
func (h *Spam) DoSPAM() {
	n, err := strconv.Atoi(h.Headers.Get("Content-Length"))
	if err != nil || n < 0 || n > 1<<20 {
		h.SendError(411, "SPAM needs a Content-Length of at most 1 MiB")
		return
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(h.Rfile, body); err != nil {
		h.CloseConnection = true
		return
	}
	h.SendResponse(200, "Spam OK")
	h.SendHeader("Content-Type", "application/octet-stream")
	h.SendHeader("Content-Length", strconv.Itoa(n))
	h.EndHeaders()
	h.Wfile.Write(body)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on (port 0 picks a free port)")
	flag.Parse()

	class := func() httpserver.Handler {
		return &Spam{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	}
	srv, err := httpserver.NewThreadingHTTPServer(*addr, class)
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
