package httpserver

import (
	"net"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// The server's table of open connections and the MaxConns slots they
// hold. A connection takes a slot when it is accepted and gives it back
// when it ends. When every slot is taken, a new client is not left
// waiting behind connections that are only kept alive: the one that has
// waited longest for its next request is closed and its slot goes to the
// newcomer. With no such connection, the newcomer waits (accepted, the
// clients after it in the listen backlog), or, with OverloadRetryAfter,
// is answered 503 at once.

// The states of a tracked connection.
const (
	connActive    int32 = iota // reading or answering a request
	connFinishing              // answered and kept alive, the response's last bytes on their way
	connIdle                   // waiting for the first byte of a request
	connSweeping               // woken by sweepIdle to give its read buffer back
	connIdleBare               // waiting without its read buffer
	connClosing                // closed by the server while idle, or to be once its response is out
)

// trackedConn is the server's record of one open connection.
type trackedConn struct {
	// Set by track, then immutable.
	s     *HTTPServer
	raw   net.Conn      // the accepted connection (under TLS, the TCP one)
	start time.Time     // accepted
	slots chan struct{} // the MaxConns slots it holds one of, or nil
	fw    *flushWait    // where the connection may flush and wait (flushwait.go); or nil

	nc net.Conn // the connection served (a *tls.Conn on HTTPS); guarded by s.mu

	state     atomic.Int32 // connActive, connFinishing, connIdle, connSweeping, connIdleBare or connClosing
	idleSince atomic.Int64 // when it began to wait for a request after one (monoNow); 0 before its first
	closed    atomic.Bool  // the server closed it: its I/O errors are not failures to report

	hijacked bool // a NetHTTPHandler's handler took the connection over; owned by the connection's goroutine
}

// setFinishing marks a connection that has answered its request and is
// kept alive as idle from now, before the response's last bytes are
// flushed: a client that has read them and connects at once must find the
// slot this connection holds ready to give up (closeIfIdle then leaves the
// close to the connection, after the flush).
func (c *trackedConn) setFinishing() {
	if c == nil {
		return
	}
	c.idleSince.Store(monoNow())
	c.state.CompareAndSwap(connActive, connFinishing)
}

// setIdle marks the connection as waiting for a request (keptAlive: after
// at least one) and reports whether the handler should stop: the server
// is draining, or closeIfIdle chose it while it finished its response.
func (c *trackedConn) setIdle(keptAlive bool) (stop bool) {
	if c == nil {
		return false
	}
	if keptAlive && c.state.Load() != connFinishing {
		c.idleSince.Store(monoNow())
	}
	if !c.state.CompareAndSwap(connActive, connIdle) && !c.state.CompareAndSwap(connFinishing, connIdle) &&
		c.state.Load() == connClosing {
		return true
	}
	s := c.s
	if keptAlive && s.slotWaiting.Load() {
		select {
		case s.idleWake <- struct{}{}:
		default:
		}
	}
	return s.draining.Load()
}

// setActive marks the connection as reading a request. closed reports
// that the server has closed it meanwhile; swept, that sweepIdle has set
// a read deadline in the past on it, which the caller must replace.
func (c *trackedConn) setActive() (closed, swept bool) {
	if c == nil {
		return false, false
	}
	for {
		switch st := c.state.Load(); st {
		case connActive:
			return false, false
		case connFinishing, connIdle, connIdleBare:
			if c.state.CompareAndSwap(st, connActive) {
				return false, false
			}
		case connSweeping:
			// sweepIdle sets the deadline under s.mu with the state:
			// once the lock is ours, it is set.
			c.s.mu.Lock()
			ok := c.state.CompareAndSwap(connSweeping, connActive)
			c.s.mu.Unlock()
			if ok {
				return false, true
			} // closed meanwhile (closeIfIdle)
		default:
			return true, false
		}
	}
}

// takeSweep reports whether sweepIdle woke the connection's wait (rather
// than a deadline of its own) and, if so, marks it as waiting without its
// read buffer; draining reports that the server is shutting down.
func (c *trackedConn) takeSweep() (swept, draining bool) {
	if c == nil || c.state.Load() != connSweeping {
		return false, false
	}
	s := c.s
	s.mu.Lock()
	c.state.CompareAndSwap(connSweeping, connIdleBare)
	draining = s.draining.Load()
	s.mu.Unlock()
	return true, draining
}

// sweeping reports whether sweepIdle has chosen the connection to wake.
func (c *trackedConn) sweeping() bool { return c != nil && c.state.Load() == connSweeping }

// closedByServer reports whether the server has closed the connection.
func (c *trackedConn) closedByServer() bool { return c != nil && c.closed.Load() }

// closeIfIdle closes the connection if it is waiting for a request, and
// reports whether it did. The client sees its kept-alive connection
// closed between requests, which HTTP clients expect and retry. A
// connection still flushing its last response is marked instead: it
// closes itself once the response is out (setIdle).
func (c *trackedConn) closeIfIdle() bool {
	if c.state.CompareAndSwap(connFinishing, connClosing) {
		c.closed.Store(true)
		return true
	}
	if !c.state.CompareAndSwap(connIdle, connClosing) && !c.state.CompareAndSwap(connIdleBare, connClosing) &&
		!c.state.CompareAndSwap(connSweeping, connClosing) {
		return false
	}
	c.closed.Store(true)
	c.raw.Close() // the TCP connection: no TLS alert that could block
	return true
}

// idleGrace is how long a kept-alive connection waits for its next
// request with its read buffer; then sweepIdle wakes it (within another
// idleGrace) to wait without one, so an idle connection costs only its
// goroutine and a few small structures. A client that sends its requests
// back to back never waits that long and pays nothing for it.
const idleGrace = 250 * time.Millisecond

// aLongTimeAgo is a deadline in the past: it wakes a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// sweepIdle runs beside the accept loop of a threading server until stop
// closes: every idleGrace it wakes the kept-alive connections that have
// waited longer for their next request, with a read deadline in the
// past, so that they give their read buffers back (conn.awaitFirstByte).
// The connections pay nothing per request for it.
func (s *HTTPServer) sweepIdle(stop <-chan struct{}) {
	t := time.NewTicker(idleGrace)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		cutoff := monoNow() - int64(idleGrace)
		s.mu.Lock()
		for tc := range s.conns {
			if since := tc.idleSince.Load(); since != 0 && since <= cutoff && tc.state.CompareAndSwap(connIdle, connSweeping) {
				tc.nc.SetReadDeadline(aLongTimeAgo)
			}
		}
		s.mu.Unlock()
	}
}

func (s *HTTPServer) track(nc net.Conn, slots chan struct{}) *trackedConn {
	tc := &trackedConn{s: s, raw: nc, nc: nc, start: time.Now(), slots: slots}
	s.mu.Lock()
	if s.conns == nil {
		s.conns = make(map[*trackedConn]struct{})
	}
	s.conns[tc] = struct{}{}
	s.mu.Unlock()
	return tc
}

func (s *HTTPServer) untrack(tc *trackedConn) {
	if tc.slots != nil {
		<-tc.slots // the channel it was taken from, even if a later ServeForever made a new one
	}
	s.mu.Lock()
	delete(s.conns, tc)
	if len(s.conns) == 0 && s.connsDone != nil {
		close(s.connsDone)
		s.connsDone = nil
	}
	s.mu.Unlock()
}

// slotResult is how the wait for a slot ended.
type slotResult uint8

const (
	slotTaken   slotResult = iota // the connection may be served
	slotRefused                   // the connection was answered 503, or closed
	slotStopped                   // the server is stopping
)

// takeSlot takes one of slots for the newly accepted nc. When all are
// taken it closes the oldest idle kept-alive connection and waits for its
// slot; with none, it answers nc 503 (OverloadRetryAfter) or waits for a
// connection to end or fall idle, until stop.
func (s *HTTPServer) takeSlot(slots chan struct{}, nc net.Conn, stop <-chan struct{}) slotResult {
	select {
	case slots <- struct{}{}:
		return slotTaken
	default:
	}
	s.mu.Lock()
	wake := s.idleWake
	s.mu.Unlock()
	s.slotWaiting.Store(true)
	defer s.slotWaiting.Store(false)
	for {
		closed := s.closeOldestIdle()
		if !closed && s.OverloadRetryAfter > 0 {
			s.refuseBusy(nc)
			return slotRefused
		}
		select {
		case slots <- struct{}{}:
			return slotTaken
		case <-stop:
			return slotStopped
		case <-wake:
			if closed {
				// The closed connection's slot is on its way; a
				// connection that fell idle meanwhile keeps its own.
				select {
				case slots <- struct{}{}:
					return slotTaken
				case <-stop:
					return slotStopped
				}
			}
		}
	}
}

// closeOldestIdle closes the kept-alive connection that has waited
// longest for its next request, and reports whether there was one.
func (s *HTTPServer) closeOldestIdle() bool {
	for range 3 { // a connection may wake between the choice and the close
		var oldest *trackedConn
		var since int64
		s.mu.Lock()
		for tc := range s.conns {
			if t := tc.idleSince.Load(); t != 0 && isIdle(tc.state.Load()) && (oldest == nil || t < since) {
				oldest, since = tc, t
			}
		}
		s.mu.Unlock()
		if oldest == nil {
			return false
		}
		if oldest.closeIfIdle() {
			return true
		}
	}
	return false
}

// isIdle reports whether a connection in state st waits for a request, or
// is about to.
func isIdle(st int32) bool {
	return st == connFinishing || st == connIdle || st == connSweeping || st == connIdleBare
}

// maxRefusing bounds the 503 answers in progress at once; a client beyond
// them is closed unanswered.
const maxRefusing = 64

// refuseBusy answers nc, which finds every slot busy, 503 Service
// Unavailable with Retry-After, on a goroutine of its own (the TLS
// handshake and the close take time): the handler's SendError writes the
// response, as for any refused request, and the request is not read.
func (s *HTTPServer) refuseBusy(nc net.Conn) {
	select {
	case s.refusing <- struct{}{}:
	default:
		nc.Close()
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.refusing }()
		s.answerBusy(nc)
	}()
}

// busyWait is how long a client refused for MaxConns has to begin its
// request before it is answered 503 anyway.
const busyWait = time.Second

// answerBusy runs the connection's handler only as far as SendError(503),
// once the request has begun to arrive.
func (s *HTTPServer) answerBusy(nc net.Conn) {
	addr := nc.RemoteAddr()
	if s.tlsConfig != nil {
		tconn, err := s.handshake(nc)
		if err != nil {
			nc.Close()
			return
		}
		nc = tconn
	}
	// Answer once the request has begun to arrive: a client may take a
	// response that comes before its request for a fault of the
	// connection (Go's net/http does). One that sends nothing within
	// busyWait is answered all the same; one that leaves is not.
	var first [1]byte
	nc.SetReadDeadline(time.Now().Add(busyWait))
	if _, err := nc.Read(first[:]); err != nil && !isTimeout(err) {
		nc.Close()
		return
	}
	nc.SetReadDeadline(time.Time{})
	h := s.RequestHandlerClass()
	b := h.baseHandler()
	b.self, b.Server, b.ClientAddress, b.Conn = h, s, addr, nc
	b.c = newConn(time.Now(), nil)
	b.c.overloaded = true
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = &PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		h.Setup()
		defer h.Finish()
		b.RequestLine, b.RequestVersion, b.Command = "", "", ""
		h.SendError(503)
	}()
	if err != nil {
		s.handleError(nc, addr, err)
	}
	closeConn(nc, true)
}
