package httpserver

import (
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The benchmarks here measure the server's own work per request: they run
// a real handler loop over an in-memory connection, so no system call, no
// scheduler hand-off and no network stack is in the numbers. The load
// harness (bench/README.md) measures the whole server against net/http.

// helloHandler is the benchmark handler of bench/benchserver: a 13-byte
// text/plain answer with Content-Length, request logging off.
type helloHandler struct{ BaseHandler }

func (h *helloHandler) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", "13")
	h.EndHeaders()
	h.Wfile.WriteString("Hello, world!")
}

func (h *helloHandler) LogRequest(code int, size ...int) {}

func helloClass() Handler {
	return &helloHandler{BaseHandler{ProtocolVersion: "HTTP/1.1"}}
}

// wrk's request: what the load harness sends.
const helloRequest = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"

// loopConn is an in-memory connection that hands the server the same
// request n times, then end of input, and counts what the server writes.
type loopConn struct {
	req     []byte
	left    int // requests still to hand out
	off     int
	written int64
}

func (c *loopConn) Read(p []byte) (int, error) {
	if c.off == len(c.req) {
		if c.left == 0 {
			return 0, io.EOF
		}
		c.left--
		c.off = 0
	}
	n := copy(p, c.req[c.off:])
	c.off += n
	return n, nil
}

func (c *loopConn) Write(p []byte) (int, error) { c.written += int64(len(p)); return len(p), nil }

func (c *loopConn) Close() error        { return nil }
func (c *loopConn) LocalAddr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }
func (c *loopConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *loopConn) SetDeadline(t time.Time) error      { return nil }
func (c *loopConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *loopConn) SetWriteDeadline(t time.Time) error { return nil }

// serveLoop runs class over one loopConn carrying n requests, on the
// calling goroutine, and returns the connection. With keepAll, the server
// keeps descriptors and listings however recently the files changed.
func serveLoop(tb testing.TB, class HandlerClass, req string, n int, keepAll ...bool) *loopConn {
	s := &HTTPServer{RequestHandlerClass: class, Stderr: io.Discard}
	s.HandleError = func(_ net.Conn, _ net.Addr, err error) { tb.Fatal(err) }
	if len(keepAll) > 0 && keepAll[0] {
		s.snapshots().minAge = 0
	}
	c := &loopConn{req: []byte(req), left: n, off: len(req)}
	tc := s.track(c, nil)
	s.handleConn(tc)
	s.untrack(tc)
	return c
}

// BenchmarkHelloKeepAlive is one kept-alive request of the hello handler:
// read and parse the request, dispatch, write the response.
func BenchmarkHelloKeepAlive(b *testing.B) {
	per := serveLoop(b, helloClass, helloRequest, 1).written
	b.ReportAllocs()
	b.ResetTimer()
	c := serveLoop(b, helloClass, helloRequest, b.N)
	if c.written != int64(b.N)*per {
		b.Fatalf("wrote %d bytes for %d requests, want %d each", c.written, b.N, per)
	}
}

// BenchmarkNetHTTPHelloKeepAlive is the same request and answer through
// net/http's server over the same in-memory connection, for comparison.
func BenchmarkNetHTTPHelloKeepAlive(b *testing.B) {
	b.ReportAllocs()
	hello := []byte("Hello, world!")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr["Content-Type"] = []string{"text/plain"}
		hdr["Content-Length"] = []string{"13"}
		w.Write(hello)
	})
	serveNetHTTPLoop(h, helloRequest, b.N)
}

// oneConnListener hands out one connection, then blocks until closed.
type oneConnListener struct {
	c    net.Conn
	sent bool
	done chan struct{}
	once sync.Once
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if !l.sent {
		l.sent = true
		return l.c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}
func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.c.LocalAddr() }

// BenchmarkParseRequest parses wrk's request line and headers.
func BenchmarkParseRequest(b *testing.B) {
	b.ReportAllocs()
	bh := &BaseHandler{ProtocolVersion: "HTTP/1.1"}
	// b.N is not known before b.Loop: hand out requests for as long as asked.
	c := &loopConn{req: []byte(helloRequest), left: math.MaxInt, off: len(helloRequest)}
	bh.Conn = c
	bh.Setup()
	for b.Loop() {
		bh.c.head = bh.c.head[:0]
		bh.c.readRequestLine()
		bh.c.startHead()
		if !bh.ParseRequest() {
			b.Fatal("ParseRequest failed")
		}
	}
}

// BenchmarkWriteHeaders is SendResponse, two headers and EndHeaders.
func BenchmarkWriteHeaders(b *testing.B) {
	b.ReportAllocs()
	h := &helloHandler{BaseHandler{ProtocolVersion: "HTTP/1.1", RequestVersion: "HTTP/1.1", RequestLine: "GET /hello HTTP/1.1"}}
	h.self = h
	h.Conn = &loopConn{}
	h.Setup()
	for b.Loop() {
		h.SendResponse(200)
		h.SendHeader("Content-Type", "text/plain")
		h.SendHeader("Content-Length", "13")
		h.EndHeaders()
		h.Wfile.Reset(io.Discard)
	}
}

// TestHelloAllocations guards the allocation budget of a kept-alive hello
// request: the request's one string (line and headers) and its header
// slice, nothing else. It counts the difference between connections of
// 2000 and 1000 requests, so what a connection costs once is left out.
func TestHelloAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counting (not under -short or -race)")
	}
	serveLoop(t, helloClass, helloRequest, 50) // warm the pools and the date cache
	count := func(n int) float64 {
		return testing.AllocsPerRun(5, func() { serveLoop(t, helloClass, helloRequest, n) })
	}
	perRequest := (count(2000) - count(1000)) / 1000
	// A request allocates a whole number of times; goroutines left by
	// other tests can add a few allocations to the process-wide count, so
	// anything that rounds to 2 passes and a third allocation fails.
	if perRequest > 2.5 {
		t.Errorf("%.2f allocations per kept-alive hello request, want at most 2", perRequest)
	}
}

// BenchmarkSimpleFile4K serves a 4 KiB file through SimpleHandler: each
// request opens and reads the file (it changed too recently to be kept
// open).
func BenchmarkSimpleFile4K(b *testing.B) { benchmarkFile4K(b, false) }

// BenchmarkSimpleFile4KKept serves the same file through the descriptor
// the connection keeps, after a stat per request, as a file unchanged for
// a few seconds is.
func BenchmarkSimpleFile4KKept(b *testing.B) { benchmarkFile4K(b, true) }

func benchmarkFile4K(b *testing.B, keep bool) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "4k.bin"), make([]byte, 4096), 0o644); err != nil {
		b.Fatal(err)
	}
	class := func() Handler {
		return &quietSimple{SimpleHandler{BaseHandler: BaseHandler{ProtocolVersion: "HTTP/1.1"}, Directory: dir}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	serveLoop(b, class, "GET /4k.bin HTTP/1.1\r\nHost: x\r\n\r\n", b.N, keep)
}

// BenchmarkListDirectory1K lists a directory of 1000 files, reading it
// for every request.
func BenchmarkListDirectory1K(b *testing.B) { benchmarkListing1K(b, false) }

// BenchmarkListDirectory1KSnapshot lists it from its snapshot.
func BenchmarkListDirectory1KSnapshot(b *testing.B) { benchmarkListing1K(b, true) }

func benchmarkListing1K(b *testing.B, snapshot bool) {
	dir := b.TempDir()
	sub := filepath.Join(dir, "listing")
	os.Mkdir(sub, 0o755)
	for i := range 1000 {
		os.WriteFile(filepath.Join(sub, "file-"+strconv.Itoa(i)+".txt"), nil, 0o644)
	}
	class := func() Handler {
		return &quietSimple{SimpleHandler{BaseHandler: BaseHandler{ProtocolVersion: "HTTP/1.1"}, Directory: dir}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	serveLoop(b, class, "GET /listing/ HTTP/1.1\r\nHost: x\r\n\r\n", b.N, snapshot)
}

type quietSimple struct{ SimpleHandler }

func (h *quietSimple) LogRequest(code int, size ...int) {}

// BenchmarkTranslatePath translates a typical request path.
func BenchmarkTranslatePath(b *testing.B) {
	h := &SimpleHandler{Directory: "/srv/www"}
	b.ReportAllocs()
	for b.Loop() {
		h.TranslatePath("/docs/guide/getting%20started.html?x=1")
	}
}

// BenchmarkGuessType looks up a common extension.
func BenchmarkGuessType(b *testing.B) {
	h := &SimpleHandler{}
	h.GuessType("warm.html")
	b.ReportAllocs()
	for b.Loop() {
		h.GuessType("/srv/www/docs/index.html")
	}
}

// BenchmarkReadDir1K is the part of a listing that is the file system's:
// reading the names and types of 1000 entries.
func BenchmarkReadDir1K(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		os.WriteFile(filepath.Join(dir, "file-"+strconv.Itoa(i)+".txt"), nil, 0o644)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := os.ReadDir(dir); err != nil {
			b.Fatal(err)
		}
	}
}
