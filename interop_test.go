package httpserver_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// echoer answers PUT and POST with the body it read, and counts the
// do-method calls.
type echoer struct {
	httpserver.BaseHandler
	calls *atomic.Int32
}

func (h *echoer) DoPUT()  { h.echo() }
func (h *echoer) DoPOST() { h.echo() }

func (h *echoer) echo() {
	h.calls.Add(1)
	n, _ := strconv.Atoi(h.Headers.Get("Content-Length"))
	body := make([]byte, n)
	if _, err := io.ReadFull(h.Rfile, body); err != nil {
		h.SendError(400, "Short body")
		return
	}
	h.SendResponse(200)
	h.SendHeader("Content-Type", "application/octet-stream")
	h.SendHeader("Content-Length", strconv.Itoa(n))
	h.EndHeaders()
	h.Wfile.Write(body)
}

// refuser417 refuses every Expect: 100-continue.
type refuser417 struct{ echoer }

func (h *refuser417) HandleExpect100() bool {
	h.SendError(417)
	return false
}

// newClient returns a net/http client with its own connection pool.
func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{ExpectContinueTimeout: time.Minute}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: ioLimit}
}

// TestNetHTTPKeepAlive checks with Go's net/http client that an HTTP/1.1
// handler keeps the connection for the next request, and an HTTP/1.0 one
// does not.
func TestNetHTTPKeepAlive(t *testing.T) {
	for _, tt := range []struct {
		protocol string
		reused   []bool
	}{
		{"HTTP/1.1", []bool{false, true, true}},
		{"HTTP/1.0", []bool{false, false, false}},
	} {
		t.Run(tt.protocol, func(t *testing.T) {
			ts := serve(t, probeClass(func(b *httpserver.BaseHandler) { b.ProtocolVersion = tt.protocol }))
			client := newClient(t)
			var reused []bool
			for range tt.reused {
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", "http://"+ts.addr+"/", nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(body) != "Hello, world!" || resp.Proto != tt.protocol {
					t.Fatalf("GET: %s %q (%v)", resp.Proto, body, err)
				}
			}
			if !slices.Equal(reused, tt.reused) {
				t.Errorf("connection reused per request: %v, want %v", reused, tt.reused)
			}
		})
	}
}

// orderedBody is a request body that records in events when the client
// first reads it to send it.
type orderedBody struct {
	r      io.Reader
	events *callLog
	once   sync.Once
}

func (b *orderedBody) Read(p []byte) (int, error) {
	b.once.Do(func() { b.events.add("body sent") })
	return b.r.Read(p)
}

// TestNetHTTPExpectContinue checks Expect: 100-continue with Go's net/http
// client, which sends the body only after the interim response: with the
// default HandleExpect100 the 100 comes first and the body is echoed; with
// an override that answers 417 the body is never sent and the do-method
// never runs.
func TestNetHTTPExpectContinue(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 1000)
	for _, tt := range []struct {
		name       string
		class      func(calls *atomic.Int32) httpserver.HandlerClass
		wantStatus int
		wantEvents []string
		wantCalls  int32
	}{
		{"HandleExpect100 default", func(calls *atomic.Int32) httpserver.HandlerClass {
			return func() httpserver.Handler {
				h := &echoer{calls: calls}
				h.ProtocolVersion = "HTTP/1.1"
				return h
			}
		}, 200, []string{"100 Continue", "body sent"}, 1},
		{"HandleExpect100 refusing", func(calls *atomic.Int32) httpserver.HandlerClass {
			return func() httpserver.Handler {
				h := &refuser417{echoer{calls: calls}}
				h.ProtocolVersion = "HTTP/1.1"
				return h
			}
		}, 417, nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := new(atomic.Int32)
			ts := serve(t, tt.class(calls))
			events := new(callLog)
			trace := &httptrace.ClientTrace{Got100Continue: func() { events.add("100 Continue") }}
			ctx := httptrace.WithClientTrace(context.Background(), trace)
			req, err := http.NewRequestWithContext(ctx, "PUT", "http://"+ts.addr+"/upload", &orderedBody{r: bytes.NewReader(payload), events: events})
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = int64(len(payload))
			req.Header.Set("Expect", "100-continue")
			client := newClient(t)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 200 && !bytes.Equal(body, payload) {
				t.Errorf("echoed %d bytes, want the %d sent", len(body), len(payload))
			}
			if got := events.get(); !slices.Equal(got, tt.wantEvents) {
				t.Errorf("client events %q, want %q", got, tt.wantEvents)
			}
			client.CloseIdleConnections()
			ts.stop()
			if calls.Load() != tt.wantCalls {
				t.Errorf("do-method ran %d times, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

// curl returns the path of curl, or skips the test.
func curl(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	return path
}

// runCurl runs curl with args and returns its stdout and stderr.
func runCurl(t *testing.T, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, curl(t), append([]string{"--silent", "--show-error", "--noproxy", "*"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// TestCurlKeepAlive checks that curl fetching two URLs in one run reuses
// the connection of an HTTP/1.1 handler: both answers come from the same
// per-connection handler.
func TestCurlKeepAlive(t *testing.T) {
	curl(t)
	ts := serve(t, func() httpserver.Handler {
		h := &connCounter{}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	})
	out, _ := runCurl(t, "http://"+ts.addr+"/a", "http://"+ts.addr+"/b")
	m := regexp.MustCompile(`^handler (\d+) request 1handler (\d+) request 2$`).FindStringSubmatch(out)
	if m == nil || m[1] != m[2] {
		t.Errorf("curl output %q, want requests 1 and 2 of one handler (one connection)", out)
	}
}

// TestCurlExpectContinue uploads with curl -T and --data-binary, asking for
// Expect: 100-continue, and checks that curl got the 100 and the body went
// through.
func TestCurlExpectContinue(t *testing.T) {
	curl(t)
	calls := new(atomic.Int32)
	ts := serve(t, func() httpserver.Handler {
		h := &echoer{calls: calls}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	})
	payload := strings.Repeat("spam and eggs\n", 100)
	file := filepath.Join(t.TempDir(), "upload.txt")
	if err := os.WriteFile(file, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-T", file},
		{"--data-binary", "@" + file},
	} {
		t.Run(args[0], func(t *testing.T) {
			args = append(args, "-v", "-H", "Expect: 100-continue", "--expect100-timeout", "60", "http://"+ts.addr+"/up")
			out, verbose := runCurl(t, args...)
			if out != payload {
				t.Errorf("echoed %q, want %q", out, payload)
			}
			if !strings.Contains(verbose, "< HTTP/1.1 100 Continue") {
				t.Errorf("curl did not see 100 Continue:\n%s", verbose)
			}
		})
	}
}
