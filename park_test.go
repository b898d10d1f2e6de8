package httpserver_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// parkPause is long enough for a kept-alive connection to be swept and
// parked (two idle graces and some).
const parkPause = 700 * time.Millisecond

// hookCounts counts the hooks a connection's handlers ran.
type hookCounts struct{ setup, finish, oneRequest atomic.Int32 }

// countingProbe is a hostileProbe that counts its Setup and Finish calls.
type countingProbe struct {
	hostileProbe
	n *hookCounts
}

func (h *countingProbe) Setup()  { h.n.setup.Add(1); h.hostileProbe.Setup() }
func (h *countingProbe) Finish() { h.n.finish.Add(1); h.hostileProbe.Finish() }

func countingClass(n *hookCounts) httpserver.HandlerClass {
	return func() httpserver.Handler {
		h := &countingProbe{n: n}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	}
}

// oneRequestProbe counts its HandleOneRequest calls, an override that
// forwards: its connection must never give up its goroutine midway.
type oneRequestProbe struct{ countingProbe }

func (h *oneRequestProbe) HandleOneRequest() {
	h.n.oneRequest.Add(1)
	h.countingProbe.HandleOneRequest()
}

// ask sends GET path on c and fails the test unless it is answered.
func ask(t *testing.T, c *rawConn, path string) {
	t.Helper()
	c.send(getReq(path))
	if got := summarize(readResponse(t, c)); got != okAnswer("GET "+path) {
		t.Fatalf("GET %s: %q", path, got)
	}
}

// TestParkedConnectionHooks checks a kept-alive connection that waits
// long between requests (and parks): each request is answered, the
// handler's Setup and Finish run once each, and a client's close ends it
// quietly.
func TestParkedConnectionHooks(t *testing.T) {
	var n hookCounts
	ts := serve(t, countingClass(&n))
	c := dialRaw(t, ts.addr)
	for _, path := range []string{"/first", "/after-a-pause", "/after-another"} {
		ask(t, c, path)
		time.Sleep(parkPause)
	}
	c.nc.Close()
	waitFor(t, "Finish", func() bool { return n.finish.Load() > 0 })
	if got := n.finish.Load(); got != 1 {
		t.Errorf("Finish ran %d times after the client closed, want 1", got)
	}
	if got := n.setup.Load(); got != 1 {
		t.Errorf("Setup ran %d times, want 1", got)
	}
	if log := ts.stop(); strings.Contains(log, "Exception") || strings.Contains(log, "timed out") {
		t.Errorf("the close of a parked connection was logged:\n%s", log)
	}
}

// TestParkedConnectionOverride checks that a handler overriding
// HandleOneRequest sees it called once per request and once for the
// close, however long its connection waits between requests.
func TestParkedConnectionOverride(t *testing.T) {
	var n hookCounts
	ts := serve(t, func() httpserver.Handler {
		h := &oneRequestProbe{countingProbe{n: &n}}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	})
	c := dialRaw(t, ts.addr)
	for _, path := range []string{"/first", "/after-a-pause"} {
		ask(t, c, path)
		time.Sleep(parkPause)
	}
	c.nc.Close()
	waitFor(t, "Finish", func() bool { return n.finish.Load() > 0 })
	if got := n.oneRequest.Load(); got != 3 {
		t.Errorf("HandleOneRequest ran %d times for two requests and a close, want 3", got)
	}
}

// TestParkedConnectionIdleTimeout checks that IdleTimeout still ends a
// connection that parked, on time and quietly.
func TestParkedConnectionIdleTimeout(t *testing.T) {
	const idle = 1200 * time.Millisecond
	var n hookCounts
	ts := serve(t, countingClass(&n), func(s *httpserver.HTTPServer) { s.IdleTimeout = idle })
	c := dialRaw(t, ts.addr)
	ask(t, c, "/first")
	start := time.Now()
	rest, end := c.readAll()
	waited := time.Since(start)
	t.Logf("closed %v after the response, IdleTimeout %v", waited, idle)
	if rest != "" || end == endOpen {
		t.Fatalf("after IdleTimeout: %q (%s), want a close", rest, end)
	}
	if waited < idle-50*time.Millisecond || waited > idle+400*time.Millisecond {
		t.Errorf("closed %v after the response, want about IdleTimeout (%v)", waited, idle)
	}
	waitFor(t, "Finish", func() bool { return n.finish.Load() > 0 })
	if got := n.finish.Load(); got != 1 {
		t.Errorf("Finish ran %d times, want 1", got)
	}
	if log := ts.stop(); strings.Contains(log, "Exception") || strings.Contains(log, "timed out") {
		t.Errorf("the idle timeout was logged:\n%s", log)
	}
}

// TestParkedConnectionShutdown checks that ShutdownContext closes a
// parked connection at once, and that it ends through Finish.
func TestParkedConnectionShutdown(t *testing.T) {
	var n hookCounts
	ts := serve(t, countingClass(&n))
	c := dialRaw(t, ts.addr)
	ask(t, c, "/first")
	time.Sleep(parkPause)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.ShutdownContext(ctx); err != nil {
		t.Errorf("ShutdownContext: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("ShutdownContext took %v with one parked connection, want it closed at once", took)
	}
	if rest, end := c.readAll(); rest != "" || end == endOpen {
		t.Errorf("the parked connection after ShutdownContext: %q (%s), want a close", rest, end)
	}
	if got := n.finish.Load(); got != 1 {
		t.Errorf("Finish ran %d times, want 1", got)
	}
}

// TestParkedConnectionGivesWay checks that with MaxConns reached by a
// parked connection, a new client takes its slot.
func TestParkedConnectionGivesWay(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.MaxConns = 1 })
	parked := dialRaw(t, ts.addr)
	ask(t, parked, "/first")
	time.Sleep(parkPause)
	newcomer := dialRaw(t, ts.addr)
	ask(t, newcomer, "/new")
	if rest, end := parked.readAll(); rest != "" || end == endOpen {
		t.Errorf("the parked connection: %q (%s), want it closed for the new client", rest, end)
	}
	newcomer.nc.Close()
	if log := ts.stop(); strings.Contains(log, "Exception") {
		t.Errorf("closing the parked connection was logged:\n%s", log)
	}
}

// TestParkedConnectionCloseConnections checks that CloseConnections hangs
// up on a parked connection quietly, through Finish, and that the server
// serves on.
func TestParkedConnectionCloseConnections(t *testing.T) {
	var n hookCounts
	ts := serve(t, countingClass(&n))
	c := dialRaw(t, ts.addr)
	ask(t, c, "/first")
	time.Sleep(parkPause)
	ts.CloseConnections()
	if rest, end := c.readAll(); rest != "" || end == endOpen {
		t.Errorf("the parked connection after CloseConnections: %q (%s), want a close", rest, end)
	}
	waitFor(t, "Finish", func() bool { return n.finish.Load() > 0 })
	after := dialRaw(t, ts.addr)
	ask(t, after, "/after")
	after.nc.Close()
	if log := ts.stop(); strings.Contains(log, "Exception") {
		t.Errorf("closing the parked connection was reported:\n%s", log)
	}
	if got := n.finish.Load(); got != 2 {
		t.Errorf("Finish ran %d times for two connections, want 2", got)
	}
}
