package httpserver_test

import (
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/fdlimit"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// padded returns a GET of /p whose request line and headers, blank line
// included, are exactly n bytes.
func padded(n int) string {
	const start = "GET /p HTTP/1.1\r\nHost: x\r\nX-Pad: "
	const end = "\r\n\r\n"
	return start + strings.Repeat("p", n-len(start)-len(end)) + end
}

// longLine returns a GET whose request line, CRLF included, is n bytes.
func longLine(n int) string {
	const rest = " HTTP/1.1\r\n"
	return "GET /" + strings.Repeat("a", n-len("GET /")-len(rest)) + rest + "Host: x\r\n\r\n"
}

func maxHeaderBytes(n int) func(*httpserver.HTTPServer) {
	return func(s *httpserver.HTTPServer) { s.MaxHeaderBytes = n }
}

func maxMethodLength(n int) func(*httpserver.HTTPServer) {
	return func(s *httpserver.HTTPServer) { s.MaxMethodLength = n }
}

// limitCases are the size limits of HTTPServer, on both sides of each
// boundary.
var limitCases = []wireCase{
	// MaxHeaderBytes counts the request line, the header lines and the
	// blank line that ends them.
	{name: "header-bytes-at-limit",
		req: padded(256) + getReq("/next"), server: maxHeaderBytes(256),
		want: []string{okAnswer("GET /p"), okAnswer("GET /next")}, end: endOpen},
	{name: "header-bytes-one-over",
		req: padded(257) + getReq("/next"), server: maxHeaderBytes(256),
		want: []string{"HTTP/1.1 431 Headers too large"}, end: endClosed},
	{name: "header-bytes-many-lines",
		req: "GET /p HTTP/1.1\r\n" + strings.Repeat("X: y\r\n", 60) + "\r\n", server: maxHeaderBytes(256),
		want: []string{"HTTP/1.1 431 Headers too large"}, end: endClosed},
	{name: "header-bytes-request-line-over",
		req: longLine(257), server: maxHeaderBytes(256),
		want: []string{"HTTP/1.1 414 URI Too Long"}, end: endClosed},
	{name: "header-bytes-request-line-at-limit",
		req: longLine(256), server: maxHeaderBytes(256),
		want: []string{"HTTP/1.1 431 Headers too large"}, end: endClosed},
	{name: "header-bytes-request-line-fits",
		req: longLine(200), server: maxHeaderBytes(256),
		want: []string{okAnswer("GET /" + strings.Repeat("a", 200-len("GET /")-len(" HTTP/1.1\r\n")))}, end: endOpen},
	{name: "header-bytes-python-line-limit-still-applies",
		req: "GET /p HTTP/1.1\r\nX: " + strings.Repeat("a", 65534) + "\r\n\r\n", server: maxHeaderBytes(1 << 20),
		want: []string{"HTTP/1.1 431 Line too long"}, end: endClosed},

	// MaxMethodLength: a longer method gets 501 without its text.
	{name: "method-at-limit",
		req: "GET /p HTTP/1.1\r\nHost: x\r\n\r\n", server: maxMethodLength(3),
		want: []string{okAnswer("GET /p")}, end: endOpen},
	{name: "method-unknown-at-limit",
		req: "SPAM /p HTTP/1.1\r\nHost: x\r\n\r\n", server: maxMethodLength(4),
		want: []string{"HTTP/1.1 501 Unsupported method ('SPAM')"}, end: endClosed},
	{name: "method-over-limit",
		req: "POSTS /p HTTP/1.1\r\nHost: x\r\n\r\n", server: maxMethodLength(4),
		want: []string{"HTTP/1.1 501 Unsupported method (longer than 4 bytes)"}, end: endClosed},
	{name: "method-known-over-limit",
		req: "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", server: maxMethodLength(3),
		want: []string{"HTTP/1.1 501 Unsupported method (longer than 3 bytes)"}, end: endClosed},
	{name: "method-huge",
		req: strings.Repeat("M", 60000) + " /p HTTP/1.1\r\nHost: x\r\n\r\n", server: maxMethodLength(32),
		want: []string{"HTTP/1.1 501 Unsupported method (longer than 32 bytes)"}, end: endClosed},
}

// TestSizeLimits checks MaxHeaderBytes and MaxMethodLength.
func TestSizeLimits(t *testing.T) {
	runWire(t, limitCases)
}

// Timeouts of the timeout tests: short, but long enough for a loaded
// machine to send a request's bytes well within them.
const (
	shortTimeout = 300 * time.Millisecond
	timeoutSlack = 3 * time.Second // how much later than due a close may come
)

const timedOutLine = "127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] Request timed out: TimeoutError('timed out')\n"

// trickle sends s one byte every gap, in the background, until it is
// sent or a write fails; the returned channel closes when it is done.
func trickle(c *rawConn, s string, gap time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(s); i++ {
			c.nc.SetWriteDeadline(time.Now().Add(ioLimit))
			if _, err := c.nc.Write([]byte{s[i]}); err != nil {
				return
			}
			time.Sleep(gap)
		}
	}()
	return done
}

// closedAfter reads from c until the server closes it and checks what
// came and when: not before min after start, and not long after.
func closedAfter(t *testing.T, c *rawConn, start time.Time, min time.Duration, wantResponse string) {
	t.Helper()
	got, end := c.readAll()
	elapsed := time.Since(start)
	if end != endClosed {
		t.Errorf("connection %s, want closed", end)
	}
	if got = summarizeAll(t, got); got != wantResponse {
		t.Errorf("got %q, want %q", got, wantResponse)
	}
	if elapsed < min || elapsed > min+timeoutSlack {
		t.Errorf("closed after %v, want after %v (and not much later)", elapsed, min)
	}
}

// summarizeAll summarizes the responses in s, one per line.
func summarizeAll(t *testing.T, s string) string {
	t.Helper()
	var out []string
	for s != "" {
		h, rest, ok := strings.Cut(s, "\r\n\r\n")
		if !ok {
			return strings.Join(append(out, "incomplete: "+s), "\n")
		}
		n := 0
		for _, l := range strings.Split(h, "\r\n") {
			if v, ok := strings.CutPrefix(l, "Content-Length: "); ok {
				fmt.Sscan(v, &n)
			}
		}
		n = min(n, len(rest))
		out = append(out, summarize(response{h + "\r\n\r\n", rest[:n]}))
		s = rest[n:]
	}
	return strings.Join(out, "\n")
}

// TestReadHeaderTimeout checks that a request's line and headers must
// arrive within ReadHeaderTimeout, counted from the connection's accept
// for the first request and from the first byte of each later one, even
// when the client keeps sending a byte at a time; the server logs
// "Request timed out" and closes without an answer.
func TestReadHeaderTimeout(t *testing.T) {
	tests := []struct {
		name string
		// send talks to the server and returns when the timeout clock
		// started (at the latest), the responses expected before the
		// close, and the log. For the first request the clock starts at
		// the accept, so no later than dialed, when the dial began.
		send func(t *testing.T, c *rawConn, dialed time.Time) (start time.Time, wantResponse, wantLog string)
	}{
		{"silent after connecting", func(t *testing.T, c *rawConn, dialed time.Time) (time.Time, string, string) {
			return dialed, "", timedOutLine
		}},
		{"half a request line", func(t *testing.T, c *rawConn, dialed time.Time) (time.Time, string, string) {
			c.send("GET /p HT")
			return dialed, "", timedOutLine
		}},
		{"headers never finished", func(t *testing.T, c *rawConn, dialed time.Time) (time.Time, string, string) {
			c.send("GET /p HTTP/1.1\r\nHost: x\r\n")
			return dialed, "", timedOutLine
		}},
		{"a byte every 50ms", func(t *testing.T, c *rawConn, dialed time.Time) (time.Time, string, string) {
			trickle(c, "GET /p HTTP/1.1\r\n"+strings.Repeat("X-Slow: y\r\n", 100), 50*time.Millisecond)
			return dialed, "", timedOutLine
		}},
		{"the second request's head", func(t *testing.T, c *rawConn, dialed time.Time) (time.Time, string, string) {
			c.send(getReq("/a"))
			readResponse(t, c)
			start := time.Now()
			c.send("GET /b HTTP/1.1\r\nHost")
			return start, "", `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /a HTTP/1.1" 200 -` + "\n" + timedOutLine
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.ReadHeaderTimeout = shortTimeout })
			dialed := time.Now()
			c := dialRaw(t, ts.addr)
			start, wantResponse, wantLog := tt.send(t, c, dialed)
			closedAfter(t, c, start, shortTimeout, wantResponse)
			checkFreshGET(t, ts.addr)
			log := ts.stop()
			checkLogSafe(t, log)
			if diff := cmp.Diff(wantLog+freshLogLine, maskLog(log)); diff != "" {
				t.Errorf("log mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("a head sent in time, a byte at a time", func(t *testing.T) {
		t.Parallel()
		ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.ReadHeaderTimeout = 2 * time.Second })
		c := dialRaw(t, ts.addr)
		<-trickle(c, getReq("/slow"), 5*time.Millisecond)
		if got := summarize(readResponse(t, c)); got != okAnswer("GET /slow") {
			t.Errorf("got %q", got)
		}
	})
}

// TestIdleTimeout checks that IdleTimeout closes a kept-alive connection
// that sends nothing more, quietly (no log line), and that it counts only
// until the next request's first byte.
func TestIdleTimeout(t *testing.T) {
	t.Run("idle connection closed quietly", func(t *testing.T) {
		t.Parallel()
		ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.IdleTimeout = shortTimeout })
		c := dialRaw(t, ts.addr)
		start := time.Now() // before the server can start its idle clock
		c.send(getReq("/a"))
		readResponse(t, c)
		closedAfter(t, c, start, shortTimeout, "")
		checkFreshGET(t, ts.addr)
		want := `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /a HTTP/1.1" 200 -` + "\n" + freshLogLine
		if diff := cmp.Diff(want, maskLog(ts.stop())); diff != "" {
			t.Errorf("log mismatch; the idle close must not log (-want +got):\n%s", diff)
		}
	})
	t.Run("a slow head is not idle", func(t *testing.T) {
		t.Parallel()
		ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) {
			s.IdleTimeout = shortTimeout
			s.ReadHeaderTimeout = 5 * time.Second
		})
		c := dialRaw(t, ts.addr)
		c.send(getReq("/a"))
		readResponse(t, c)
		start := time.Now()
		<-trickle(c, getReq("/b"), 2*shortTimeout/time.Duration(len(getReq("/b"))))
		if got := summarize(readResponse(t, c)); got != okAnswer("GET /b") {
			t.Errorf("head sent over %v (twice the idle timeout): %q, want an answer", time.Since(start), got)
		}
	})
}

// TestReadHeaderTimeoutCoversTLSHandshake checks that on the HTTPS
// servers a client that stalls its handshake is dropped when
// ReadHeaderTimeout passes (its request could not arrive in time anyway),
// not only after the 10 s handshake limit.
func TestReadHeaderTimeoutCoversTLSHandshake(t *testing.T) {
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, tlsFilesClass(contentDir(t, false)), func(s *httpserver.HTTPServer) {
		s.ReadHeaderTimeout = shortTimeout
	})
	start := time.Now()
	silent := dial(t, srv.ServerAddress.String())
	silent.Write([]byte("\x16\x03\x01")) // the start of a ClientHello, and no more
	if got := closedByServer(t, silent); len(got) != 0 {
		t.Errorf("the stalled client got %q", got)
	}
	if elapsed := time.Since(start); elapsed < shortTimeout || elapsed > shortTimeout+timeoutSlack {
		t.Errorf("the stalled client was dropped after %v, want about %v", elapsed, shortTimeout)
	}
	getHello(t, tlsClient(t, cert), srv)
}

// TestUnreadBodyDeadline checks that the rest of a body the do-method did
// not read is waited for no longer than ReadHeaderTimeout, and that the
// response is sent before the server waits for it.
func TestUnreadBodyDeadline(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.ReadHeaderTimeout = shortTimeout })
	c := dialRaw(t, ts.addr)
	start := time.Now() // before the server can start its clock
	c.send(withBody("GET", "/a", "", strings.Repeat("b", 100))[:100])
	if got := summarize(readResponse(t, c)); got != okAnswer("GET /a") {
		t.Fatalf("got %q, want the answer before the body is complete", got)
	}
	if d := time.Since(start); d >= shortTimeout {
		t.Errorf("the answer came after %v, not before the server waited for the body", d)
	}
	closedAfter(t, c, start, shortTimeout, "")
	checkFreshGET(t, ts.addr)
	want := `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /a HTTP/1.1" 200 -` + "\n" + timedOutLine + freshLogLine
	if diff := cmp.Diff(want, maskLog(ts.stop())); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
}

// TestMaxConns checks that with MaxConns connections busy with a request,
// another client is not served (it waits) until one of them closes, and
// is then served. (Idle kept-alive connections give way instead: see
// TestMaxConnsIdleGiveWay.)
func TestMaxConns(t *testing.T) {
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.MaxConns = 2 })
	first, second, third := twoBusyAndWaiting(t, ts.addr)
	first.nc.Close()
	if got := summarize(readResponse(t, third)); got != okAnswer("GET /3") {
		t.Errorf("third connection after the first closed: %q", got)
	}
	second.nc.Close()
}

// twoBusyAndWaiting opens two connections that keep their handlers busy
// on a server with MaxConns 2, and a third whose GET of /3 waits.
func twoBusyAndWaiting(t *testing.T, addr string) (first, second, third *rawConn) {
	t.Helper()
	first, second = busyConn(t, addr, "/1"), busyConn(t, addr, "/2")
	third = dialRaw(t, addr)
	third.send(getReq("/3"))
	if got, end := third.quiet(); got != "" || end != endOpen {
		t.Fatalf("third connection while two are busy: %q (%s), want it to wait", got, end)
	}
	return first, second, third
}

// busyConn opens a connection whose request keeps its handler busy: a
// POST whose body never arrives whole, read by the do-method.
func busyConn(t *testing.T, addr, path string) *rawConn {
	t.Helper()
	c := dialRaw(t, addr)
	req := withBody("POST", path, "", "0123456789")
	c.send(req[:len(req)-5])
	if got, end := c.quiet(); got != "" || end != endOpen {
		t.Fatalf("busy connection %s: %q (%s)", path, got, end)
	}
	return c
}

// TestMaxConnsAcrossRestart checks that a connection kept open across a
// restart of ServeForever with another MaxConns gives its slot back to
// the limit it was taken under: it must neither block when it ends nor
// free a slot of the new limit.
func TestMaxConnsAcrossRestart(t *testing.T) {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", hostileClass)
	if err != nil {
		t.Fatal(err)
	}
	srv.DaemonThreads = false // ServerClose waits for every connection
	srv.Stderr = new(syncbuf.Buffer)
	addr := srv.ServerAddress.String()
	run := func() <-chan error {
		served := make(chan error, 1)
		go func() { served <- srv.ServeForever() }()
		return served
	}
	ask := func(c *rawConn, path string) {
		t.Helper()
		c.send(getReq(path))
		if got := summarize(readResponse(t, c)); got != okAnswer("GET "+path) {
			t.Fatalf("GET %s: %q", path, got)
		}
	}

	srv.MaxConns = 1
	served := run()
	old := busyConn(t, addr, "/old")
	srv.Shutdown()
	within(t, served, "ServeForever after Shutdown")

	srv.MaxConns = 2
	served = run()
	first, second := busyConn(t, addr, "/first"), busyConn(t, addr, "/second")
	old.nc.Close() // gives back its slot of the old limit
	third := dialRaw(t, addr)
	third.send(getReq("/third"))
	if got, end := third.quiet(); got != "" || end != endOpen {
		t.Fatalf("a third connection under MaxConns 2: %q (%s), want it to wait", got, end)
	}
	first.nc.Close()
	if got := summarize(readResponse(t, third)); got != okAnswer("GET /third") {
		t.Errorf("third connection after the first closed: %q", got)
	}
	srv.Shutdown()
	within(t, served, "ServeForever after Shutdown")

	srv.MaxConns = 0
	served = run()
	more := []*rawConn{dialRaw(t, addr), dialRaw(t, addr), dialRaw(t, addr)}
	for i, c := range more {
		ask(c, fmt.Sprint("/unlimited", i))
	}
	srv.Shutdown()
	within(t, served, "ServeForever after Shutdown")
	for _, c := range append(more, second, third) {
		c.nc.Close()
	}
	closed := make(chan error, 1)
	go func() { closed <- srv.ServerClose() }()
	within(t, closed, "ServerClose waiting for the connections")
}

// slowSource yields size bytes in pieces of 8 KiB, one every gap.
type slowSource struct {
	left int
	gap  time.Duration
}

func (s *slowSource) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(s.gap)
	n := min(len(p), 8<<10, s.left)
	s.left -= n
	return n, nil
}

// streamProbe copies a slow source to Wfile with io.Copy, as a handler
// streaming a pipe or a computation does.
type streamProbe struct{ hostileProbe }

const streamSize = 80 << 10

func (h *streamProbe) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Length", fmt.Sprint(streamSize))
	h.EndHeaders()
	io.Copy(h.Wfile, &slowSource{left: streamSize, gap: shortTimeout / 5})
}

// TestWriteTimeoutSlowSource checks that WriteTimeout bounds each write,
// not the time a handler takes to produce its body: a response streamed
// from a slow source for several times WriteTimeout reaches a client that
// reads it.
func TestWriteTimeoutSlowSource(t *testing.T) {
	ts := serve(t, func() httpserver.Handler {
		h := &streamProbe{}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	}, func(s *httpserver.HTTPServer) { s.WriteTimeout = shortTimeout })
	c := dialRaw(t, ts.addr)
	c.send(getReq("/stream"))
	r := readResponse(t, c)
	if status, _, _ := strings.Cut(r.head, "\r\n"); status != "HTTP/1.1 200 OK" || len(r.body) != streamSize {
		t.Errorf("got %q and %d bytes of body, want 200 and %d", status, len(r.body), streamSize)
	}
	c.nc.Close()
	if log := ts.stop(); strings.Contains(log, "timed out") {
		t.Errorf("the write timed out:\n%s", log)
	}
}

// normalClient sends a GET on a fresh connection every interval until
// stop closes, and reports the latency of each (dial to full response);
// a request that fails reports an error.
func normalClient(t *testing.T, addr string, interval time.Duration, stop <-chan struct{}) (latencies []time.Duration, errs []error) {
	for {
		select {
		case <-stop:
			return latencies, errs
		case <-time.After(interval):
		}
		start := time.Now()
		err := func() error {
			nc, err := net.DialTimeout("tcp", addr, ioLimit)
			if err != nil {
				return err
			}
			defer nc.Close()
			nc.SetDeadline(time.Now().Add(ioLimit))
			if _, err := io.WriteString(nc, freshRequest); err != nil {
				return err
			}
			got, err := io.ReadAll(nc)
			if err != nil {
				return err
			}
			if s := summarizeAll(t, maskDate(string(got))); s != freshAnswer {
				return fmt.Errorf("got %q", s)
			}
			return nil
		}()
		latencies = append(latencies, time.Since(start))
		if err != nil {
			errs = append(errs, err)
		}
	}
}

// slowloris keeps one connection to addr open that sends a request head
// a byte every gap; when the server closes it, it connects again. It
// counts its connections in dials and returns when stop closes.
func slowloris(addr string, gap time.Duration, stop <-chan struct{}, dials *atomic.Int64) {
	const head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
	for {
		nc, err := net.DialTimeout("tcp", addr, ioLimit)
		if err != nil {
			select {
			case <-stop:
				return
			case <-time.After(gap):
				continue
			}
		}
		dials.Add(1)
		for i := 0; ; i++ {
			b := byte('a')
			if i < len(head) {
				b = head[i]
			}
			nc.SetWriteDeadline(time.Now().Add(ioLimit))
			if _, err := nc.Write([]byte{b}); err != nil {
				break
			}
			select {
			case <-stop:
				nc.Close()
				return
			case <-time.After(gap):
			}
		}
		nc.Close()
	}
}

// TestSlowloris runs 300 connections that each send a request head a byte
// every 100ms (reconnecting when cut off) against a ThreadingHTTPServer
// with a 500ms ReadHeaderTimeout, and checks that a normal client making
// a request every 50ms meanwhile is always served within a second.
func TestSlowloris(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for seconds")
	}
	const conns = 300
	fdlimit.Raise(t, 2*conns+100)
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.ReadHeaderTimeout = 500 * time.Millisecond })
	stop := make(chan struct{})
	var dials atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() { slowloris(ts.addr, 100*time.Millisecond, stop, &dials) })
	}
	time.AfterFunc(3*time.Second, func() { close(stop) })
	latencies, errs := normalClient(t, ts.addr, 50*time.Millisecond, stop)
	wg.Wait()
	checkLatencies(t, latencies, errs)
	log := ts.stop()
	timeouts := strings.Count(log, "Request timed out")
	t.Logf("%d slowloris connections made, %d cut off by the header timeout", dials.Load(), timeouts)
	if timeouts < conns {
		t.Errorf("%d header timeouts logged, want at least one per slowloris connection (%d)", timeouts, conns)
	}
	checkLogSafe(t, log)
}

// checkLatencies checks that every normal request succeeded within a
// second, and logs the worst.
func checkLatencies(t *testing.T, latencies []time.Duration, errs []error) {
	t.Helper()
	if len(latencies) < 10 {
		t.Fatalf("only %d normal requests made", len(latencies))
	}
	var worst time.Duration
	for _, l := range latencies {
		worst = max(worst, l)
	}
	t.Logf("%d normal requests, worst latency %v", len(latencies), worst)
	if worst > time.Second {
		t.Errorf("a normal request took %v, want at most 1s", worst)
	}
	for _, err := range errs {
		t.Errorf("normal request: %v", err)
	}
}

// bigProbe is hostileProbe with GET /big answered by a file of
// bigSize bytes (sparse: no disk is used), sent with sendfile, and GET
// /64k by 64 KiB written to Wfile.
type bigProbe struct {
	hostileProbe
	file string
}

const bigSize = 256 << 20

func (h *bigProbe) DoGET() {
	switch h.Path {
	case "/64k":
		h.reply(strings.Repeat("x", 64<<10))
		return
	case "/big":
	default:
		h.hostileProbe.DoGET()
		return
	}
	f, err := os.Open(h.file)
	if err != nil {
		h.SendError(500)
		return
	}
	defer f.Close()
	h.SendResponse(200)
	h.SendHeader("Content-Length", fmt.Sprint(bigSize))
	h.EndHeaders()
	h.Wfile.ReadFrom(f)
}

// lineWatch is a log writer that reports the time of each write holding
// want.
type lineWatch struct {
	want string
	seen chan time.Time
}

func (w *lineWatch) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.want) {
		w.seen <- time.Now()
	}
	return len(p), nil
}

// TestSlowReaders checks WriteTimeout: clients that ask for a large file
// (sent with sendfile) or pipeline many requests and never read are
// disconnected with "Request timed out" while they still do not read,
// and a normal client is served within a second meanwhile.
func TestSlowReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for seconds")
	}
	file := t.TempDir() + "/big"
	f, err := os.Create(file)
	if err == nil {
		err = f.Truncate(bigSize)
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	const readers = 20
	timeouts := &lineWatch{want: "Request timed out", seen: make(chan time.Time, readers)}
	ts := serve(t, func() httpserver.Handler {
		h := &bigProbe{file: file}
		h.ProtocolVersion = "HTTP/1.1"
		return h
	}, func(s *httpserver.HTTPServer) {
		s.WriteTimeout = shortTimeout
		s.Stderr = io.MultiWriter(s.Stderr, timeouts)
	})

	// Half ask for the file; half send requests for 64 MB of responses.
	pipelined := strings.Repeat(getReq("/64k"), 1000)
	var writers sync.WaitGroup
	start := time.Now()
	for i := range readers {
		c := dialRaw(t, ts.addr)
		c.nc.SetReadBuffer(4096)
		if i%2 == 0 {
			c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
		} else {
			// The write blocks once the server stops reading; it ends
			// when the server closes the connection.
			writers.Go(func() { c.nc.Write([]byte(pipelined)) })
		}
	}
	stop := make(chan struct{})
	time.AfterFunc(2*time.Second, func() { close(stop) })
	latencies, errs := normalClient(t, ts.addr, 50*time.Millisecond, stop)
	checkLatencies(t, latencies, errs)
	var last time.Time
	for i := range readers {
		last = within(t, timeouts.seen, fmt.Sprintf("write timeout %d of %d", i+1, readers))
	}
	t.Logf("%d slow readers, the last disconnected %v after they started", readers, last.Sub(start))
	writers.Wait()
	log := ts.stop()
	if got := strings.Count(log, "Request timed out"); got != readers {
		t.Errorf("%d write timeouts logged, want %d", got, readers)
	}
	checkLogSafe(t, log)
}
