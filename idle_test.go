package httpserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// TestLongIdleKeepAlive checks kept-alive connections that wait long
// enough between requests for the server to give their buffers back:
// the next request, its body read through Body or Rfile, a request head
// that arrives a byte at a time, and pipelined requests are all served
// as on a connection that never waited.
func TestLongIdleKeepAlive(t *testing.T) {
	const pause = 600 * time.Millisecond // long enough for the server to sweep it
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.ReadHeaderTimeout = 5 * time.Second })
	c := dialRaw(t, ts.addr)
	exchange := func(req string, want ...string) {
		t.Helper()
		time.Sleep(pause)
		c.send(req)
		for _, w := range want {
			if got := summarize(readResponse(t, c)); got != w {
				t.Fatalf("after an idle pause, %q: got %q, want %q", strings.SplitN(req, "\r\n", 2)[0], got, w)
			}
		}
	}
	exchange(getReq("/first"), okAnswer("GET /first"))
	exchange(getReq("/second"), okAnswer("GET /second"))
	exchange(withBody("POST", "/body", "", "0123456789"), okAnswer(`POST /body 10 "0123456789"`))
	exchange(withBody("RAW", "/raw", "X-Read: 4\r\n", "abcd"), okAnswer(`RAW /raw 4 "abcd"`))
	exchange(getReq("/a")+getReq("/b"), okAnswer("GET /a"), okAnswer("GET /b"))
	time.Sleep(pause)
	<-trickle(c, getReq("/trickled"), 5*time.Millisecond)
	if got := summarize(readResponse(t, c)); got != okAnswer("GET /trickled") {
		t.Fatalf("a head trickled after an idle pause: %q", got)
	}
	if rest, end := c.quiet(); rest != "" || end != endOpen {
		t.Errorf("after the requests: %q (%s), want the connection open", rest, end)
	}
}

// TestLongIdleKeepAliveTLS checks the same over TLS: a kept-alive HTTPS
// connection that waited past the idle grace serves the next request.
func TestLongIdleKeepAliveTLS(t *testing.T) {
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, tlsFilesClass(contentDir(t, false)), nil)
	client := tlsClient(t, cert)
	getHello(t, client, srv)
	time.Sleep(600 * time.Millisecond)
	if reused := getHello(t, client, srv); !reused {
		t.Errorf("the kept-alive connection was not reused after an idle pause")
	}
}
