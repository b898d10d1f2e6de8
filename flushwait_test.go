package httpserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// pathHandler answers every GET with its path; /slow first sleeps, and
// /big/N answers bigBody(N).
type pathHandler struct{ httpserver.BaseHandler }

func (h *pathHandler) DoGET() {
	if h.Path == "/slow" {
		time.Sleep(30 * time.Millisecond)
	}
	if n, ok := strings.CutPrefix(h.Path, "/big/"); ok {
		body := bigBody(n)
		h.SendResponse(200)
		h.SendHeader("Content-Length", strconv.Itoa(len(body)))
		h.EndHeaders()
		io.WriteString(h.Wfile, body)
		return
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

// bigBody is /big/n's body: 12 KiB, within what the connection sends
// in one write, different for every n.
func bigBody(n string) string {
	return strings.Repeat(fmt.Sprintf("%-15s\n", n), 12<<10/16)
}

// A flush and wait that finds the socket's send buffer full sends what
// it can and leaves the rest to a write that waits: a client that sends
// requests one at a time but reads nothing until the last (and so lets
// the server's buffers fill) gets every response whole, in order.
func TestFlushWaitFullSocket(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		return &pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	})
	c := dialRaw(t, ts.addr)
	c.nc.SetReadBuffer(64 << 10) // with the server's send buffer (at most 4 MiB by default), well under
	const requests = 1000        // 12 MiB of responses
	for i := range requests {
		c.send(fmt.Sprintf("GET /big/%d HTTP/1.1\r\nHost: a\r\n\r\n", i))
		time.Sleep(500 * time.Microsecond) // each request in its own packet, after the answer before
	}
	br := bufio.NewReader(c.nc)
	for i := range requests {
		c.nc.SetReadDeadline(time.Now().Add(ioLimit))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("reading response %d: %v", i, err)
		}
		body, err := io.ReadAll(resp.Body)
		if want := bigBody(strconv.Itoa(i)); err != nil || string(body) != want {
			t.Fatalf("response %d: %d bytes beginning %.16q (%v), want %d beginning %.16q", i, len(body), body, err, len(want), want)
		}
	}
	c.nc.Close()
	if log := ts.stop(); strings.Contains(log, "code 4") || strings.Contains(log, "code 5") {
		t.Errorf("server logged an error:\n%s", log)
	}
}

// A client that resets its kept-alive connection while the server waits
// for its next request ends that connection only: nothing is logged but
// the requests, and the server answers the next client.
func TestFlushWaitClientResets(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		return &pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	})
	for i := range 3 {
		c := dialRaw(t, ts.addr)
		br := bufio.NewReader(c.nc)
		c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n")
		c.nc.SetReadDeadline(time.Now().Add(ioLimit))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		io.ReadAll(resp.Body)
		time.Sleep(5 * time.Millisecond) // the server waits for the next
		c.nc.SetLinger(0)
		c.nc.Close() // RST
	}
	time.Sleep(20 * time.Millisecond)
	if log := ts.stop(); strings.Count(log, "\n") != 3 || strings.Count(log, `"GET /first HTTP/1.1" 200 -`) != 3 {
		t.Errorf("server log:\n%s\nwant three request lines and nothing else", log)
	}
}

// countingConn counts what passes through it.
type countingConn struct {
	net.Conn
	read, written *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

// countingHandler's Setup puts a countingConn over the socket.
type countingHandler struct {
	pathHandler
	read, written *atomic.Int64
}

func (h *countingHandler) Setup() {
	h.Conn = countingConn{h.Conn, h.read, h.written}
	h.pathHandler.Setup()
}

// A Setup that puts a net.Conn of its own over the socket sees every byte
// of a kept-alive connection pass through it, the flushes and reads
// around the waits for requests included.
func TestFlushWaitThroughSetupConn(t *testing.T) {
	var read, written atomic.Int64
	ts := serve(t, func() httpserver.Handler {
		return &countingHandler{pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}, &read, &written}
	})
	c := dialRaw(t, ts.addr)
	var received atomic.Int64
	br := bufio.NewReader(countingConn{c.nc, &received, nil})
	var sent int64
	for i := range 20 {
		req := fmt.Sprintf("GET /%d HTTP/1.1\r\nHost: a\r\n\r\n", i)
		c.send(req)
		sent += int64(len(req))
		c.nc.SetReadDeadline(time.Now().Add(ioLimit))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.ReadAll(resp.Body)
		time.Sleep(time.Millisecond) // the server waits for the next
	}
	c.nc.Close()
	ts.stop()
	if n := read.Load(); n != sent {
		t.Errorf("the Setup's conn read %d bytes, the client sent %d", n, sent)
	}
	if n, want := written.Load(), received.Load()-int64(br.Buffered()); n != want {
		t.Errorf("the Setup's conn wrote %d bytes, the client received %d", n, want)
	}
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
