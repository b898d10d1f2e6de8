package httpservertest_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/httpservertest"
)

// Time limits: ioLimit bounds every wait for something that must happen;
// quietTime is how long something must not happen to count as not
// happening.
const (
	ioLimit   = 10 * time.Second
	quietTime = 150 * time.Millisecond
)

// gate holds the requests for /slow until the test releases them.
type gate struct {
	started  chan struct{} // one value per /slow request that began
	release  chan struct{} // closed by open
	once     sync.Once
	returned atomic.Int32 // /slow handlers that returned
}

func newGate() *gate {
	return &gate{started: make(chan struct{}, 10), release: make(chan struct{})}
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// echo answers GET and SPAM with the method, the path and the scheme it
// was reached by, in a response whose bytes are all known in advance (a
// fixed Date and Server). /slow waits at its gate first; /panic panics.
type echo struct {
	httpserver.BaseHandler
	gate *gate
}

// echoClass makes echo handlers speaking protocol that share g.
func echoClass(protocol string, g *gate) httpserver.HandlerClass {
	return func() httpserver.Handler {
		h := &echo{gate: g}
		h.ProtocolVersion = protocol
		h.ServerVersion, h.SysVersion = "Echo/1", "Test"
		return h
	}
}

const fixedDate = "Thu, 01 Jan 1970 00:00:00 GMT"

func (h *echo) DateTimeString(time.Time) string { return fixedDate }

func (h *echo) DoGET()  { h.answer() }
func (h *echo) DoSPAM() { h.answer() }

func (h *echo) answer() {
	switch h.Path {
	case "/slow":
		defer h.gate.returned.Add(1)
		h.gate.started <- struct{}{}
		<-h.gate.release
	case "/panic":
		panic("echo was asked to panic")
	}
	over := "http"
	if h.TLS != nil {
		over = "https"
	}
	body := h.Command + " " + h.Path + " over " + over
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(len(body)))
	h.EndHeaders()
	h.Wfile.WriteString(body)
}

// okResponse is the exact response of echo speaking protocol to a
// request answered with body.
func okResponse(protocol, body string) string {
	return protocol + " 200 OK\r\nServer: Echo/1 Test\r\nDate: " + fixedDate + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
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

// get GETs url with c and returns the body and whether the request went
// over a connection that had served an earlier one.
func get(t *testing.T, c *http.Client, url string) (body string, reused bool) {
	t.Helper()
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
	ctx, cancel := context.WithTimeout(httptrace.WithClientTrace(context.Background(), trace), ioLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %q", url, resp.Status, b)
	}
	return string(b), reused
}

// dial opens a raw connection to s, closed at the end of the test.
func dial(t *testing.T, s *httpservertest.Server) net.Conn {
	t.Helper()
	c, err := s.Dial()
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readToEnd reads from c until the server closes it; it fails the test if
// the connection stays open for ioLimit.
func readToEnd(t *testing.T, c net.Conn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(ioLimit))
	b, err := io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server kept the connection open; read %q", b)
	}
	return string(b)
}

// readResponse reads the response want from c, which stays open, and
// fails the test if anything else comes.
func readResponse(t *testing.T, c net.Conn, want string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(ioLimit))
	got := make([]byte, len(want))
	n, err := io.ReadFull(c, got)
	if err != nil || string(got) != want {
		t.Fatalf("got %q (%v), want %q", got[:n], err, want)
	}
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatalf("write: %v", err)
	}
}

var urlPattern = regexp.MustCompile(`^(https?)://(127\.0\.0\.1|\[::1\]):([0-9]+)$`)

// checkURL checks that s.URL is scheme://loopback:port, with no trailing
// slash, and names the listener's address and the server's ServerPort.
func checkURL(t *testing.T, s *httpservertest.Server, wantScheme string) {
	t.Helper()
	m := urlPattern.FindStringSubmatch(s.URL)
	if m == nil || m[1] != wantScheme {
		t.Fatalf("URL = %q, want %s://127.0.0.1:PORT", s.URL, wantScheme)
	}
	if want := wantScheme + "://" + s.Listener.Addr().String(); s.URL != want {
		t.Errorf("URL = %q, want the listener's %q", s.URL, want)
	}
	// Read right after the constructor returned: Start must have set it
	// (the race detector checks that it did so before returning).
	if port := strconv.Itoa(s.Config.ServerPort); port != m[3] {
		t.Errorf("Config.ServerPort = %s, want the URL's %s", port, m[3])
	}
}

// starts are the two ways to get a started server, with the scheme of
// its URL.
var starts = []struct {
	name   string
	new    func(httpserver.HandlerClass) *httpservertest.Server
	scheme string
}{{"NewServer", httpservertest.NewServer, "http"}, {"NewTLSServer", httpservertest.NewTLSServer, "https"}}

// TestStarted checks that a started server answers at its URL through its
// Client, and has a certificate only with TLS.
func TestStarted(t *testing.T) {
	for _, start := range starts {
		t.Run(start.name, func(t *testing.T) {
			s := start.new(echoClass("HTTP/1.0", nil))
			defer s.Close()
			checkURL(t, s, start.scheme)
			if got, _ := get(t, s.Client(), s.URL+"/hello"); got != "GET /hello over "+start.scheme {
				t.Errorf("GET /hello = %q", got)
			}
			if got := s.Certificate() != nil; got != (start.scheme == "https") {
				t.Errorf("Certificate() != nil is %v", got)
			}
		})
	}
}

// TestTLSCertificate checks the test certificate: trusted by Client and
// no other client, ECDSA P-256, for the loopback names, one per process.
func TestTLSCertificate(t *testing.T) {
	s := httpservertest.NewTLSServer(echoClass("HTTP/1.0", nil))
	defer s.Close()
	// The Client trusts the test certificate; a client that does not
	// is refused.
	_, err := (&http.Client{Transport: &http.Transport{}, Timeout: ioLimit}).Get(s.URL + "/hello")
	if !errors.As(err, new(x509.UnknownAuthorityError)) {
		t.Errorf("GET with a client that does not trust the certificate: %v, want x509.UnknownAuthorityError", err)
	}

	cert := s.Certificate()
	if cert == nil {
		t.Fatal("Certificate() = nil")
	}
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("the certificate's key is a %T, want an ECDSA P-256 key", cert.PublicKey)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("the certificate is not valid for %s: %v", host, err)
		}
	}
	if !bytes.Equal(s.TLS.Certificates[0].Certificate[0], cert.Raw) {
		t.Error("Certificate() is not the certificate in TLS.Certificates")
	}

	other := httpservertest.NewTLSServer(echoClass("HTTP/1.0", nil))
	defer other.Close()
	if !other.Certificate().Equal(cert) {
		t.Error("a second TLS server has another certificate; want one per process")
	}
}

// TestStartTLSKeepsConfig checks that StartTLS uses a TLS configuration
// the test set, adding the certificate and the protocol it lacks.
func TestStartTLSKeepsConfig(t *testing.T) {
	s := httpservertest.NewUnstartedServer(echoClass("HTTP/1.0", nil))
	defer s.Close()
	s.TLS = &tls.Config{MinVersion: tls.VersionTLS13}
	s.StartTLS()
	if len(s.TLS.Certificates) != 1 || !slicesEqual(s.TLS.NextProtos, []string{"http/1.1"}) {
		t.Errorf("TLS after StartTLS: %d certificates, NextProtos %q; want the test certificate and http/1.1", len(s.TLS.Certificates), s.TLS.NextProtos)
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	c, err := tls.Dial("tcp", s.Listener.Addr().String(), &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12})
	if err == nil {
		c.Close()
		t.Error("a TLS 1.2 client was served by a server set to TLS 1.3 only")
	}
	if got, _ := get(t, s.Client(), s.URL+"/hello"); got != "GET /hello over https" {
		t.Errorf("GET /hello = %q", got)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// TestNewUnstartedServer checks that the unstarted server listens, so a
// client can connect, but answers only once started; and that it starts
// once.
func TestNewUnstartedServer(t *testing.T) {
	s := httpservertest.NewUnstartedServer(echoClass("HTTP/1.0", nil))
	defer s.Close()
	if s.URL != "" {
		t.Errorf("URL before Start = %q, want empty", s.URL)
	}
	c := dial(t, s)
	write(t, c, "GET /early HTTP/1.0\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(quietTime))
	if n, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("before Start the server answered: %d bytes, %v", n, err)
	}
	s.Start()
	checkURL(t, s, "http")
	if got := readToEnd(t, c); !strings.HasSuffix(got, "\r\n\r\nGET /early over http") {
		t.Errorf("the request sent before Start got %q", got)
	}
	for name, start := range map[string]func(){"Start": s.Start, "StartTLS": s.StartTLS} {
		if msg := panicOf(start); msg != "httpservertest: server already started" {
			t.Errorf("%s on a started server: panic %q", name, msg)
		}
	}

	replaced := httpservertest.NewUnstartedServer(echoClass("HTTP/1.0", nil))
	defer replaced.Close()
	replaced.Config = &httpserver.HTTPServer{RequestHandlerClass: echoClass("HTTP/1.0", nil)}
	if msg := panicOf(replaced.Start); msg != "httpservertest: Config was replaced; set its fields instead" {
		t.Errorf("Start with Config replaced: panic %q", msg)
	}
}

// panicOf calls f and returns what it panicked with ("" if it did not).
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg, _ = r.(string)
		}
	}()
	f()
	return ""
}

// TestConcurrentConnections checks that the server is a threading one: a
// request held in its handler does not hold up another client.
func TestConcurrentConnections(t *testing.T) {
	g := newGate()
	s := httpservertest.NewServer(echoClass("HTTP/1.1", g))
	defer s.Close()
	defer g.open() // before Close, which waits for the handler
	slow := dial(t, s)
	write(t, slow, "GET /slow HTTP/1.0\r\n\r\n")
	within(t, g.started, "the slow request")
	if got, _ := get(t, s.Client(), s.URL+"/hello"); got != "GET /hello over http" {
		t.Errorf("GET /hello while /slow is in progress = %q", got)
	}
	g.open()
	if got := readToEnd(t, slow); !strings.HasSuffix(got, "GET /slow over http") {
		t.Errorf("GET /slow = %q", got)
	}
}

// idleAndBusy opens two connections to s, an echo server speaking
// HTTP/1.1 with gate g: idle has had a request answered and waits for the
// next; busy has a request for /slow held at the gate.
func idleAndBusy(t *testing.T, s *httpservertest.Server, g *gate) (idle, busy net.Conn) {
	t.Helper()
	idle = dial(t, s)
	write(t, idle, "GET /hello HTTP/1.1\r\n\r\n")
	readResponse(t, idle, okResponse("HTTP/1.1", "GET /hello over http"))
	busy = dial(t, s)
	write(t, busy, "GET /slow HTTP/1.1\r\n\r\n")
	within(t, g.started, "the slow request")
	return idle, busy
}

// TestClose checks that Close closes a connection whose request is in
// progress at once, but returns only after its handler has, and then
// refuses connections.
func TestClose(t *testing.T) {
	g := newGate()
	defer g.open()
	s := httpservertest.NewServer(echoClass("HTTP/1.1", g))
	idle, busy := idleAndBusy(t, s, g)

	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	start := time.Now()
	if got := readToEnd(t, busy); got != "" {
		t.Errorf("the connection in progress got %q, want closed without a response", got)
	}
	if got := readToEnd(t, idle); got != "" {
		t.Errorf("the idle connection got %q, want closed", got)
	}
	// Close waits 5 s for handlers before it closes connections as a
	// last resort; these must be closed at once.
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("Close took %v to close the connections", d)
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a handler was running")
	case <-time.After(quietTime):
	}
	g.open()
	within(t, closed, "Close after the handler was released")
	if n := g.returned.Load(); n != 1 {
		t.Errorf("when Close returned, %d /slow handlers had returned, want 1", n)
	}
	if c, err := s.Dial(); err == nil {
		c.Close()
		t.Error("Dial after Close succeeded")
	}
	s.Close() // again: nothing happens
}

// TestCloseUnstarted checks that Close of a server never started closes
// its listener.
func TestCloseUnstarted(t *testing.T) {
	s := httpservertest.NewUnstartedServer(echoClass("HTTP/1.0", nil))
	s.Close()
	if c, err := s.Dial(); err == nil {
		c.Close()
		t.Error("Dial after Close succeeded")
	}
}

// TestCloseClientConnections checks that every connection, idle or busy,
// is closed and that the server goes on serving new ones.
func TestCloseClientConnections(t *testing.T) {
	g := newGate()
	s := httpservertest.NewServer(echoClass("HTTP/1.1", g))
	defer s.Close()
	defer g.open() // before Close, which waits for the handler
	get(t, s.Client(), s.URL+"/hello")
	idle, busy := idleAndBusy(t, s, g)

	s.CloseClientConnections()
	if got := readToEnd(t, busy); got != "" {
		t.Errorf("the connection in progress got %q, want closed without a response", got)
	}
	if got := readToEnd(t, idle); got != "" {
		t.Errorf("the idle connection got %q, want closed", got)
	}
	got, reused := get(t, s.Client(), s.URL+"/again")
	if got != "GET /again over http" || reused {
		t.Errorf("GET /again after CloseClientConnections = %q (reused connection: %v), want served on a new connection", got, reused)
	}
}

// TestClientReusesConnections checks that Client keeps connections alive,
// plain and over TLS.
func TestClientReusesConnections(t *testing.T) {
	for _, start := range starts {
		t.Run(start.name, func(t *testing.T) {
			s := start.new(echoClass("HTTP/1.1", nil))
			defer s.Close()
			for i, wantReused := range []bool{false, true, true} {
				// Client at each request: the same client, so the same pool.
				if _, reused := get(t, s.Client(), s.URL+"/hello"); reused != wantReused {
					t.Errorf("request %d: reused connection %v, want %v", i+1, reused, wantReused)
				}
			}
		})
	}
}

// trackedConn records whether the client closed it before the server had.
type trackedConn struct {
	net.Conn
	sawEnd       atomic.Bool // a Read failed: the server closed its end
	closedFirst  atomic.Bool // Close came before any failed Read
	closedSignal chan struct{}
	once         sync.Once
}

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.sawEnd.Store(true)
	}
	return n, err
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.closedFirst.Store(!c.sawEnd.Load())
		close(c.closedSignal)
	})
	return c.Conn.Close()
}

// TestCloseClosesClientIdleConnections checks that Close makes the
// Client close its idle connections itself, instead of leaving them to
// notice that the server hung up.
func TestCloseClosesClientIdleConnections(t *testing.T) {
	s := httpservertest.NewServer(echoClass("HTTP/1.1", nil))
	tr := s.Client().Transport.(*http.Transport)
	conns := make(chan *trackedConn, 10)
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, closedSignal: make(chan struct{})}
		conns <- tc
		return tc, nil
	}
	get(t, s.Client(), s.URL+"/hello")
	c := within(t, conns, "the client's connection")
	s.Close()
	within(t, c.closedSignal, "the client closing its connection")
	if !c.closedFirst.Load() {
		t.Error("the client's idle connection was closed only after the server hung up on it")
	}
}

// TestDial checks that Dial gives a raw connection that carries the exact
// bytes sent (a custom method, HTTP/0.9) and returns the exact bytes of
// the response, plain and over TLS.
func TestDial(t *testing.T) {
	for _, start := range starts {
		t.Run(start.name, func(t *testing.T) {
			s := start.new(echoClass("HTTP/1.0", nil))
			defer s.Close()
			over := start.scheme
			cases := []struct{ req, want string }{
				{"SPAM /exact HTTP/1.0\r\n\r\n", okResponse("HTTP/1.0", "SPAM /exact over "+over)},
				{"GET /nine\r\n", "GET /nine over " + over},
				{"DELETE /x HTTP/1.0\r\n\r\n", "HTTP/1.0 501 Unsupported method ('DELETE')\r\n"},
			}
			for _, tc := range cases {
				c := dial(t, s)
				if _, ok := c.(*tls.Conn); ok != (start.scheme == "https") {
					t.Fatalf("Dial returned a %T", c)
				}
				write(t, c, tc.req)
				got := readToEnd(t, c)
				if strings.HasSuffix(tc.want, "\r\n") && strings.HasPrefix(got, tc.want) {
					continue // an error page: its status line is what is checked
				}
				if got != tc.want {
					t.Errorf("%q got\n%q\nwant\n%q", tc.req, got, tc.want)
				}
			}
		})
	}
}

// TestConfig checks that Config's fields set before Start apply: Stderr
// receives the log, a limit refuses a request, a hook is called.
func TestConfig(t *testing.T) {
	s := httpservertest.NewUnstartedServer(echoClass("HTTP/1.0", nil))
	defer s.Close()
	var log bytes.Buffer // written one line at a time by the server, read after Close
	var verified atomic.Int32
	s.Config.Stderr = &log
	s.Config.MaxHeaderBytes = 300
	s.Config.VerifyRequest = func(net.Conn, net.Addr) bool { verified.Add(1); return true }
	s.Start()

	get(t, s.Client(), s.URL+"/logged")
	c := dial(t, s)
	write(t, c, "GET /big HTTP/1.0\r\nX-Filler: "+strings.Repeat("x", 300)+"\r\n\r\n")
	if got := readToEnd(t, c); !strings.HasPrefix(got, "HTTP/1.0 431 ") {
		t.Errorf("a request with 300 bytes of headers under MaxHeaderBytes 300 got %q, want 431", got)
	}
	s.Close() // the log is complete
	for _, want := range []string{`"GET /logged HTTP/1.1" 200 -`, `"GET /big HTTP/1.0" 431 -`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("Stderr lacks %s:\n%s", want, log.String())
		}
	}
	if n := verified.Load(); n != 2 {
		t.Errorf("VerifyRequest was called %d times, want 2 (one per connection)", n)
	}
}

// TestQuietLog checks where the log goes when the test does not set
// Stderr: request lines nowhere, a handler's panic to os.Stderr.
func TestQuietLog(t *testing.T) {
	stderr, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = stderr
	defer func() { os.Stderr = saved }()

	s := httpservertest.NewServer(echoClass("HTTP/1.0", nil))
	get(t, s.Client(), s.URL+"/hello")
	c := dial(t, s)
	write(t, c, "GET /panic HTTP/1.0\r\n\r\n")
	if got := readToEnd(t, c); got != "" {
		t.Errorf("GET /panic got %q, want the connection closed", got)
	}
	s.Close()
	os.Stderr = saved

	out, err := os.ReadFile(stderr.Name())
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "httpservertest: panic serving 127.0.0.1:") && !strings.HasPrefix(got, "httpservertest: panic serving [::1]:") ||
		!strings.Contains(got, ": echo was asked to panic\n") || !strings.Contains(got, "(*echo).answer") {
		t.Errorf("os.Stderr = %q, want the panic with its stack", got)
	}
	if strings.Contains(got, "GET /") {
		t.Errorf("os.Stderr has request log lines:\n%s", got)
	}
}
