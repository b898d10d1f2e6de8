package httpserver

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// The services the engine gives NetHTTPHandler beyond Python's API: the
// request target and body as sent, a 100 Continue sent when the body is
// first read, deadlines a handler sets, a watch for a client that goes away
// while the handler runs, and handing the connection over (hijacking).
// Like the rest of conn, they run on the connection's goroutine, except
// where a comment says otherwise.

// requestTarget returns the request target as sent, before Python's
// collapsing of leading slashes: the second word of line, the request line
// of the request ParseRequest accepted.
func (c *conn) requestTarget(line string) string {
	w := c.words[1]
	return line[w.start:w.end]
}

// isHTTP11 reports whether the request's version is 1.1 or later.
func (c *conn) isHTTP11() bool { return c.http11 }

// bodyFraming returns the request body's declared length: -1 for a chunked
// body, 0 when there is none.
func (c *conn) bodyFraming() int64 {
	switch {
	case !c.hasBody():
		return 0
	case c.body.Mode() == wire.BodyChunked:
		return -1
	}
	return c.declaredLength()
}

// readBody reads the request body, as the handler's Body does.
func (c *conn) readBody(p []byte) (int, error) { return c.body.Read(p) }

// bodyDone reports whether the request body has been read to its end (or
// there is none).
func (c *conn) bodyDone() bool { return c.body.Done() }

// continuePending reports whether the client waits for a 100 Continue
// before it sends the body.
func (c *conn) continuePending() bool { return c.expectPending }

// sendContinue sends "<version> 100 Continue" at once.
func (c *conn) sendContinue(version string) error {
	c.expectPending = false
	c.bw.WriteString(version)
	c.bw.WriteString(" 100 Continue\r\n\r\n")
	return c.bw.Flush()
}

// interimSent records that the handler sent a 1xx response of its own:
// the client no longer waits for a 100 Continue.
func (c *conn) interimSent() { c.expectPending = false }

// setReadDeadline makes t the limit of the reads that follow (the
// request body's), until the next request.
func (c *conn) setReadDeadline(t time.Time) { c.cr.deadline = t }

// overrideWriteDeadline makes t the deadline of every write until
// restoreWriteTimeout, in place of the per-write timeout, which it
// returns.
func (c *conn) overrideWriteDeadline(t time.Time) (saved time.Duration, err error) {
	saved = c.cw.timeout
	c.cw.timeout = 0
	return saved, c.cw.nc.SetWriteDeadline(t)
}

// restoreWriteTimeout undoes overrideWriteDeadline.
func (c *conn) restoreWriteTimeout(saved time.Duration) {
	c.cw.timeout = saved
	c.cw.nc.SetWriteDeadline(time.Time{})
}

// serverDraining reports whether the server is shutting down gracefully,
// so that a kept-alive connection will not carry another request.
func (c *conn) serverDraining() bool {
	s := c.srv
	if s == nil {
		return false
	}
	return s.draining.Load()
}

// watchSaved is what a watch set aside of the reader's deadlines.
type watchSaved struct {
	timeout  time.Duration
	deadline time.Time
}

// startWatch begins a read in the background that waits for the client's
// next byte while the handler runs: gone is called from that goroutine if
// the read fails (the client closed or reset the connection, or the
// server closed it) before stopWatch, and done receives the read's error
// when it ends. It must be called only while nothing else reads the
// connection (the request body is read to its end) and reports false
// when there is no point (bytes of a next request are already buffered,
// or the connection has failed). stopWatch must follow before anything
// else reads the connection.
func (c *conn) startWatch(done chan<- error, stopped *atomic.Bool, gone func()) (saved watchSaved, ok bool) {
	if c.br.Buffered() > 0 || c.cr.err != nil {
		return saved, false
	}
	// The client owes nothing while the handler works: no deadline
	// applies to this read, and none is set by the reading goroutine, so
	// that stopWatch's deadline in the past is the last one set.
	saved = watchSaved{c.cr.timeout, c.cr.deadline}
	c.cr.timeout, c.cr.deadline = 0, time.Time{}
	if !c.cr.set.IsZero() {
		c.cr.nc.SetReadDeadline(time.Time{})
		c.cr.set, c.cr.soft = time.Time{}, false
	}
	stopped.Store(false)
	br := c.br
	go func() {
		_, err := br.Peek(1)
		if err != nil && !stopped.Load() {
			gone()
		}
		done <- err
	}()
	return saved, true
}

// stopWatch ends the read startWatch began and waits for it. A byte that
// arrived stays buffered for the next request; the read's own deadline
// error is forgotten.
func (c *conn) stopWatch(done <-chan error, stopped *atomic.Bool, saved watchSaved) {
	stopped.Store(true)
	c.cr.nc.SetReadDeadline(aLongTimeAgo)
	err := <-done
	c.cr.forget() // the next read sets its own
	c.cr.timeout, c.cr.deadline = saved.timeout, saved.deadline
	if err != nil && isTimeout(err) && c.cr.err == err {
		c.cr.err = nil
	}
}

// hijack hands the connection over: what is buffered of the response is
// sent, and the returned reader starts with what the client sent beyond
// the request so far. The server then neither reads, writes nor closes
// the connection; deadlines are cleared.
func (c *conn) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if err := c.bw.Flush(); err != nil {
		return nil, nil, err
	}
	nc := c.cr.nc
	var r io.Reader = nc
	if n := c.br.Buffered(); n > 0 {
		rest, _ := c.br.Peek(n)
		r = io.MultiReader(bytes.NewReader(bytes.Clone(rest)), nc)
		c.br.Discard(n)
	}
	nc.SetDeadline(time.Time{})
	c.cr.set, c.cr.soft = time.Time{}, false
	if c.tc != nil {
		c.tc.hijacked = true
	}
	return nc, bufio.NewReadWriter(bufio.NewReader(r), bufio.NewWriter(nc)), nil
}
