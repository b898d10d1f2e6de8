package httpserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// TestLineLimitsAnsweredAtOnce sends a line longer than one of the
// server's limits and then waits, without a line end, as CPython's
// test_request_length does: the answer must come as soon as the bytes
// that break the limit are in, not when the client sends a newline or
// gives up (no header timeout is set, so a server that waited would
// never answer).
func TestLineLimitsAnsweredAtOnce(t *testing.T) {
	const chunkedHead = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	tests := []struct {
		name   string
		req    string
		server func(*httpserver.HTTPServer)
		want   string
	}{
		{"request line over 65536 bytes (test_request_length)",
			"GET " + strings.Repeat("x", 65537), nil,
			"HTTP/1.1 414 URI Too Long"},
		{"request line over MaxHeaderBytes",
			"GET /" + strings.Repeat("a", 300), maxHeaderBytes(256),
			"HTTP/1.1 414 URI Too Long"},
		{"header line over 65536 bytes",
			"GET /p HTTP/1.1\r\nX-Long: " + strings.Repeat("h", 65537), nil,
			"HTTP/1.1 431 Line too long"},
		{"headers over MaxHeaderBytes",
			"GET /p HTTP/1.1\r\nHost: x\r\nX-Long: " + strings.Repeat("h", 300), maxHeaderBytes(256),
			"HTTP/1.1 431 Headers too large"},
		{"chunk-size line over 4 KiB",
			chunkedHead + "5;ext=" + strings.Repeat("e", 5000), nil,
			okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: chunk size line too long`)},
		{"trailer section over 16 KiB",
			chunkedHead + chunk("hello") + "0\r\nX-Trailer: " + strings.Repeat("t", 16<<10), nil,
			okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed trailer section`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var configure []func(*httpserver.HTTPServer)
			if tt.server != nil {
				configure = append(configure, tt.server)
			}
			ts := serve(t, hostileClass, configure...)
			c := dialRaw(t, ts.addr)
			c.send(tt.req)
			sent := time.Now()
			got := summarize(readResponse(t, c))
			elapsed := time.Since(sent)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if elapsed > time.Second {
				t.Errorf("answered %v after the request was sent, want at once", elapsed)
			}
			if rest, end := c.readAll(); rest != "" || end == endOpen {
				t.Errorf("after the answer: %q and connection %s, want a close", rest, end)
			}
			checkFreshGET(t, ts.addr)
		})
	}
}
