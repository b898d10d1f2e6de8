package httpserver_test

import (
	"context"
	"errors"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// gate is a handler whose GET /slow reports that it started and then
// waits for release before it answers, to hold a request in flight; other
// GETs answer at once.
type gate struct {
	httpserver.BaseHandler
	started chan<- struct{}
	release <-chan struct{}
}

func (h *gate) DoGET() {
	if h.Path == "/slow" {
		h.started <- struct{}{}
		<-h.release
	}
	h.SendResponse(200)
	h.SendHeader("Content-Length", "4")
	h.EndHeaders()
	h.Wfile.WriteString("done")
}

// gateClass returns a HandlerClass of gates sharing started and release,
// and the function that closes release (once); the test must call it
// (defer it) before the server stops, which waits for the gates.
func gateClass(protocol string) (httpserver.HandlerClass, <-chan struct{}, func()) {
	started := make(chan struct{}, 10)
	release := make(chan struct{})
	var once atomic.Bool
	open := func() {
		if once.CompareAndSwap(false, true) {
			close(release)
		}
	}
	class := func() httpserver.Handler {
		h := &gate{started: started, release: release}
		h.ProtocolVersion = protocol
		return h
	}
	return class, started, open
}

// idleAndBusy opens two connections to a server of gates speaking
// HTTP/1.1: idle has had a request answered and waits for the next; busy
// has a request for /slow held in its handler.
func idleAndBusy(t *testing.T, ts *testServer, started <-chan struct{}) (idle, busy *rawConn) {
	t.Helper()
	idle = dialRaw(t, ts.addr)
	idle.send("GET / HTTP/1.1\r\n\r\n")
	if r := readResponse(t, idle); r.body != "done" {
		t.Fatalf("idle connection's response: %q", r.head)
	}
	busy = dialRaw(t, ts.addr)
	busy.send("GET /slow HTTP/1.1\r\n\r\n")
	within(t, started, "the slow request")
	return idle, busy
}

// within fails the test unless ch yields within ioLimit.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(ioLimit):
		t.Fatalf("%s: still waiting after %v", what, ioLimit)
		panic("unreachable")
	}
}

// notYet fails the test if ch yields within quietTime.
func notYet[T any](t *testing.T, ch <-chan T, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("%s happened too early", what)
	case <-time.After(quietTime):
	}
}

// getfqdn is what Python's socket.getfqdn(host) answers for an address
// literal, from this machine's resolver: the first of its names that
// contains a dot, else its first name, else the address itself.
func getfqdn(t *testing.T, host string) string {
	names, err := net.LookupAddr(host)
	if err != nil || len(names) == 0 {
		return host
	}
	for _, n := range names {
		if n = strings.TrimSuffix(n, "."); strings.Contains(n, ".") {
			return n
		}
	}
	return strings.TrimSuffix(names[0], ".")
}

// TestNewServerBindsAndListens checks that the constructors bind and
// listen, replacing port 0 with the real port, and name the host as
// Python's server_bind does.
func TestNewServerBindsAndListens(t *testing.T) {
	for name, mk := range map[string]func(addr string) (*httpserver.HTTPServer, error){
		"NewHTTPServer": func(addr string) (*httpserver.HTTPServer, error) {
			return httpserver.NewHTTPServer(addr, httpserver.Class[probe]())
		},
		"NewThreadingHTTPServer": func(addr string) (*httpserver.HTTPServer, error) {
			s, err := httpserver.NewThreadingHTTPServer(addr, httpserver.Class[probe]())
			if err != nil {
				return nil, err
			}
			return &s.HTTPServer, nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := mk("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer s.ServerClose()
			a, ok := s.ServerAddress.(*net.TCPAddr)
			if !ok || !a.IP.Equal(net.IPv4(127, 0, 0, 1)) || a.Port == 0 || a.Port != s.ServerPort {
				t.Errorf("ServerAddress %v, ServerPort %d: want 127.0.0.1 and the bound port", s.ServerAddress, s.ServerPort)
			}
			if want := getfqdn(t, "127.0.0.1"); s.ServerName != want {
				t.Errorf("ServerName %q, want %q", s.ServerName, want)
			}
			// It listens already: a client connects before anything serves.
			nc, err := net.Dial("tcp", s.ServerAddress.String())
			if err != nil {
				t.Fatalf("dial before serving: %v", err)
			}
			nc.Close()
			if _, err := mk(s.ServerAddress.String()); err == nil {
				t.Errorf("a second bind of %v succeeded", s.ServerAddress)
			}
			if _, err := mk("no port"); err == nil {
				t.Error("a bad address gave no error")
			}
		})
	}
}

// TestIPv6 serves on [::1] and checks the address fields and the log's
// client address.
func TestIPv6(t *testing.T) {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	l.Close()
	srv, err := httpserver.NewThreadingHTTPServer("[::1]:0", probeClass(func(b *httpserver.BaseHandler) {}))
	if err != nil {
		t.Fatal(err)
	}
	log := new(syncbuf.Buffer)
	srv.Stderr, srv.DaemonThreads = log, false
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	defer func() {
		srv.Shutdown()
		<-served
		srv.ServerClose()
	}()
	a := srv.ServerAddress.(*net.TCPAddr)
	if !a.IP.Equal(net.IPv6loopback) || a.Port != srv.ServerPort || a.Port == 0 {
		t.Errorf("ServerAddress %v, ServerPort %d", a, srv.ServerPort)
	}
	if want := getfqdn(t, "::1"); srv.ServerName != want {
		t.Errorf("ServerName %q, want %q", srv.ServerName, want)
	}
	c := dialRaw(t, srv.ServerAddress.String())
	c.send("GET / HTTP/1.0\r\n\r\n")
	if got, _ := c.readAll(); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") {
		t.Errorf("response %q", got)
	}
	srv.Shutdown()
	srv.ServerClose()
	if got := maskLog(log.String()); got != "::1 - - [DD/Mon/YYYY hh:mm:ss] \"GET / HTTP/1.0\" 200 -\n" {
		t.Errorf("log %q", got)
	}
}

// TestServeForeverShutdown checks Shutdown: it stops ServeForever, which
// returns ErrServerClosed; the server can serve again afterwards; and a
// Shutdown when nothing serves returns at once and makes the next
// ServeForever return at once, as in Python.
func TestServeForeverShutdown(t *testing.T) {
	srv, err := httpserver.NewHTTPServer("127.0.0.1:0", probeClass(func(b *httpserver.BaseHandler) {}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = new(syncbuf.Buffer)
	defer srv.ServerClose()
	addr := srv.ServerAddress.String()
	get := func() string {
		c := dialRaw(t, addr)
		c.send("GET / HTTP/1.0\r\n\r\n")
		got, _ := c.readAll()
		return got
	}
	for round := 1; round <= 2; round++ {
		served := make(chan error, 1)
		go func() { served <- srv.ServeForever() }()
		if got := get(); !strings.HasPrefix(got, "HTTP/1.0 200 OK") {
			t.Fatalf("round %d: response %q", round, got)
		}
		srv.Shutdown()
		if err := within(t, served, "ServeForever after Shutdown"); !errors.Is(err, httpserver.ErrServerClosed) {
			t.Fatalf("round %d: ServeForever = %v, want ErrServerClosed", round, err)
		}
	}

	done := make(chan struct{})
	go func() { srv.Shutdown(); close(done) }()
	within(t, done, "Shutdown when not serving")
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	if err := within(t, served, "ServeForever after an idle Shutdown"); !errors.Is(err, httpserver.ErrServerClosed) {
		t.Errorf("ServeForever after an idle Shutdown = %v, want ErrServerClosed", err)
	}
}

// TestServerClose checks that ServerClose stops a running ServeForever and
// closes the listening socket.
func TestServerClose(t *testing.T) {
	srv, err := httpserver.NewHTTPServer("127.0.0.1:0", httpserver.Class[probe]())
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	if err := srv.ServerClose(); err != nil {
		t.Errorf("ServerClose = %v", err)
	}
	if err := within(t, served, "ServeForever after ServerClose"); !errors.Is(err, httpserver.ErrServerClosed) {
		t.Errorf("ServeForever = %v, want ErrServerClosed", err)
	}
	if nc, err := net.Dial("tcp", srv.ServerAddress.String()); err == nil {
		nc.Close()
		t.Error("the listening socket still accepts after ServerClose")
	}
	if err := srv.ServerClose(); err != nil {
		t.Errorf("a second ServerClose = %v", err)
	}
	if err := srv.HandleRequest(); !errors.Is(err, httpserver.ErrServerClosed) {
		t.Errorf("HandleRequest after ServerClose = %v, want ErrServerClosed", err)
	}
}

// TestHandleRequest checks handle_request: one connection per call, and
// with Timeout set and no client, HandleTimeout after the timeout.
func TestHandleRequest(t *testing.T) {
	var timeouts atomic.Int32
	srv, err := httpserver.NewHTTPServer("127.0.0.1:0", probeClass(func(b *httpserver.BaseHandler) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.ServerClose()
	srv.Stderr = new(syncbuf.Buffer)
	srv.HandleTimeout = func() { timeouts.Add(1) }
	srv.Timeout = 200 * time.Millisecond

	start := time.Now()
	if err := srv.HandleRequest(); err != nil {
		t.Fatalf("HandleRequest with no client = %v", err)
	}
	if elapsed := time.Since(start); elapsed < srv.Timeout || timeouts.Load() != 1 {
		t.Errorf("HandleRequest returned after %v with %d HandleTimeout calls, want >= %v and 1", elapsed, timeouts.Load(), srv.Timeout)
	}

	// Two clients wait; each HandleRequest serves exactly one of them.
	srv.Timeout = 0
	c1, c2 := dialRaw(t, srv.ServerAddress.String()), dialRaw(t, srv.ServerAddress.String())
	c1.send("GET / HTTP/1.0\r\n\r\n")
	c2.send("GET / HTTP/1.0\r\n\r\n")
	if err := srv.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if got, _ := c1.readAll(); !strings.HasPrefix(got, "HTTP/1.0 200 OK") {
		t.Errorf("first client: %q", got)
	}
	if got, end := c2.quiet(); got != "" || end != endOpen {
		t.Fatalf("second client served by the first HandleRequest: %q (%s)", got, end)
	}
	if err := srv.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if got, _ := c2.readAll(); !strings.HasPrefix(got, "HTTP/1.0 200 OK") {
		t.Errorf("second client: %q", got)
	}
	if timeouts.Load() != 1 {
		t.Errorf("HandleTimeout called %d times, want 1", timeouts.Load())
	}
}

// TestServeListener checks Serve on a server made as a struct literal.
func TestServeListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httpserver.HTTPServer{RequestHandlerClass: probeClass(func(b *httpserver.BaseHandler) {}), Stderr: new(syncbuf.Buffer)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	c := dialRaw(t, l.Addr().String())
	c.send("GET / HTTP/1.0\r\n\r\n")
	if got, _ := c.readAll(); !strings.HasPrefix(got, "HTTP/1.0 200 OK") {
		t.Errorf("response %q", got)
	}
	if srv.ServerAddress.String() != l.Addr().String() || srv.ServerPort != l.Addr().(*net.TCPAddr).Port {
		t.Errorf("ServerAddress %v, ServerPort %d; want the listener's %v", srv.ServerAddress, srv.ServerPort, l.Addr())
	}
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := srv.Serve(other); err == nil {
		t.Error("Serve with a second listener succeeded")
	}
	srv.Shutdown()
	if err := within(t, served, "Serve after Shutdown"); !errors.Is(err, httpserver.ErrServerClosed) {
		t.Errorf("Serve = %v, want ErrServerClosed", err)
	}
	srv.ServerClose()
	if nc, err := net.Dial("tcp", l.Addr().String()); err == nil {
		nc.Close()
		t.Error("ServerClose did not close the listener given to Serve")
	}
}

// TestShutdownContextDrains checks the graceful stop: a request in
// progress completes, an idle kept-alive connection is closed, and
// ShutdownContext returns once the last connection is done.
func TestShutdownContextDrains(t *testing.T) {
	class, started, release := gateClass("HTTP/1.1")
	defer release()
	ts := serve(t, class)
	idle, busy := idleAndBusy(t, ts, started)

	done := make(chan error, 1)
	go func() { done <- ts.ShutdownContext(context.Background()) }()
	if got, end := idle.readAll(); got != "" || end != endClosed {
		t.Errorf("idle connection: %q (%s), want closed without a response", got, end)
	}
	notYet(t, done, "ShutdownContext returning with a request in progress")
	release()
	if r := readResponse(t, busy); r.body != "done" {
		t.Errorf("in-flight request: %q %q, want its response", r.head, r.body)
	}
	if err := within(t, done, "ShutdownContext"); err != nil {
		t.Errorf("ShutdownContext = %v", err)
	}
	if got, end := busy.readAll(); got != "" || end != endClosed {
		t.Errorf("after the drain the busy connection: %q (%s), want closed", got, end)
	}
}

// TestShutdownContextExpired checks that when ctx ends first, the
// remaining connections are closed and ShutdownContext returns ctx.Err().
func TestShutdownContextExpired(t *testing.T) {
	class, started, release := gateClass("HTTP/1.1")
	defer release()
	ts := serve(t, class)
	busy := dialRaw(t, ts.addr)
	busy.send("GET /slow HTTP/1.1\r\n\r\n")
	within(t, started, "the slow request")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ts.ShutdownContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ShutdownContext = %v, want context.Canceled", err)
	}
	if got, end := busy.readAll(); got != "" || end == endOpen {
		t.Errorf("busy connection: %q (%s), want closed", got, end)
	}
}

// TestOneConnectionAtATime checks that HTTPServer serves one connection at
// a time (a kept-alive connection holds up the next client, as in Python)
// while ThreadingHTTPServer serves them at once.
func TestOneConnectionAtATime(t *testing.T) {
	class := probeClass(func(b *httpserver.BaseHandler) { b.ProtocolVersion = "HTTP/1.1" })
	for _, threading := range []bool{false, true} {
		t.Run("threading="+strconv.FormatBool(threading), func(t *testing.T) {
			srv := startServer(t, threading, class, new(syncbuf.Buffer))
			first := dialRaw(t, srv.ServerAddress.String())
			first.send("GET / HTTP/1.1\r\n\r\n")
			readResponse(t, first)
			second := dialRaw(t, srv.ServerAddress.String())
			second.send("GET / HTTP/1.1\r\n\r\n")
			if threading {
				if r := readResponse(t, second); r.body != "Hello, world!" {
					t.Errorf("second client: %q", r.body)
				}
				return
			}
			if got, end := second.quiet(); got != "" || end != endOpen {
				t.Fatalf("second client served while the first is open: %q (%s)", got, end)
			}
			first.nc.Close()
			if r := readResponse(t, second); r.body != "Hello, world!" {
				t.Errorf("second client after the first closed: %q", r.body)
			}
		})
	}
}

// TestServerCloseWaits checks ThreadingMixIn's rule: ServerClose waits
// for the connections when BlockOnClose is set and DaemonThreads is not,
// and does not wait for daemon connections (the constructor's default).
func TestServerCloseWaits(t *testing.T) {
	for _, daemon := range []bool{false, true} {
		t.Run("DaemonThreads="+strconv.FormatBool(daemon), func(t *testing.T) {
			class, started, release := gateClass("")
			defer release()
			srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", class)
			if err != nil {
				t.Fatal(err)
			}
			if !srv.DaemonThreads || !srv.BlockOnClose {
				t.Errorf("NewThreadingHTTPServer: DaemonThreads %v, BlockOnClose %v; want true, true", srv.DaemonThreads, srv.BlockOnClose)
			}
			srv.DaemonThreads = daemon
			srv.Stderr = new(syncbuf.Buffer)
			served := make(chan error, 1)
			go func() { served <- srv.ServeForever() }()
			c := dialRaw(t, srv.ServerAddress.String())
			c.send("GET /slow HTTP/1.0\r\n\r\n")
			within(t, started, "the request")
			srv.Shutdown()
			<-served
			closed := make(chan error, 1)
			go func() { closed <- srv.ServerClose() }()
			if daemon {
				within(t, closed, "ServerClose with a daemon connection")
				release()
				return
			}
			notYet(t, closed, "ServerClose with a connection in progress")
			release()
			within(t, closed, "ServerClose after the connection ended")
			if got, _ := c.readAll(); !strings.HasSuffix(got, "done") {
				t.Errorf("response %q", got)
			}
		})
	}
}

// TestReuseAddress checks allow_reuse_address: the port can be bound
// again at once although the server's side of a closed connection is in
// TIME_WAIT.
func TestReuseAddress(t *testing.T) {
	srv, err := httpserver.NewHTTPServer("127.0.0.1:0", probeClass(func(b *httpserver.BaseHandler) {}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = new(syncbuf.Buffer)
	addr := srv.ServerAddress.String()
	// An HTTP/1.0 response: the server closes first, so its side of the
	// connection goes to TIME_WAIT.
	c := dialRaw(t, addr)
	c.send("GET / HTTP/1.0\r\n\r\n")
	if err := srv.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	c.readAll()
	c.nc.Close()
	srv.ServerClose()
	again, err := httpserver.NewHTTPServer(addr, httpserver.Class[probe]())
	if err != nil {
		t.Fatalf("binding %s again right after close: %v", addr, err)
	}
	again.ServerClose()
}

// TestVerifyRequest checks that a connection VerifyRequest refuses is
// closed without being served.
func TestVerifyRequest(t *testing.T) {
	var seen atomic.Value
	ts := serve(t, probeClass(func(b *httpserver.BaseHandler) {}), func(s *httpserver.HTTPServer) {
		s.VerifyRequest = func(conn net.Conn, client net.Addr) bool {
			seen.Store(client.String() + " " + conn.RemoteAddr().String())
			return false
		}
	})
	c := dialRaw(t, ts.addr)
	c.send("GET / HTTP/1.0\r\n\r\n")
	if got, end := c.readAll(); got != "" || end == endOpen {
		t.Errorf("refused connection: %q (%s), want closed unserved", got, end)
	}
	local := c.nc.LocalAddr().String()
	if got := seen.Load(); got != local+" "+local {
		t.Errorf("VerifyRequest saw %v, want the client's address %s twice", got, local)
	}
	if log := ts.stop(); log != "" {
		t.Errorf("log %q, want nothing", log)
	}
}

// TestServiceActions checks that ServeForever calls ServiceActions while
// it waits for connections and after each one.
func TestServiceActions(t *testing.T) {
	calls := make(chan struct{}, 100)
	ts := serve(t, probeClass(func(b *httpserver.BaseHandler) {}), func(s *httpserver.HTTPServer) {
		s.ServiceActions = func() { calls <- struct{}{} }
	})
	within(t, calls, "ServiceActions while idle")
	within(t, calls, "ServiceActions while idle, again")
	c := dialRaw(t, ts.addr)
	c.send("GET / HTTP/1.0\r\n\r\n")
	c.readAll()
	within(t, calls, "ServiceActions after a connection")
}

// panicker panics in its GET, after writing part of a response.
type panicker struct{ httpserver.BaseHandler }

func (h *panicker) DoGET() {
	if h.Path == "/ok" {
		h.SendResponse(204)
		h.EndHeaders()
		return
	}
	panic("boom")
}

// TestPanicInDoMethod checks that a panic is reported like Python's
// uncaught exception, by HandleError between two lines of 40 dashes, closes
// only its connection, and leaves the server serving.
func TestPanicInDoMethod(t *testing.T) {
	for _, threading := range []bool{true, false} {
		t.Run("threading="+strconv.FormatBool(threading), func(t *testing.T) {
			log := new(syncbuf.Buffer)
			srv := startServer(t, threading, httpserver.Class[panicker](), log)
			c := dialRaw(t, srv.ServerAddress.String())
			c.send("GET / HTTP/1.0\r\n\r\n")
			if got, end := c.readAll(); got != "" || end == endOpen {
				t.Errorf("panicking request: %q (%s), want closed with nothing sent", got, end)
			}
			next := dialRaw(t, srv.ServerAddress.String())
			next.send("GET /ok HTTP/1.0\r\n\r\n")
			if got, _ := next.readAll(); !strings.HasPrefix(got, "HTTP/1.0 204 No Content\r\n") {
				t.Errorf("the next connection: %q", got)
			}
			srv.Shutdown()
			srv.ServerClose()

			const dashes = "----------------------------------------\n"
			port := c.nc.LocalAddr().(*net.TCPAddr).Port
			report := regexp.MustCompile(`(?s)^` + dashes +
				`Exception occurred during processing of request from \('127\.0\.0\.1', ` + strconv.Itoa(port) + `\)\n` +
				`panic: boom\n\ngoroutine \d+ \[running\]:\n.*\(\*panicker\)\.DoGET.*\n` + dashes + `$`)
			const okLine = "127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] \"GET /ok HTTP/1.0\" 204 -\n"
			got := maskLog(log.String())
			block, ok := strings.CutSuffix(got, okLine)
			if !ok || !report.MatchString(block) {
				t.Errorf("stderr:\n%s\nwant the 40-dash block with the client address, the panic and its stack, then the log line of the next request", got)
			}
		})
	}
}

// TestHandleErrorHook checks that a custom HandleError gets the panic as a
// *PanicError with its value and stack, and the connection and address.
func TestHandleErrorHook(t *testing.T) {
	type report struct {
		err    error
		client string
		conn   bool
	}
	reports := make(chan report, 1)
	ts := serve(t, httpserver.Class[panicker](), func(s *httpserver.HTTPServer) {
		s.HandleError = func(conn net.Conn, client net.Addr, err error) {
			reports <- report{err, client.String(), conn != nil}
		}
	})
	c := dialRaw(t, ts.addr)
	c.send("GET / HTTP/1.0\r\n\r\n")
	c.readAll()
	r := within(t, reports, "HandleError")
	var pe *httpserver.PanicError
	if !errors.As(r.err, &pe) || pe.Value != "boom" || !strings.Contains(string(pe.Stack), "(*panicker).DoGET") {
		t.Fatalf("HandleError got %#v, want a *PanicError for boom with the stack", r.err)
	}
	if r.client != c.nc.LocalAddr().String() || !r.conn {
		t.Errorf("HandleError got client %s (conn set: %v), want %s", r.client, r.conn, c.nc.LocalAddr())
	}
	if got := r.err.Error(); got != "panic: boom" {
		t.Errorf("Error() = %q", got)
	}
	if log := ts.stop(); log != "" {
		t.Errorf("default report written although HandleError is set: %q", log)
	}
}

// shutdowner stops its own server from inside a request.
type shutdowner struct{ httpserver.BaseHandler }

func (h *shutdowner) DoGET() {
	h.Server.Shutdown()
	h.SendResponse(204)
	h.EndHeaders()
}

// TestShutdownFromHandler checks that Shutdown called by a handler of a
// threading server returns (Python's deadlocks) and the response is sent.
func TestShutdownFromHandler(t *testing.T) {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.Class[shutdowner]())
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = new(syncbuf.Buffer)
	defer srv.ServerClose()
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	c := dialRaw(t, srv.ServerAddress.String())
	c.send("GET / HTTP/1.0\r\n\r\n")
	if got, _ := c.readAll(); !strings.HasPrefix(got, "HTTP/1.0 204 ") {
		t.Errorf("response %q", got)
	}
	if err := within(t, served, "ServeForever"); !errors.Is(err, httpserver.ErrServerClosed) {
		t.Errorf("ServeForever = %v", err)
	}
}

// startServer starts class on an HTTPServer or, with threading, on a
// ThreadingHTTPServer whose ServerClose waits for its connections; its
// output goes to stderr. It is shut down and closed at the end of the test.
func startServer(t *testing.T, threading bool, class httpserver.HandlerClass, stderr *syncbuf.Buffer) *httpserver.HTTPServer {
	t.Helper()
	var srv *httpserver.HTTPServer
	serveForever := func() error { return srv.ServeForever() }
	if threading {
		s, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", class)
		if err != nil {
			t.Fatal(err)
		}
		s.DaemonThreads = false
		srv, serveForever = &s.HTTPServer, s.ServeForever
	} else {
		s, err := httpserver.NewHTTPServer("127.0.0.1:0", class)
		if err != nil {
			t.Fatal(err)
		}
		srv = s
	}
	srv.Stderr = stderr
	served := make(chan error, 1)
	go func() { served <- serveForever() }()
	t.Cleanup(func() {
		srv.Shutdown()
		<-served
		srv.ServerClose()
	})
	return srv
}

// TestServerKindFixedByType checks that the kind of a server is fixed by
// its constructor or its type, not by state its methods set: a
// ThreadingHTTPServer serves connections at once (a slow one does not hold
// up the next) whether it was made as a struct literal or by its
// constructor and served through its embedded *HTTPServer, and ServerClose
// racing with ServeForever is safe (run under -race: the kind used to be a
// field each serving method wrote).
func TestServerKindFixedByType(t *testing.T) {
	concurrent := func(t *testing.T, serve func(class httpserver.HandlerClass, l net.Listener) (*httpserver.HTTPServer, <-chan error)) {
		class, started, open := gateClass("HTTP/1.0")
		defer open()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv, served := serve(class, l)
		slow := dialRaw(t, l.Addr().String())
		slow.send("GET /slow HTTP/1.0\r\n\r\n")
		within(t, started, "the slow request's start")
		fast := dialRaw(t, l.Addr().String())
		fast.send("GET /fast HTTP/1.0\r\n\r\n")
		if got, _ := fast.readAll(); !strings.HasSuffix(got, "done") {
			t.Errorf("second client while the first is served: %q", got)
		}
		open()
		if got, _ := slow.readAll(); !strings.HasSuffix(got, "done") {
			t.Errorf("slow client: %q", got)
		}
		srv.Shutdown()
		within(t, served, "Serve after Shutdown")
		srv.ServerClose()
	}
	t.Run("struct literal threading", func(t *testing.T) {
		concurrent(t, func(class httpserver.HandlerClass, l net.Listener) (*httpserver.HTTPServer, <-chan error) {
			srv := &httpserver.ThreadingHTTPServer{HTTPServer: httpserver.HTTPServer{RequestHandlerClass: class, Stderr: new(syncbuf.Buffer)}}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(l) }()
			return &srv.HTTPServer, served
		})
	})
	t.Run("constructed threading served as *HTTPServer", func(t *testing.T) {
		concurrent(t, func(class httpserver.HandlerClass, l net.Listener) (*httpserver.HTTPServer, <-chan error) {
			l.Close()
			s, err := httpserver.NewThreadingHTTPServer(l.Addr().String(), class)
			if err != nil {
				t.Fatal(err)
			}
			srv := &s.HTTPServer
			srv.Stderr = new(syncbuf.Buffer)
			served := make(chan error, 1)
			go func() { served <- srv.ServeForever() }()
			return srv, served
		})
	})
	t.Run("ServerClose racing ServeForever", func(t *testing.T) {
		for range 20 {
			srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", probeClass(func(*httpserver.BaseHandler) {}))
			if err != nil {
				t.Fatal(err)
			}
			served := make(chan error, 1)
			go func() { served <- srv.ServeForever() }()
			srv.ServerClose()
			srv.Shutdown()
			if err := within(t, served, "ServeForever after ServerClose"); !errors.Is(err, httpserver.ErrServerClosed) {
				t.Errorf("ServeForever = %v, want ErrServerClosed", err)
			}
		}
	})
}
