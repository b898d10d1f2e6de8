package httpserver

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// A connection that sweepIdle chose but whose wait goes on without the
// sweep's deadline (its own read deadline, set a moment later, replaced
// it) is still idle: shutdown closes it rather than wait for it.
func TestShutdownClosesConnectionBeingSwept(t *testing.T) {
	s, err := NewThreadingHTTPServer("127.0.0.1:0", func() Handler {
		h := &SimpleHandler{Directory: t.TempDir()}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Stderr = io.Discard
	served := make(chan error, 1)
	go func() { served <- s.ServeForever() }()
	defer s.ServerClose()
	c, err := net.Dial("tcp", s.ServerAddress.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	time.Sleep(50 * time.Millisecond) // waiting for a next request, well before any sweep

	s.mu.Lock()
	var tc *trackedConn
	for tc = range s.conns {
	}
	s.mu.Unlock()
	if tc == nil || !tc.state.CompareAndSwap(connIdle, connSweeping) {
		t.Fatalf("no idle connection to mark (state %d)", tc.state.Load())
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
	<-served
}
