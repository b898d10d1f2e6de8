package httpserver

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/httpserver-go/httpserver/internal/benchpeer"
)

// quietNetHTTP is NetHTTPHandler without the access log, as the
// benchmark server runs it (net/http logs nothing either).
type quietNetHTTP struct{ NetHTTPHandler }

func (h *quietNetHTTP) LogRequest(code int, size ...int) {}

func quietNetHTTPClass(h http.Handler) HandlerClass {
	return func() Handler { return &quietNetHTTP{NetHTTPHandler{Handler: h}} }
}

// serveNetHTTPLoop serves n requests over one loopConn with net/http's
// own server, as serveLoop does with this package's.
func serveNetHTTPLoop(h http.Handler, req string, n int) *loopConn {
	c := &loopConn{req: []byte(req), left: n, off: len(req)}
	l := &oneConnListener{c: c, done: make(chan struct{})}
	srv := &http.Server{Handler: h, ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			l.once.Do(func() { close(l.done) })
		}
	}}
	go srv.Serve(l)
	<-l.done
	srv.Close()
	return c
}

// peerTree makes the benchmark's 4 KiB file.
func peerTree(tb testing.TB) string {
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "4k.bin"), make([]byte, 4096), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

const file4KRequest = "GET /4k.bin HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"

// BenchmarkFromNetHTTPHelloKeepAlive is BenchmarkNetHTTPHelloKeepAlive's
// request through the net/http peer's mux on this package's server.
func BenchmarkFromNetHTTPHelloKeepAlive(b *testing.B) {
	class := quietNetHTTPClass(benchpeer.Mux(b.TempDir()))
	per := serveLoop(b, class, helloRequest, 1).written
	b.ReportAllocs()
	b.ResetTimer()
	if c := serveLoop(b, class, helloRequest, b.N); c.written != int64(b.N)*per {
		b.Fatalf("wrote %d bytes for %d requests, want %d each", c.written, b.N, per)
	}
}

// BenchmarkNetHTTPMuxHelloKeepAlive is the same through net/http's server.
func BenchmarkNetHTTPMuxHelloKeepAlive(b *testing.B) {
	h := benchpeer.Mux(b.TempDir())
	b.ReportAllocs()
	b.ResetTimer()
	serveNetHTTPLoop(h, helloRequest, b.N)
}

// BenchmarkFromNetHTTPFile4K is a 4 KiB file through http.FileServer on
// this package's server.
func BenchmarkFromNetHTTPFile4K(b *testing.B) {
	class := quietNetHTTPClass(benchpeer.Mux(peerTree(b)))
	b.ReportAllocs()
	b.ResetTimer()
	serveLoop(b, class, file4KRequest, b.N)
}

// BenchmarkNetHTTPFile4K is the same through net/http's server.
func BenchmarkNetHTTPFile4K(b *testing.B) {
	h := benchpeer.Mux(peerTree(b))
	b.ReportAllocs()
	b.ResetTimer()
	serveNetHTTPLoop(h, file4KRequest, b.N)
}

// TestFromNetHTTPAllocations guards the adapter's promise: a request
// through FromNetHTTP allocates no more than the same request through
// net/http's server, for the peer's hello handler and a 4 KiB file.
func TestFromNetHTTPAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counting (not under -short or -race)")
	}
	for _, tc := range []struct{ name, req string }{{"hello", helloRequest}, {"file-4k", file4KRequest}} {
		mux := benchpeer.Mux(peerTree(t))
		class := quietNetHTTPClass(mux)
		perRequest := func(serve func(n int)) float64 {
			serve(50) // warm the pools
			count := func(n int) float64 { return testing.AllocsPerRun(5, func() { serve(n) }) }
			return (count(2000) - count(1000)) / 1000
		}
		ours := perRequest(func(n int) { serveLoop(t, class, tc.req, n) })
		theirs := perRequest(func(n int) { serveNetHTTPLoop(mux, tc.req, n) })
		t.Logf("%s: %.2f allocations per request through FromNetHTTP, %.2f through net/http", tc.name, ours, theirs)
		if ours > theirs {
			t.Errorf("%s: %.2f allocations per request through FromNetHTTP, more than net/http's %.2f", tc.name, ours, theirs)
		}
	}
}
