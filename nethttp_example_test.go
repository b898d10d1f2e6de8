package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/httpserver-go/httpserver"
)

// net/http handlers on this package's server: a ServeMux with a pattern
// and middleware, unchanged. The access log is Python's line for each
// request, here discarded with the server's Stderr.
func ExampleFromNetHTTP() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello, %s!\n", r.PathValue("name"))
	})
	withHeader := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Served-By", "httpserver")
			next.ServeHTTP(w, r)
		})
	}
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.FromNetHTTP(withHeader(mux)))
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/hello/gopher", srv.ServerPort))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("X-Served-By"), resp.ContentLength)
	fmt.Print(string(body))
	// Output:
	// 200 OK httpserver 15
	// Hello, gopher!
}

// A do-method handler inside a net/http server, behind a ServeMux route.
// Quiet's LogMessage override receives the request's log line, as on this
// package's own servers.
func ExampleToNetHTTP() {
	mux := http.NewServeMux()
	mux.Handle("/hello", httpserver.ToNetHTTP(httpserver.Class[Quiet]()))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/hello")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"), string(body))
	// Output:
	// log: "GET /hello HTTP/1.1" 200 -
	// 200 OK text/plain Hello, world!
}
