package httpserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// HTTPServer accepts connections and runs a handler on each, as Python's
// http.server.HTTPServer (a socketserver.TCPServer): one connection at a
// time, so a kept-alive connection holds up every other client until it
// closes. ThreadingHTTPServer serves each connection on its own goroutine.
//
// NewHTTPServer binds and listens. A server made as a struct literal has
// no listener until Serve is given one. Set the configuration fields before
// serving; they are read while serving.
type HTTPServer struct {
	// Set by the constructor (or Serve) from the bound socket.

	// ServerAddress is the bound address, with the real port when port 0
	// was asked for, as server_address after server_bind.
	ServerAddress net.Addr
	// ServerName is the fully qualified name of the bound host, as
	// Python's socket.getfqdn gives it; informational only.
	ServerName string
	// ServerPort is the bound port.
	ServerPort int
	// RequestHandlerClass makes the handler of each connection.
	RequestHandlerClass HandlerClass

	// Configuration.

	// Timeout bounds how long HandleRequest waits for a connection, as
	// BaseServer.timeout; 0 means forever. ServeForever ignores it.
	Timeout time.Duration
	// DaemonThreads and BlockOnClose decide whether ServerClose waits for
	// the connections of a threading server to finish: it does when
	// BlockOnClose is true and DaemonThreads false, as ThreadingMixIn
	// joins non-daemon threads. NewThreadingHTTPServer sets both true, as
	// ThreadingHTTPServer does (so ServerClose does not wait). The
	// single-connection HTTPServer ignores both.
	DaemonThreads bool
	BlockOnClose  bool
	// Stderr receives what Python writes to sys.stderr: request log
	// lines, errors and HandleError reports. Nil means os.Stderr. Each
	// line (each report) is one Write, in order, made by a goroutine of
	// the server's, so Stderr need not be safe for concurrent use. A
	// handler waits for its line to be written, as in Python, but never
	// on a Stderr that blocks: once a write has taken 100 ms, lines are
	// queued (up to 256 KiB; more are dropped, and a line
	// "httpserver: N log lines dropped" takes their place) and requests
	// go on. A failed write is dropped. ServerClose waits up to a second
	// for the queued lines.
	Stderr io.Writer

	// Limits against slow and hostile clients, beyond Python (whose
	// server has none of them). Zero means no limit, as in Python; the
	// command-line server sets them all.

	// ReadHeaderTimeout bounds the time to receive a request's line and
	// headers: from the connection's accept for its first request (the
	// TLS handshake included), from the first byte of each later one. A
	// client that is too slow is logged as "Request timed out" and
	// disconnected, however steadily it trickles bytes. It also bounds the
	// wait for the rest of a body the do-method left unread, which is
	// drained after the response is sent.
	ReadHeaderTimeout time.Duration
	// ReadBodyTimeout bounds how long a do-method's reads (of Body, or of
	// Rfile) may wait for the client: at most this long in all for each
	// 64 KiB that arrives. A client that stops sending its body, or
	// trickles it however it paces the bytes (one byte a minute, or one
	// just before each timeout), has the read fail with a timeout, is
	// logged as "Request timed out" and disconnected after the response;
	// a body that keeps coming at 64 KiB per ReadBodyTimeout or faster is
	// never cut, however large, and the handler's own time between reads
	// does not count.
	ReadBodyTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for
	// the first byte of its next request; it is then closed quietly. It
	// also bounds the drain of an unread body when ReadHeaderTimeout is 0.
	IdleTimeout time.Duration
	// WriteTimeout bounds each write to a client (each 4 MiB of a file
	// sent with sendfile), so a client that stops reading is logged as
	// "Request timed out" and disconnected. It bounds the client, not
	// the handler: a body copied from a slow source is not cut off.
	WriteTimeout time.Duration
	// MaxHeaderBytes caps the request line, the header lines and the
	// blank line that ends them, together; a longer request line gets 414,
	// longer headers 431. Python's own limits (65536 bytes a line, 100
	// header lines) apply in any case.
	MaxHeaderBytes int
	// MaxConns caps the connections served at once by a threading
	// server. When they are all taken, a new client is not kept waiting
	// behind kept-alive connections that sit idle between requests: the
	// one that has been idle longest is closed (clients expect that of a
	// kept-alive connection, and retry) and its slot goes to the new
	// client. When none is idle, the new client waits, accepted, for a
	// connection to end or fall idle, and further clients wait in the
	// listen backlog; or, with OverloadRetryAfter, it is answered 503.
	MaxConns int
	// OverloadRetryAfter, when positive, makes a client that finds all
	// MaxConns connections busy (none idle to close) get 503 Service
	// Unavailable at once, with Retry-After: this duration in whole
	// seconds (rounded up), instead of waiting. The response is the
	// handler's SendError(503) (Python's error page, logged as any
	// error) with Retry-After added, sent as soon as the request begins
	// to arrive (or after a second without it), without reading it;
	// then the connection closes. At most 64 such answers are in progress
	// at once (on HTTPS each needs a handshake); beyond them a client is
	// closed unanswered. Zero: clients wait.
	OverloadRetryAfter time.Duration
	// MaxMethodLength caps the length of a request method; a longer one
	// gets 501 without its text echoed.
	MaxMethodLength int
	// RequireHost makes an HTTP/1.1 request without exactly one valid Host
	// header an error (400), as RFC 9112 asks. Python does not check.
	RequireHost bool

	// Hooks Python programs override on their server subclass; nil means
	// Python's default. On threading servers they may be called from
	// several goroutines at once.

	// VerifyRequest decides whether to serve a connection (after the TLS
	// handshake on the HTTPS servers); false closes it unserved. Default:
	// serve every connection.
	VerifyRequest func(conn net.Conn, clientAddress net.Addr) bool
	// HandleError reports a connection that ended with an error: a panic
	// in the handler (a *PanicError) or an I/O error other than a timeout.
	// Default: Python's block of 40 dashes, the client address and the
	// error (with the stack, for a panic) on Stderr.
	HandleError func(conn net.Conn, clientAddress net.Addr, err error)
	// HandleTimeout is called when HandleRequest's Timeout passes with no
	// connection. Default: nothing.
	HandleTimeout func()
	// ServiceActions is called by ServeForever after each connection and
	// every half second while idle, as BaseServer.service_actions.
	// Default: nothing.
	ServiceActions func()

	// Immutable after construction.
	threading bool        // made by NewThreadingHTTPServer or NewThreadingHTTPSServer
	ipv6      bool        // the listener is an IPv6 (dual-stack) socket
	tlsConfig *tls.Config // non-nil on the HTTPS servers

	handshakeTimeout time.Duration // 0 = defaultHandshakeTimeout; tests shorten it

	log logWriter // the path of log lines to Stderr

	mu                sync.Mutex // guards the fields below
	listener          net.Listener
	serving           bool
	shutdownRequested bool
	done              chan struct{} // closed when ServeForever returns
	stop              chan struct{} // closed by Shutdown while serving
	slots             chan struct{} // MaxConns tokens, one per connection
	idleWake          chan struct{} // a connection fell idle while slotWaiting
	refusing          chan struct{} // tokens of the 503 answers in progress
	conns             map[*trackedConn]struct{}
	connsDone         chan struct{} // closed when conns empties while draining

	// Read by every connection as it falls idle.
	draining    atomic.Bool // ShutdownContext runs
	slotWaiting atomic.Bool // the accept loop waits for a slot

	wg sync.WaitGroup // connection goroutines of a threading server

	snapOnce sync.Once
	snap     *snapshotCache // SimpleHandler's file and directory snapshots
}

// ThreadingHTTPServer serves each connection on its own goroutine, as
// Python's ThreadingHTTPServer (ThreadingMixIn + HTTPServer). What the
// command-line server uses.
//
// A kept-alive connection that has waited 250–500 ms for its next request
// gives up its goroutine, and a new one, with the smallest stack, waits
// for the request and serves on, so an idle connection costs little
// memory. It does so only where nothing can tell: when the handler's
// Handle and HandleOneRequest are BaseHandler's, the connection is plain
// TCP, the handler has no Timeout, and the platform is a unix. Setup runs
// once and Finish once, as always.
type ThreadingHTTPServer struct {
	HTTPServer
}

// NewHTTPServer binds addr ("host:port"; port 0 picks a free port) and
// listens, as HTTPServer(server_address, RequestHandlerClass). An IPv4
// literal host makes an IPv4 socket; an empty host or "::" a dual-stack
// IPv6 socket; a name is resolved and its first address bound.
func NewHTTPServer(addr string, class HandlerClass) (*HTTPServer, error) {
	s := &HTTPServer{RequestHandlerClass: class}
	if err := s.bind(addr); err != nil {
		return nil, err
	}
	return s, nil
}

// NewThreadingHTTPServer is NewHTTPServer for a ThreadingHTTPServer, with
// DaemonThreads and BlockOnClose true as in Python.
func NewThreadingHTTPServer(addr string, class HandlerClass) (*ThreadingHTTPServer, error) {
	s := &ThreadingHTTPServer{}
	s.RequestHandlerClass = class
	s.threading, s.DaemonThreads, s.BlockOnClose = true, true, true
	if err := s.bind(addr); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeForever serves on the threading server; see HTTPServer.ServeForever.
func (s *ThreadingHTTPServer) ServeForever() error { return s.serveForever(true) }

// Serve serves on l from the threading server; see HTTPServer.Serve.
func (s *ThreadingHTTPServer) Serve(l net.Listener) error { return s.serve(l, true) }

// HandleRequest handles one connection on its own goroutine; see
// HTTPServer.HandleRequest.
func (s *ThreadingHTTPServer) HandleRequest() error { return s.handleRequest(true) }

func (s *HTTPServer) bind(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("httpserver: bad address %q: %w", addr, err)
	}
	network := "tcp"
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is4() {
		network = "tcp4"
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	s.setListener(l)
	return nil
}

// setListener makes l the server's listener and fills in the address
// fields from it.
func (s *HTTPServer) setListener(l net.Listener) {
	s.mu.Lock()
	s.listener = l
	s.mu.Unlock()
	s.ServerAddress = l.Addr()
	if a, ok := l.Addr().(*net.TCPAddr); ok {
		s.ServerPort = a.Port
		s.ipv6 = a.IP.To4() == nil
		s.ServerName = getfqdn(a.IP.String())
	} else {
		s.ServerName = l.Addr().String()
	}
}

// getfqdn mirrors Python's socket.getfqdn: the wildcard addresses stand for
// this machine's host name; the answer is the first of the host's names
// that contains a dot, else its canonical name, else host unchanged. The
// lookups are bounded so that a missing resolver cannot stall a
// constructor.
func getfqdn(host string) string {
	name := strings.TrimSpace(host)
	if name == "" || name == "0.0.0.0" || name == "::" {
		if h, err := os.Hostname(); err == nil {
			name = h
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ip := name
	if _, err := netip.ParseAddr(name); err != nil {
		ips, err := net.DefaultResolver.LookupHost(ctx, name)
		if err != nil || len(ips) == 0 {
			return name
		}
		ip = ips[0]
	}
	names, err := net.DefaultResolver.LookupAddr(ctx, ip)
	if err != nil || len(names) == 0 {
		return name
	}
	for _, n := range names {
		if n = strings.TrimSuffix(n, "."); strings.Contains(n, ".") {
			return n
		}
	}
	return strings.TrimSuffix(names[0], ".")
}

// pollInterval is how often ServeForever wakes for ServiceActions, as
// serve_forever(poll_interval=0.5).
const pollInterval = 500 * time.Millisecond

type deadliner interface{ SetDeadline(time.Time) error }

// ServeForever accepts and serves connections until Shutdown or
// ServerClose, then returns ErrServerClosed, as serve_forever. Errors from
// accept are retried as Python retries them, but after a pause of up to
// 250 ms, so a full file table does not make the server spin, and the
// first of a burst (failures less than a second apart) is logged on
// Stderr. After a Shutdown made while it was not
// running, the next call returns at once, as in Python.
func (s *HTTPServer) ServeForever() error { return s.serveForever(false) }

// serveForever is ServeForever. Each connection runs on a goroutine of its
// own when the server was made by a threading constructor, or when the
// method was called on a threading type (threading), which is how a
// ThreadingHTTPServer made as a struct literal serves.
func (s *HTTPServer) serveForever(threading bool) error {
	threading = threading || s.threading
	s.mu.Lock()
	if s.serving {
		s.mu.Unlock()
		return errors.New("httpserver: ServeForever called while already serving")
	}
	if s.listener == nil {
		s.mu.Unlock()
		return errors.New("httpserver: no listener")
	}
	s.serving = true
	s.done = make(chan struct{})
	s.stop = make(chan struct{})
	stop := s.stop
	switch {
	case s.MaxConns <= 0:
		s.slots = nil
	case cap(s.slots) != s.MaxConns:
		s.slots = make(chan struct{}, s.MaxConns)
	}
	if s.idleWake == nil {
		s.idleWake = make(chan struct{}, 1)
		s.refusing = make(chan struct{}, maxRefusing)
	}
	slots := s.slots
	s.mu.Unlock()
	if threading {
		swept := make(chan struct{})
		sweepStop := make(chan struct{})
		go func() {
			s.sweepIdle(sweepStop)
			close(swept)
		}()
		defer func() {
			close(sweepStop)
			<-swept
		}()
	}
	defer func() {
		s.mu.Lock()
		s.serving = false
		s.shutdownRequested = false
		close(s.done)
		s.done = nil
		s.stop = nil
		s.mu.Unlock()
	}()

	var backoff acceptBackoff
	for {
		var deadline time.Time
		if s.ServiceActions != nil {
			deadline = time.Now().Add(pollInterval)
		}
		nc, err := s.accept(deadline)
		if err != nil {
			if s.stopping() || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			if isTimeout(err) {
				s.serviceActions()
				continue
			}
			select {
			case <-time.After(backoff.failed(s, err)):
			case <-stop:
				return ErrServerClosed
			}
			continue
		}
		backoff.accepted()
		if slots != nil {
			switch s.takeSlot(slots, nc, stop) {
			case slotRefused:
				s.serviceActions()
				continue
			case slotStopped:
				nc.Close()
				return ErrServerClosed
			}
		}
		s.serveConn(nc, slots, threading)
		s.serviceActions()
	}
}

// Serve takes ownership of l and serves connections from it as
// ServeForever does; Shutdown and ServerClose close l. It is for a server
// made as a struct literal, or for listeners a program already has (socket
// activation, tests); a server that already has a listener refuses.
func (s *HTTPServer) Serve(l net.Listener) error { return s.serve(l, false) }

func (s *HTTPServer) serve(l net.Listener, threading bool) error {
	s.mu.Lock()
	has := s.listener != nil && s.listener != l
	s.mu.Unlock()
	if has {
		return errors.New("httpserver: Serve: the server already has a listener")
	}
	s.setListener(l)
	return s.serveForever(threading)
}

// accept waits for the next connection until deadline (zero: no limit),
// unless a shutdown has been asked for.
func (s *HTTPServer) accept(deadline time.Time) (net.Conn, error) {
	s.mu.Lock()
	if s.shutdownRequested {
		s.mu.Unlock()
		return nil, ErrServerClosed
	}
	l := s.listener
	if d, ok := l.(deadliner); ok {
		d.SetDeadline(deadline)
	}
	s.mu.Unlock()
	return l.Accept()
}

func (s *HTTPServer) stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shutdownRequested
}

func (s *HTTPServer) serviceActions() {
	if s.ServiceActions != nil {
		s.ServiceActions()
	}
}

// Shutdown stops ServeForever and waits for it to return, as shutdown.
// Unlike Python's it is safe to call when the server is not serving, and
// from a handler of a threading server. Connections being served are not
// interrupted; see ShutdownContext to wait for them.
func (s *HTTPServer) Shutdown() {
	s.mu.Lock()
	s.shutdownRequested = true
	done := s.done
	if s.stop != nil {
		select {
		case <-s.stop:
		default:
			close(s.stop)
		}
	}
	if l := s.listener; l != nil && done != nil {
		if d, ok := l.(deadliner); ok {
			d.SetDeadline(time.Unix(1, 0)) // wakes a blocked Accept
		} else {
			l.Close()
		}
	}
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}

// ShutdownContext stops the server gracefully: it stops accepting, closes
// connections that are idle between requests, and waits for the requests
// in progress to finish, or for ctx to end, when it closes the remaining
// connections and returns ctx.Err(). It does not close the listener; call
// ServerClose for that.
func (s *HTTPServer) ShutdownContext(ctx context.Context) error {
	s.mu.Lock()
	s.draining.Store(true)
	conns := make([]*trackedConn, 0, len(s.conns))
	for tc := range s.conns {
		conns = append(conns, tc)
	}
	s.mu.Unlock()
	for _, tc := range conns {
		tc.closeIfIdle()
	}

	stopped := make(chan struct{})
	go func() {
		s.Shutdown()
		close(stopped)
	}()
	drained := s.connsDrained()
	var err error
	select {
	case <-drained:
	case <-ctx.Done():
		err = ctx.Err()
		s.mu.Lock()
		for tc := range s.conns {
			// Its handler's I/O now fails: that is the stop, not an
			// error to report.
			tc.closed.Store(true)
			tc.raw.Close()
		}
		s.mu.Unlock()
	}
	<-stopped
	s.mu.Lock()
	s.draining.Store(false)
	s.mu.Unlock()
	s.log.flush(time.Second)
	return err
}

// connsDrained returns a channel closed once no connection is left.
func (s *HTTPServer) connsDrained() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connsDone == nil {
		s.connsDone = make(chan struct{})
	}
	ch := s.connsDone
	if len(s.conns) == 0 {
		close(ch)
		s.connsDone = nil
	}
	return ch
}

// ServerClose closes the listener, as server_close. On a threading server
// with BlockOnClose true and DaemonThreads false it then waits for every
// connection to finish (HTTPServer serves its one connection in place, so
// there is none to wait for).
func (s *HTTPServer) ServerClose() error {
	s.mu.Lock()
	l := s.listener
	s.mu.Unlock()
	var err error
	if l != nil {
		err = l.Close()
		if errors.Is(err, net.ErrClosed) {
			err = nil
		}
	}
	if s.BlockOnClose && !s.DaemonThreads {
		s.wg.Wait() // only the threading servers add to wg
	}
	s.log.flush(time.Second)
	return err
}

// HandleRequest waits for one connection and serves it, as handle_request:
// it waits at most Timeout (when set), then calls HandleTimeout and
// returns nil. Errors from accept are swallowed, as Python swallows them,
// except that a closed listener returns ErrServerClosed.
func (s *HTTPServer) HandleRequest() error { return s.handleRequest(false) }

func (s *HTTPServer) handleRequest(threading bool) error {
	threading = threading || s.threading
	s.mu.Lock()
	l := s.listener
	s.mu.Unlock()
	if l == nil {
		return errors.New("httpserver: no listener")
	}
	var deadline time.Time
	if s.Timeout > 0 {
		deadline = time.Now().Add(s.Timeout)
	}
	if d, ok := l.(deadliner); ok {
		d.SetDeadline(deadline)
	}
	nc, err := l.Accept()
	if err != nil {
		switch {
		case errors.Is(err, net.ErrClosed):
			return ErrServerClosed
		case isTimeout(err):
			if s.HandleTimeout != nil {
				s.HandleTimeout()
			}
		}
		return nil
	}
	s.serveConn(nc, nil, threading)
	return nil
}

// serveConn serves nc: in place on HTTPServer, on a new goroutine on
// the threading servers. slots is the MaxConns channel the accept loop
// took a slot of for nc, or nil.
func (s *HTTPServer) serveConn(nc net.Conn, slots chan struct{}, threading bool) {
	tc := s.track(nc, slots)
	if !threading {
		if !s.handleConn(tc) {
			s.untrack(tc)
		}
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		parked := false
		defer func() {
			if !parked {
				s.untrack(tc)
			}
		}()
		parked = s.handleConn(tc)
	}()
}

// handleConn runs the whole life of one connection: the TLS handshake,
// VerifyRequest, the handler, error reporting and the close. It reports
// that the connection lives on parked (park.go), without this goroutine.
func (s *HTTPServer) handleConn(tc *trackedConn) (parked bool) {
	nc := tc.nc
	addr := nc.RemoteAddr()
	var tlsState *tls.ConnectionState
	if s.tlsConfig != nil {
		tconn, err := s.handshake(nc)
		if err != nil {
			nc.Close()
			return false
		}
		st := tconn.ConnectionState()
		tlsState = &st
		nc = tconn
		s.mu.Lock() // ShutdownContext reads tc.nc
		tc.nc = tconn
		s.mu.Unlock()
	}
	if s.VerifyRequest != nil && !s.VerifyRequest(nc, addr) {
		closeConn(nc, false)
		return false
	}
	h := s.RequestHandlerClass()
	b := h.baseHandler()
	b.self, b.Server, b.ClientAddress, b.Conn, b.TLS = h, s, addr, tc.nc, tlsState
	b.c = newConn(tc.start, tc)
	b.c.handler, _ = h.(idleReleaser)
	b.c.mayPark = tlsState == nil && canPark(h, tc.raw)
	if b.c.mayPark {
		tc.fw = newFlushWait(b.c, tc.raw)
	}
	return s.runHandler(tc, h, true)
}

// runHandler runs the connection's handler: Setup (with setup), Handle,
// and Finish unless the connection parks, when it reports parked and
// hands it to a goroutine that waits for its next request (park.go).
// Otherwise it reports errors and closes the connection.
func (s *HTTPServer) runHandler(tc *trackedConn, h Handler, setup bool) (parked bool) {
	linger, parked, err := s.callHandler(h, setup)
	if parked {
		s.park(tc, h)
		return true
	}
	nc, addr := tc.nc, h.baseHandler().ClientAddress
	if err != nil && !tc.closed.Load() {
		s.handleError(nc, addr, err)
	}
	if tc.hijacked {
		return false // the handler owns the connection now
	}
	closeConn(nc, linger)
	return false
}

// callHandler runs Setup (with setup), Handle and, unless the connection
// parks, Finish on h, turning a panic into a *PanicError. linger reports
// that the client may have sent bytes nobody read.
func (s *HTTPServer) callHandler(h Handler, setup bool) (linger, parked bool, err error) {
	b := h.baseHandler()
	defer func() {
		if r := recover(); r != nil {
			linger, parked, err = true, false, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if setup {
		h.Setup()
	}
	defer func() {
		if b.c.parked {
			parked = true
			return
		}
		linger = b.c.mayHaveUnread()
		h.Finish()
	}()
	h.Handle()
	return false, false, b.c.ioErr
}

// lingerTime and lingerBytes bound how long and how much a closing
// connection reads and drops of what the client still sends (the rest of
// a body refused midway, 413 or 507), so that unread bytes do not turn
// the close into a reset that destroys the response the client has not
// read yet. The time is the bound that matters; the bytes only cap the
// copying on a fast link (256 KiB, the bound before, let a client on
// loopback meet the reset while still sending).
const (
	lingerTime  = 250 * time.Millisecond
	lingerBytes = 64 << 20
)

// shutdownRequest closes a connection as shutdown_request: first the
// writing half, then all of it. With linger, it first reads (and drops)
// what the client still sends, for a short while.
func closeConn(nc net.Conn, linger bool) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
		if linger {
			nc.SetReadDeadline(time.Now().Add(lingerTime))
			io.CopyN(io.Discard, nc, lingerBytes)
		}
	}
	nc.Close()
}

// handleError reports err for a connection through the HandleError hook,
// or as Python's handle_error does.
func (s *HTTPServer) handleError(nc net.Conn, addr net.Addr, err error) {
	if s.HandleError != nil {
		s.HandleError(nc, addr, err)
		return
	}
	const dashes = "----------------------------------------\n"
	var b strings.Builder
	b.WriteString(dashes)
	b.WriteString("Exception occurred during processing of request from ")
	b.WriteString(pyAddrRepr(addr, s))
	b.WriteByte('\n')
	// A panic value or an error message can hold request bytes: they are
	// escaped as log lines are, so the report cannot forge lines or reach
	// the terminal raw. The stack keeps its lines and their leading tabs.
	var pe *PanicError
	if errors.As(err, &pe) {
		b.WriteString("panic: ")
		pystr.WriteEscaped(&b, fmt.Sprint(pe.Value))
		b.WriteString("\n\n")
		for line := range strings.Lines(string(pe.Stack)) {
			line = strings.TrimSuffix(line, "\n")
			if rest, ok := strings.CutPrefix(line, "\t"); ok {
				b.WriteByte('\t')
				line = rest
			}
			pystr.WriteEscaped(&b, line)
			b.WriteByte('\n')
		}
	} else {
		pystr.WriteEscaped(&b, err.Error())
		b.WriteByte('\n')
	}
	b.WriteString(dashes)
	w, lw := s.stderr()
	lw.write(w, b.String())
}

// pyAddrRepr writes a client address as Python's repr of the address
// tuple: ('127.0.0.1', 35660), or ('::1', 35660, 0, 0) for IPv6.
func pyAddrRepr(addr net.Addr, s *HTTPServer) string {
	a, ok := addr.(*net.TCPAddr)
	if !ok {
		if addr == nil {
			return "None"
		}
		return pystr.Repr(addr.String())
	}
	host := hostOf(a, s)
	port := strconv.Itoa(a.Port)
	if s != nil && s.ipv6 || a.IP.To4() == nil {
		return "(" + pystr.Repr(host) + ", " + port + ", 0, 0)"
	}
	return "(" + pystr.Repr(host) + ", " + port + ")"
}

// stderrLog writes the log lines of handlers that have no server to
// os.Stderr.
var stderrLog logWriter

// stderr returns where the server's log lines go and the logWriter that
// writes them there.
func (s *HTTPServer) stderr() (io.Writer, *logWriter) {
	switch {
	case s == nil:
		return os.Stderr, &stderrLog
	case s.Stderr == nil:
		return os.Stderr, &s.log
	}
	return s.Stderr, &s.log
}

// The limits as the handler reads them; a handler without a server (used
// on its own, in tests) has none.

func (s *HTTPServer) writeTimeout() time.Duration {
	if s == nil {
		return 0
	}
	return s.WriteTimeout
}

func (s *HTTPServer) maxHeaderBytes() int {
	if s == nil {
		return 0
	}
	return s.MaxHeaderBytes
}

func (s *HTTPServer) maxMethodLength() int {
	if s == nil {
		return 0
	}
	return s.MaxMethodLength
}

// lineLimit is the longest request line accepted: Python's 65536 bytes, or
// MaxHeaderBytes when that is smaller.
func (s *HTTPServer) lineLimit() int {
	if m := s.maxHeaderBytes(); m > 0 && m < maxLineLength {
		return m
	}
	return maxLineLength
}
