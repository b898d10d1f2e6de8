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
	connActive  int32 = iota // reading or answering a request
	connIdle                 // waiting for the first byte of a request
	connClosing              // closed by the server while idle
)

// trackedConn is the server's record of one open connection.
type trackedConn struct {
	// Set by track, then immutable.
	s     *HTTPServer
	raw   net.Conn      // the accepted connection (under TLS, the TCP one)
	start time.Time     // accepted
	slots chan struct{} // the MaxConns slots it holds one of, or nil

	nc net.Conn // the connection served (a *tls.Conn on HTTPS); guarded by s.mu

	state     atomic.Int32 // connActive, connIdle or connClosing
	idleSince atomic.Int64 // when it began to wait for a request after one (UnixNano); 0 before its first
	closed    atomic.Bool  // the server closed it: its I/O errors are not failures to report
}

// setIdle marks the connection as waiting for a request (keptAlive: after
// at least one) and reports whether the server is draining, in which case
// the handler should stop.
func (c *trackedConn) setIdle(keptAlive bool) (draining bool) {
	if c == nil {
		return false
	}
	if keptAlive {
		c.idleSince.Store(time.Now().UnixNano())
	}
	c.state.CompareAndSwap(connActive, connIdle)
	s := c.s
	s.mu.Lock()
	draining, waiting := s.draining, s.slotWaiting
	s.mu.Unlock()
	if waiting && keptAlive {
		select {
		case s.idleWake <- struct{}{}:
		default:
		}
	}
	return draining
}

// setActive marks the connection as reading a request. It reports false
// when the server has closed it meanwhile.
func (c *trackedConn) setActive() bool {
	return c == nil || c.state.CompareAndSwap(connIdle, connActive) || c.state.Load() == connActive
}

// closeIfIdle closes the connection if it is waiting for a request, and
// reports whether it did. The client sees its kept-alive connection
// closed between requests, which HTTP clients expect and retry.
func (c *trackedConn) closeIfIdle() bool {
	if !c.state.CompareAndSwap(connIdle, connClosing) {
		return false
	}
	c.closed.Store(true)
	c.raw.Close() // the TCP connection: no TLS alert that could block
	return true
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
	s.slotWaiting = true
	wake := s.idleWake
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.slotWaiting = false
		s.mu.Unlock()
	}()
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
			if t := tc.idleSince.Load(); t != 0 && tc.state.Load() == connIdle && (oldest == nil || t < since) {
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

// answerBusy runs the connection's handler only as far as SendError(503).
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
