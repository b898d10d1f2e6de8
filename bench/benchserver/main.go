// Command benchserver is this library's entry in the benchmark harness of
// ../shared/bench: it listens on 127.0.0.1:--port, answers GET /hello with
// the 13 bytes "Hello, world!" from a custom DoGET, and serves everything
// else from --root through SimpleHandler, with HTTP/1.1 keep-alive.
//
//	go build -o /tmp/benchserver ./bench/benchserver
//	../shared/bench/run.sh --vs 'httpserver=/tmp/benchserver --port {PORT} --root {ROOT}' nethttp
//
// Request logging is off unless --log is given, as net/http's peer does
// not log either.
//
// With --nethttp it serves the net/http peer's own handlers instead (its
// mux: /hello as a HandlerFunc, everything else http.FileServer) through
// FromNetHTTP, to compare net/http's server with this one on the same
// net/http handlers:
//
//	../shared/bench/run.sh --vs 'fromnethttp=/tmp/benchserver --nethttp --port {PORT} --root {ROOT}' nethttp
package main

import (
	"flag"
	"log"
	"net"
	"strconv"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/benchpeer"
)

// bench serves /hello itself and hands every other path to SimpleHandler.
type bench struct {
	httpserver.SimpleHandler
	quiet bool
}

func (h *bench) DoGET() {
	if h.Path != "/hello" {
		h.SimpleHandler.DoGET()
		return
	}
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", "13")
	h.EndHeaders()
	h.Wfile.WriteString("Hello, world!")
}

// LogRequest logs only with --log.
func (h *bench) LogRequest(code int, size ...int) {
	if !h.quiet {
		h.SimpleHandler.LogRequest(code, size...)
	}
}

// netHTTP runs the peer's mux; it logs only with --log.
type netHTTP struct {
	httpserver.NetHTTPHandler
	quiet bool
}

// LogRequest logs only with --log.
func (h *netHTTP) LogRequest(code int, size ...int) {
	if !h.quiet {
		h.NetHTTPHandler.LogRequest(code, size...)
	}
}

func main() {
	port := flag.Int("port", 8080, "port to listen on (127.0.0.1)")
	root := flag.String("root", ".", "directory to serve")
	logRequests := flag.Bool("log", false, "log every request to stderr, as Python does")
	netHTTPMux := flag.Bool("nethttp", false, "serve the net/http peer's handlers through FromNetHTTP")
	flag.Parse()

	class := func() httpserver.Handler {
		return &bench{
			SimpleHandler: httpserver.SimpleHandler{
				BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
				Directory:   *root,
			},
			quiet: !*logRequests,
		}
	}
	if *netHTTPMux {
		mux := benchpeer.Mux(*root)
		class = func() httpserver.Handler {
			return &netHTTP{NetHTTPHandler: httpserver.NetHTTPHandler{Handler: mux}, quiet: !*logRequests}
		}
	}
	srv, err := httpserver.NewThreadingHTTPServer(net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)), class)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.ServeForever())
}
