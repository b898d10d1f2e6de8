package httpserver

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// conn is the HTTP/1 engine under one connection's BaseHandler: it reads
// request heads and bodies, buffers the response head, keeps the deadlines
// and the unread-body accounting, and remembers how the connection ended.
// BaseHandler's methods are Python's API over it; they decide what to
// answer, conn does the reading and writing. Other files use its methods,
// not its fields.
//
// Owned by the connection's goroutine, like the handler.
type conn struct {
	// Set when the connection is accepted (or by Setup for a handler run
	// without a server), then immutable.
	srv     *HTTPServer  // nil for a handler run by hand
	start   time.Time    // when the connection was accepted
	tc      *trackedConn // the server's record of this connection, or nil
	handler idleReleaser // the handler, if it holds resources it can give back while idle

	// Reading the request.
	cr            connReader
	br            *bufio.Reader   // the handler's Rfile; pooled, and nil while long idle
	head          []byte          // the request line and header lines as read; reused
	lineLen       int32           // length of the raw request line within head (at most 64 KiB)
	lineTrim      int32           // the same without its line ending
	words         [3]lineSpan     // first, second and last word of the request line
	lines         []headerLine    // the header lines within head; reused
	body          wire.BodyReader // what the handler's Body reads through
	bodyStart     int64           // cr's position where the body begins
	expectPending bool            // Expect: 100-continue not yet answered by a 1xx
	http11        bool            // the request's version is 1.1 or later, by number
	interim       bool            // writing: hbuf holds a 1xx status line
	overloaded    bool            // writing: the connection is refused for MaxConns: heads carry Retry-After
	errorSent     bool            // writing: the last response was SendError's
	mayPark       bool            // a long idle wait may give up the goroutine (park.go)
	parked        bool            // waiting: the goroutine is to end, the connection waits parked
	resumed       bool            // waiting: back from a park, with the idle deadline it had
	flushHeld     bool            // writing: endRequest left the response's last bytes to flushAndWait

	// Writing the response.
	cw      connWriter
	wb      *writerBufs   // the pooled buffers below; nil while idle between requests
	bw      *bufio.Writer // the handler's Wfile: wb.w
	hbuf    []byte        // status line and headers not yet flushed, in wb.head
	sent    []string      // header names sent in the current response
	addHead *HeaderField  // SendError sends it after Connection: close: what it cannot be given
	// (The writing side's flags sit with the reading side's, above, so
	// that they share one word: the engine fits 512 bytes.)

	// The connection's fate.
	ioErr  error // the connection failed: report and close
	served int   // requests started on this connection
}

// newConn returns the engine of a connection accepted at start and
// tracked by tc (nil: untracked).
func newConn(start time.Time, tc *trackedConn) *conn {
	return &conn{start: start, tc: tc}
}

// open makes the buffered reader and writer over nc. timeout is the
// handler's Timeout, Python's socket timeout.
func (c *conn) open(nc net.Conn, srv *HTTPServer, timeout time.Duration) {
	c.srv = srv
	c.cr = connReader{nc: nc, timeout: timeout}
	c.cw = connWriter{nc: nc, timeout: shorter(timeout, srv.writeTimeout())}
	c.br = newReader(&c.cr)
	c.takeWriter()
}

// release flushes what is left to write and gives the buffers back.
func (c *conn) release() {
	if c.bw != nil {
		c.bw.Flush()
		c.dropWriter()
	}
	if c.br != nil {
		putReader(c.br)
		c.br = nil
	}
}

// takeWriter takes the buffers of a response from the pool.
func (c *conn) takeWriter() {
	c.wb = getWriterBufs(&c.cw)
	c.bw, c.hbuf = c.wb.w, c.wb.head[:0]
}

// dropWriter gives the buffers of a response back to the pool.
func (c *conn) dropWriter() {
	c.wb.head = c.hbuf[:0]
	putWriterBufs(c.wb)
	c.wb, c.bw, c.hbuf = nil, nil, nil
}

// idleReleaser is a handler that holds resources of its own between
// requests (SimpleHandler's kept file) and can give them back while its
// connection waits idle.
type idleReleaser interface{ releaseIdle() }

// awaitFirstByte waits until the next request's first byte is in br. A
// kept-alive connection that sweepIdle wakes (it has waited idleGrace)
// gives its read buffer back, and its handler what it keeps, and reads
// the byte without the buffer.
func (c *conn) awaitFirstByte(handlerTimeout time.Duration) error {
	var err error = net.ErrClosed // unless takeSweep finds it swept
	if !c.tc.sweeping() {
		// (When sweepIdle has set its deadline already, a read would set
		// the connection's own over it.)
		_, err = c.br.Peek(1)
		if err == nil || !isTimeout(err) {
			return err
		}
	}
	swept, draining := c.tc.takeSweep()
	if !swept {
		if c.tc.closedByServer() {
			return net.ErrClosed // while sweepIdle woke it: no timeout to log
		}
		return err
	}
	c.cr.err = nil
	c.cr.forget() // the sweep's deadline is not ours
	if draining {
		return io.EOF
	}
	putReader(c.br)
	c.br = nil
	if c.bw != nil && c.bw.Buffered() == 0 && len(c.hbuf) == 0 {
		c.dropWriter() // kept through a wait that turned out long (flushAndWait)
	}
	c.head, c.lines, c.sent = nil, nil, nil // the next request makes its own
	c.body.Reset(nil, wire.BodyNone, 0)
	if c.handler != nil {
		c.handler.releaseIdle()
	}
	if c.mayPark && handlerTimeout == 0 && c.served > 0 {
		// The socket keeps the idle deadline of the wait.
		if err := c.cr.nc.SetReadDeadline(c.cr.deadline); err != nil {
			return err
		}
		c.parked = true
		return errParked
	}
	n, err := c.cr.Read(c.cr.pend[:])
	c.br = newReader(&c.cr)
	if n == 1 {
		c.cr.pending = true
		_, err = c.br.Peek(1)
	}
	return err
}

// maxRetainedHead is the largest request-head buffer a connection keeps
// between requests.
const maxRetainedHead = 16 << 10

// waitResult is how the wait for a request ended.
type waitResult uint8

const (
	waitReady    waitResult = iota // the next request's first byte is here
	waitClosed                     // end of input, a closed connection, or draining
	waitTimedOut                   // a timeout Python would log
	waitParked                     // the connection waits on without its goroutine (park.go)
	waitFailed                     // the flush of the last response failed (flushAndWait)
)

// waitForRequest waits for the first byte of the next request: not at end
// of input, after a timeout, or when the server is shutting down and this
// connection would otherwise sit idle.
//
// While it waits, the connection holds no write buffers, and after
// idleGrace (see sweepIdle) no read buffer: they go back to pools and
// come back when the request begins, so an idle kept-alive connection
// costs little memory.
func (c *conn) waitForRequest(handlerTimeout time.Duration) waitResult {
	c.head = c.head[:0]
	c.lineLen = 0
	c.errorSent = false
	c.cr.endBody()
	idle := c.served > 0
	held := c.flushHeld
	if !held && c.tc.setIdle(idle) { // (flushAndWait calls it after the flush)
		return waitClosed
	}
	var idleTimeout, headerTimeout time.Duration
	if s := c.srv; s != nil {
		idleTimeout, headerTimeout = s.IdleTimeout, s.ReadHeaderTimeout
	}
	if c.br == nil {
		c.br = newReader(&c.cr) // back from a park
	}
	switch {
	case c.resumed:
		c.resumed = false // the wait goes on: its deadline stands
	case !idle && headerTimeout > 0:
		// The first request's head must arrive ReadHeaderTimeout after
		// the connection was accepted.
		c.cr.deadline = c.start.Add(headerTimeout)
	case idle && idleTimeout > 0:
		c.cr.deadline = time.Now().Add(idleTimeout)
	default:
		c.cr.deadline = time.Time{}
	}
	ready := false
	if held {
		c.flushHeld = false
		var stop, failed bool
		switch stop, failed, ready = c.flushAndWait(c.cr.deadline); {
		case failed:
			return waitFailed
		case stop:
			return waitClosed
		}
	}
	if c.br.Buffered() == 0 {
		if !ready && c.bw != nil && c.bw.Buffered() == 0 && len(c.hbuf) == 0 {
			c.dropWriter()
		}
		if err := c.awaitFirstByte(handlerTimeout); err == errParked {
			return waitParked
		} else if err != nil {
			// Python logs its own timeout (Timeout) as "Request timed
			// out"; the idle timeout between requests ends the connection
			// quietly.
			c.cr.err = nil
			if isTimeout(err) && (!idle || idleTimeout <= 0 || (handlerTimeout > 0 && handlerTimeout < idleTimeout)) {
				return waitTimedOut
			}
			return waitClosed
		}
	}
	switch closed, swept := c.tc.setActive(); {
	case closed:
		return waitClosed // the server closed it as idle meanwhile
	case swept:
		c.cr.forget()
	}
	if c.bw == nil {
		c.takeWriter()
	}
	if idle {
		c.cr.deadline = time.Time{}
		if headerTimeout > 0 {
			c.cr.deadline = time.Now().Add(headerTimeout)
		}
	}
	if cap(c.head) > maxRetainedHead {
		c.head = nil // a huge request once should not pin its buffer
	}
	return waitReady
}

// readRequestLine reads the request line into head, up to the server's
// line limit, and counts the request as started.
func (c *conn) readRequestLine() (n int, tooLong bool, err error) {
	n, tooLong, err = c.readLine(c.srv.lineLimit())
	c.served++
	if !tooLong && n > 0 {
		c.lineLen = int32(n)
	}
	return n, tooLong, err
}

// startHead prepares the reading of a request's head after its line:
// no body yet, nothing pending.
func (c *conn) startHead() {
	c.body.Reset(c.br, wire.BodyNone, 0)
	c.expectPending = false
	c.http11 = false
}

// headRead ends the time the header timeout covers: the body and the
// handler's work are not the head's. The do-method's reads are bounded by
// ReadBodyTimeout instead.
func (c *conn) headRead() {
	var timeout time.Duration
	if c.srv != nil {
		timeout = c.srv.ReadBodyTimeout
	}
	c.cr.startBody(timeout)
}

// endRequest flushes the response and returns the connection's I/O error,
// if any; nil means it can carry on. A connection kept alive counts as
// idle from before the flush (trackedConn.setFinishing). Where holdFlush
// allows, the flush is left to the wait for the next request
// (flushAndWait), which reports its failure.
func (c *conn) endRequest(keepAlive bool) error {
	if keepAlive {
		c.tc.setFinishing()
		if c.holdFlush() {
			c.flushHeld = true
			return nil
		}
	}
	if c.bw != nil {
		c.bw.Flush()
	}
	if err := c.cw.err; err != nil {
		return err
	}
	return c.cr.err
}

// clearErrors forgets the I/O errors met, once a timeout has been logged:
// it ends the connection without being reported as a failure.
func (c *conn) clearErrors() {
	c.ioErr = nil
	c.cr.err, c.cw.err = nil, nil
}

// fail records err as the connection's failure unless an I/O error of its
// own came first, which is then the one reported.
func (c *conn) fail(err error) {
	if c.ioErr == nil && c.cw.err == nil {
		c.ioErr = err
	}
}

// mayHaveUnread reports whether the client may have sent bytes nobody
// read: closing with them unread makes the kernel reset the connection,
// which can destroy a response the client has not read.
func (c *conn) mayHaveUnread() bool {
	return c.br != nil && c.br.Buffered() > 0 || c.errorSent ||
		c.body.Mode() != wire.BodyNone && !c.body.Done()
}

// The response head, buffered until FlushHeaders.

// appendStatus adds a status line.
func (c *conn) appendStatus(version string, code int, msg string) {
	c.hbuf = append(c.hbuf, version...)
	c.hbuf = append(c.hbuf, ' ')
	c.hbuf = strconv.AppendInt(c.hbuf, int64(code), 10)
	c.hbuf = append(c.hbuf, ' ')
	for i := 0; i < len(msg); i++ {
		ch := msg[i]
		if ch == '\r' || ch == '\n' || ch == 0 {
			ch = ' '
		}
		c.hbuf = append(c.hbuf, ch)
	}
	c.hbuf = append(c.hbuf, '\r', '\n')
	c.interim = code >= 100 && code < 200
}

// appendHeader adds a header line and records its name as sent.
func (c *conn) appendHeader(keyword, value string) {
	c.hbuf = append(c.hbuf, keyword...)
	c.hbuf = append(c.hbuf, ':', ' ')
	c.hbuf = append(c.hbuf, value...)
	c.hbuf = append(c.hbuf, '\r', '\n')
	c.sent = append(c.sent, keyword)
}

// appendEnd adds the blank line that ends the head, after Retry-After on
// a connection refused for being one too many.
func (c *conn) appendEnd() {
	if c.overloaded {
		c.appendHeader("Retry-After", strconv.FormatInt(int64((c.srv.OverloadRetryAfter+time.Second-1)/time.Second), 10))
	}
	c.hbuf = append(c.hbuf, '\r', '\n')
}

// flushHead moves the buffered head to w and empties the buffer. An
// interim (1xx) response goes to the client at once, since the client
// waits for it.
func (c *conn) flushHead(w *bufio.Writer) error {
	c.sent = c.sent[:0]
	if len(c.hbuf) == 0 {
		return nil
	}
	_, err := w.Write(c.hbuf)
	c.hbuf = c.hbuf[:0]
	if c.interim {
		c.interim = false
		c.expectPending = false
		if err == nil {
			err = w.Flush()
		}
	}
	return err
}

// sentCount is the number of header names sent so far in the current
// response; sentHeader looks among the first n of them.
func (c *conn) sentCount() int { return len(c.sent) }

// sentHeader reports whether one of the first n headers sent in the
// current response is named name.
func (c *conn) sentHeader(name string, n int) bool {
	for _, s := range c.sent[:min(n, len(c.sent))] {
		if equalFoldASCII(s, name) {
			return true
		}
	}
	return false
}

// forgetSent drops the names recorded after the first n, so headers sent
// as extras do not count as the standard path's.
func (c *conn) forgetSent(n int) {
	if n < len(c.sent) {
		c.sent = c.sent[:n]
	}
}
