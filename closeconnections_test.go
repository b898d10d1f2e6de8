package httpserver_test

import (
	"testing"
)

// TestCloseConnections checks that CloseConnections closes a kept-alive
// idle connection and one whose request is in progress, returns without
// waiting for that request's handler, and leaves the server accepting.
func TestCloseConnections(t *testing.T) {
	class, started, release := gateClass("HTTP/1.1")
	defer release()
	ts := serve(t, class)
	idle, busy := idleAndBusy(t, ts, started)

	closed := make(chan struct{})
	go func() {
		ts.CloseConnections()
		close(closed)
	}()
	within(t, closed, "CloseConnections with a handler in progress")
	if got, end := idle.readAll(); got != "" || end != endClosed {
		t.Errorf("idle connection: %q (%s), want closed without a response", got, end)
	}
	if got, end := busy.readAll(); got != "" || end != endClosed {
		t.Errorf("busy connection: %q (%s), want closed without a response", got, end)
	}
	release()

	next := dialRaw(t, ts.addr)
	next.send("GET / HTTP/1.1\r\n\r\n")
	if r := readResponse(t, next); r.body != "done" {
		t.Errorf("a new connection after CloseConnections: %q %q, want served", r.head, r.body)
	}
}
