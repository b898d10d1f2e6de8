package httpserver_test

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// pathHandler answers every GET with its path; /slow first sleeps.
type pathHandler struct{ httpserver.BaseHandler }

func (h *pathHandler) DoGET() {
	if h.Path == "/slow" {
		time.Sleep(30 * time.Millisecond)
	}
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(len(h.Path)))
	h.EndHeaders()
	io.WriteString(h.Wfile, h.Path)
}

// DoPOST answers with the body it read.
func (h *pathHandler) DoPOST() {
	n, _ := strconv.Atoi(h.Headers.Get("Content-Length"))
	body := make([]byte, n)
	if _, err := io.ReadFull(h.Rfile, body); err != nil {
		h.SendError(400, err.Error())
		return
	}
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(n))
	h.EndHeaders()
	h.Wfile.Write(body)
}

// A request that arrives while the one before it is being answered
// (pipelining, in its own packet) must not wait for the connection's idle
// sweep: the wait for it, which begins after it arrived, ends within
// flushWaitRescue and the read finds it. Without the rescue the request
// would wait for the sweep (a quarter of a second and more).
func TestFlushWaitPipelinedWhileAnswering(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		return &pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	})
	c := dialRaw(t, ts.addr)
	br := bufio.NewReader(c.nc)
	read := func(want string) time.Time {
		t.Helper()
		c.nc.SetReadDeadline(time.Now().Add(ioLimit))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("reading the response to %s: %v", want, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil || string(body) != want {
			t.Fatalf("response body %q, %v; want %q", body, err, want)
		}
		return time.Now()
	}
	const slowest = 200 * time.Millisecond // the sweep takes 250 ms at least
	for i := range 5 {
		c.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
		time.Sleep(10 * time.Millisecond) // the server is answering /slow
		c.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
		first := read("/slow")
		if late := read("/fast").Sub(first); late > slowest {
			t.Errorf("round %d: the pipelined request was answered %v after the one before, want less than %v", i, late, slowest)
		}
	}
	c.nc.Close()
}

// After a flush and wait, the reads keep its rescue deadline while they
// can: a request whose head, or body, comes in pieces well after it
// still reads whole.
func TestFlushWaitSlowRequestAfter(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		return &pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	})
	c := dialRaw(t, ts.addr)
	br := bufio.NewReader(c.nc)
	read := func(want string) {
		t.Helper()
		c.nc.SetReadDeadline(time.Now().Add(ioLimit))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("reading the response: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != want {
			t.Fatalf("response %d %q, want 200 %q", resp.StatusCode, body, want)
		}
	}
	for range 3 {
		c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n")
		read("/first")
		time.Sleep(20 * time.Millisecond)
		c.send("POST /echo HTTP/1.1\r\nHost: a\r\n")
		time.Sleep(20 * time.Millisecond)
		c.send("Content-Length: 5\r\n\r\n")
		time.Sleep(20 * time.Millisecond)
		c.send("hello")
		read("hello")
	}
}
