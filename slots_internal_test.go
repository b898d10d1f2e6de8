package httpserver

import (
	"context"
	"testing"
	"time"
)

// A connection that sweepIdle chose but whose wait goes on without the
// sweep's deadline (its own read deadline, set a moment later, replaced
// it) is still idle: shutdown closes it rather than wait for it.
func TestShutdownClosesConnectionBeingSwept(t *testing.T) {
	s := serveDir(t, t.TempDir())
	c, get := keptAlive(t, s)
	get("/")
	time.Sleep(50 * time.Millisecond) // waiting for a next request, well before any sweep

	s.mu.Lock()
	var tc *trackedConn
	for tc = range s.conns {
	}
	s.mu.Unlock()
	if tc == nil {
		t.Fatal("no connection to mark")
	}
	if !tc.state.CompareAndSwap(connIdle, connSweeping) {
		t.Fatalf("the connection is not idle (state %d)", tc.state.Load())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.ShutdownContext(ctx); err != nil {
		t.Errorf("ShutdownContext = %v after %v, want the idle connection closed at once", err, time.Since(start))
	}
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("client read %d, %v; want the connection closed", n, err)
	}
}
