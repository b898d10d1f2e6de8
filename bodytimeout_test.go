package httpserver_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// sleepyProbe is hostileProbe whose DoPOST works for a while before it
// reads the body, as a handler that checks something first.
type sleepyProbe struct{ hostileProbe }

func (h *sleepyProbe) DoPOST() {
	time.Sleep(3 * shortTimeout)
	data, err := io.ReadAll(h.Body)
	h.replyRead(data, err)
}

// TestReadBodyTimeout checks ReadBodyTimeout: a body that stops, or
// trickles a byte at a time however slowly, is cut once the do-method's
// reads have waited ReadBodyTimeout, the handler answers with the error
// it got, the client is logged as timed out and disconnected; a large
// body that keeps coming is read whole however long it takes, and the
// handler's own time before it reads does not count.
func TestReadBodyTimeout(t *testing.T) {
	const big = 256 << 10
	tests := []struct {
		name  string
		class httpserver.HandlerClass
		send  func(c *rawConn)
		cut   bool // the body is cut by the timeout
		want  string
	}{
		{"body stops half-way", hostileClass, func(c *rawConn) {
			req := withBody("POST", "/p", "", "0123456789")
			c.send(req[:len(req)-5])
		}, true, `POST /p 5 "01234" error: `},
		{"a byte every 100ms", hostileClass, func(c *rawConn) {
			body := strings.Repeat("x", 50)
			req := withBody("POST", "/p", "", body)
			c.send(req[:len(req)-len(body)])
			trickle(c, body, 100*time.Millisecond)
		}, true, `POST /p `},
		{"a large body sent steadily for longer than the timeout", hostileClass, func(c *rawConn) {
			req := withBody("POST", "/p", "", strings.Repeat("b", big))
			head := len(req) - big
			c.send(req[:head])
			go func() {
				for i := head; i < len(req); i += 16 << 10 {
					time.Sleep(shortTimeout / 10)
					c.nc.SetWriteDeadline(time.Now().Add(ioLimit))
					if _, err := io.WriteString(c.nc, req[i:min(i+16<<10, len(req))]); err != nil {
						return
					}
				}
			}()
		}, false, "POST /p 262144"},
		{"the handler works before reading", func() httpserver.Handler {
			h := &sleepyProbe{}
			h.ProtocolVersion = "HTTP/1.1"
			return h
		}, func(c *rawConn) {
			c.send(withBody("POST", "/p", "", "0123456789"))
		}, false, `POST /p 10 "0123456789"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := serve(t, tt.class, func(s *httpserver.HTTPServer) { s.ReadBodyTimeout = shortTimeout })
			c := dialRaw(t, ts.addr)
			start := time.Now()
			tt.send(c)
			got := summarize(readResponse(t, c))
			elapsed := time.Since(start)
			if !strings.HasPrefix(got, okAnswer(tt.want)) {
				t.Errorf("got %q, want it to begin with %q", got, okAnswer(tt.want))
			}
			if !tt.cut {
				if got != okAnswer(tt.want) {
					t.Errorf("got %q, want %q", got, okAnswer(tt.want))
				}
				return
			}
			if !strings.HasSuffix(got, "i/o timeout") {
				t.Errorf("the handler read %q, want an i/o timeout", got)
			}
			if elapsed < shortTimeout || elapsed > shortTimeout+timeoutSlack {
				t.Errorf("cut after %v, want after about %v", elapsed, shortTimeout)
			}
			if rest, end := c.readAll(); rest != "" || end == endOpen {
				t.Errorf("after the answer: %q (%s), want a close", rest, end)
			}
			checkFreshGET(t, ts.addr)
			if log := ts.stop(); !strings.Contains(log, "Request timed out") {
				t.Errorf("the cut was not logged:\n%s", log)
			}
		})
	}
}
