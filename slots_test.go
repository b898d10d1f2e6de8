package httpserver_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// TestMaxConnsIdleGiveWay checks that with MaxConns kept-alive
// connections open and idle between requests, a new client is served at
// once: the connection idle longest is closed and gives up its slot,
// while the others stay open and usable.
func TestMaxConnsIdleGiveWay(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.MaxConns = 3 })
	var idle []*rawConn
	for _, path := range []string{"/oldest", "/middle", "/newest"} {
		c := dialRaw(t, ts.addr)
		c.send(getReq(path))
		if got := summarize(readResponse(t, c)); got != okAnswer("GET "+path) {
			t.Fatalf("%s: %q", path, got)
		}
		idle = append(idle, c)
		time.Sleep(20 * time.Millisecond) // distinct idle times
	}
	newcomer := dialRaw(t, ts.addr)
	start := time.Now()
	newcomer.send(getReq("/new"))
	if got := summarize(readResponse(t, newcomer)); got != okAnswer("GET /new") {
		t.Fatalf("the new client: %q", got)
	}
	elapsed := time.Since(start)
	t.Logf("the new client was answered %v after its request, all slots held by idle connections", elapsed)
	if elapsed > time.Second {
		t.Errorf("the new client waited %v for an idle connection's slot, want well under 1s", elapsed)
	}
	if got, end := idle[0].readAll(); got != "" || end == endOpen {
		t.Errorf("the oldest idle connection: %q (%s), want it closed", got, end)
	}
	for i, c := range idle[1:] {
		c.send(getReq("/again"))
		if got := summarize(readResponse(t, c)); got != againAnswer {
			t.Errorf("idle connection %d after the newcomer: %q, want it still served", i+2, got)
		}
	}
	newcomer.nc.Close()
	for _, c := range idle {
		c.nc.Close()
	}
	if log := ts.stop(); strings.Contains(log, "Exception") || strings.Contains(log, "timed out") {
		t.Errorf("closing an idle connection was logged:\n%s", log)
	}
}

// TestMaxConnsWaitsForIdle checks that a client that found every slot
// busy gets the slot of the first connection to fall idle, without
// waiting for that connection to close.
func TestMaxConnsWaitsForIdle(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.MaxConns = 2 })
	first, second, third := twoBusyAndWaiting(t, ts.addr)
	second.send("56789") // the rest of its body: answered, then idle
	if got := summarize(readResponse(t, second)); got != okAnswer(`POST /2 10 "0123456789"`) {
		t.Fatalf("second connection: %q", got)
	}
	start := time.Now()
	if got := summarize(readResponse(t, third)); got != okAnswer("GET /3") {
		t.Fatalf("third connection: %q", got)
	}
	t.Logf("served %v after a busy connection fell idle", time.Since(start))
	if got, end := second.readAll(); got != "" || end == endOpen {
		t.Errorf("the connection that fell idle: %q (%s), want it closed for the waiting client", got, end)
	}
	first.nc.Close()
	third.nc.Close()
}

// TestOverloadRetryAfter checks the 503 mode: with every slot busy, a new
// client is answered at once with Python's 503 error page, Retry-After
// and a close, and is logged as an error; once a slot frees, clients are
// served again.
func TestOverloadRetryAfter(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) {
		s.MaxConns = 1
		s.OverloadRetryAfter = 1500 * time.Millisecond
	})
	busy := busyConn(t, ts.addr, "/busy")
	c := dialRaw(t, ts.addr)
	start := time.Now()
	c.send(getReq("/refused"))
	resp, err := http.ReadResponse(bufio.NewReader(c.nc), nil)
	if err != nil {
		t.Fatalf("the client beyond MaxConns: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	t.Logf("answered 503 %v after its request", time.Since(start))
	got := []string{resp.Proto + " " + resp.Status, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type")}
	want := []string{"HTTP/1.1 503 Service Unavailable", "2", "text/html;charset=utf-8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("503 response (-want +got):\n%s", diff)
	}
	if !resp.Close {
		t.Errorf("503 response without Connection: close")
	}
	if !strings.Contains(string(body), "<p>Error code: 503</p>") ||
		!strings.Contains(string(body), "<p>Error code explanation: 503 - The server cannot process the request due to a high load.</p>") {
		t.Errorf("503 body is not Python's error page:\n%s", body)
	}
	if rest, end := c.readAll(); rest != "" || end == endOpen {
		t.Errorf("after the 503: %q (%s), want a close", rest, end)
	}
	busy.nc.Close()
	// Its slot frees when its handler has seen the close.
	for deadline := time.Now().Add(ioLimit); ; time.Sleep(10 * time.Millisecond) {
		fresh := dialRaw(t, ts.addr)
		fresh.send(freshRequest)
		got := summarize(readResponse(t, fresh))
		if got == freshAnswer {
			break
		}
		if !strings.HasPrefix(got, "HTTP/1.1 503 ") || time.Now().After(deadline) {
			t.Fatalf("a normal GET after the busy connection closed: %q", got)
		}
	}
	log := maskLog(ts.stop())
	for _, line := range []string{
		"127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] code 503, message Service Unavailable\n",
		`127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "" 503 -` + "\n",
	} {
		if !strings.Contains(log, line) {
			t.Errorf("log lacks %q:\n%s", line, log)
		}
	}
}

// TestOverloadWaitsForRequest checks that the 503 mode answers once the
// client has begun its request, not before: a response that comes before
// the request is one a client (Go's net/http) takes for a broken
// connection.
func TestOverloadWaitsForRequest(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) {
		s.MaxConns = 1
		s.OverloadRetryAfter = time.Second
	})
	busy := busyConn(t, ts.addr, "/busy")
	defer busy.nc.Close()
	c := dialRaw(t, ts.addr)
	if got, end := c.quiet(); got != "" || end != endOpen {
		t.Fatalf("before the refused client sends anything: %q (%s), want nothing yet", got, end)
	}
	c.send(getReq("/refused"))
	if got := summarize(readResponse(t, c)); !strings.HasPrefix(got, "HTTP/1.1 503 ") {
		t.Errorf("once the request is sent: %q, want 503", got)
	}
}

// lingeringProbe is a hostileProbe that lingers after each request it
// has answered, before it waits for the next: what a loaded machine does
// when it delays the connection's goroutine after the flush.
type lingeringProbe struct{ hostileProbe }

func (h *lingeringProbe) HandleOneRequest() {
	h.hostileProbe.HandleOneRequest()
	time.Sleep(300 * time.Millisecond)
}

// TestOverloadAfterLastByte checks the 503 mode against a client that
// connects the moment the only slot's connection has sent its response's
// last byte: that kept-alive connection counts as idle already, so it
// gives up its slot (closed once its response is out) and the newcomer is
// served, not refused.
func TestOverloadAfterLastByte(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		h := &lingeringProbe{}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	}, func(s *httpserver.HTTPServer) {
		s.MaxConns = 1
		s.OverloadRetryAfter = time.Second
	})
	first := dialRaw(t, ts.addr)
	first.send(getReq("/first"))
	if got := summarize(readResponse(t, first)); got != okAnswer("GET /first") {
		t.Fatalf("the first connection: %q", got)
	}
	newcomer := dialRaw(t, ts.addr)
	newcomer.send(getReq("/new"))
	if got := summarize(readResponse(t, newcomer)); got != okAnswer("GET /new") {
		t.Errorf("a client right after the only connection's response: %q, want it served", got)
	}
	if got, end := first.readAll(); got != "" || end == endOpen {
		t.Errorf("the connection that gave up its slot: %q (%s), want it closed", got, end)
	}
	first.nc.Close()
	newcomer.nc.Close()
	if log := ts.stop(); strings.Contains(log, "Exception") || strings.Contains(log, " 503 ") {
		t.Errorf("giving up the slot was logged, or refused the newcomer:\n%s", log)
	}
}

// TestOverloadRetryAfterTLS checks the 503 mode of an HTTPS server: the
// refused client completes its handshake and reads the 503.
func TestOverloadRetryAfterTLS(t *testing.T) {
	opts, cert := ecPair(t)
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 1)
	srv := serveTLS(t, true, opts, func() httpserver.Handler {
		return &gate{started: started, release: release}
	}, func(s *httpserver.HTTPServer) {
		s.MaxConns = 1
		s.OverloadRetryAfter = time.Second
	})
	client := tlsClient(t, cert)
	go client.Get(baseURL(srv) + "/slow")
	within(t, started, "the request holding the only slot")
	resp, err := tlsClient(t, cert).Get(baseURL(srv) + "/refused")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("got %s with Retry-After %q, want 503 with 1", resp.Status, resp.Header.Get("Retry-After"))
	}
}
