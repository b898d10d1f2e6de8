// Package benchpeer holds the net/http peer's handlers of the benchmark
// harness (../shared/bench/peers/cmd/nethttp), line for line, so that the
// benchmark server and the package's benchmarks run the same ones.
package benchpeer

import (
	"net/http"
	"strconv"
)

// Mux is the peer's handler: /hello answers the 13 bytes "Hello, world!"
// with Content-Type and Content-Length set; everything else is
// http.FileServer on root.
func Mux(root string) http.Handler {
	hello := []byte("Hello, world!")
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/plain"}
		h["Content-Length"] = []string{strconv.Itoa(len(hello))}
		w.Write(hello)
	})
	mux.Handle("/", http.FileServer(http.Dir(root)))
	return mux
}
