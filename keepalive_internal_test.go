package httpserver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// serveDir starts a ThreadingHTTPServer on 127.0.0.1:0 that serves dir
// with an HTTP/1.1 SimpleHandler, its log discarded; configure, if given,
// adjusts it before it serves. It is shut down at the end of the test.
func serveDir(t *testing.T, dir string, configure ...func(*HTTPServer)) *ThreadingHTTPServer {
	t.Helper()
	s, err := NewThreadingHTTPServer("127.0.0.1:0", func() Handler {
		h := &SimpleHandler{Directory: dir}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Stderr = io.Discard
	for _, f := range configure {
		f(&s.HTTPServer)
	}
	go s.ServeForever()
	t.Cleanup(func() {
		s.Shutdown()
		s.ServerClose()
	})
	return s
}

// keptAlive connects to s and returns the connection, closed at the end
// of the test, and get, which asks for path on it and returns the body of
// the 200 answer (anything else fails the test).
func keptAlive(t *testing.T, s *ThreadingHTTPServer) (c net.Conn, get func(path string) string) {
	t.Helper()
	c, err := net.Dial("tcp", s.ServerAddress.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	br := bufio.NewReader(c)
	return c, func(path string) string {
		t.Helper()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return string(b)
	}
}
