package httpserver

import (
	"net"
	"syscall"
	"time"
)

// Flush and wait: a kept-alive connection whose handler loop is
// BaseHandler's (the connections that may park, park.go) sends the last
// bytes of a response and waits for its next request in one wait on the
// socket, which saves the read that would otherwise find nothing there
// (EAGAIN) before the goroutine sleeps: one system call in three for a
// small response.
//
// The runtime's poller wakes a reader when the socket turns readable after
// the wait began; the wait begins (syscall.RawConn.Read) before the
// response leaves, so the request a client sends once it has the response
// always wakes it. A byte sent earlier, while the handler ran (pipelining),
// may have announced itself before the wait began and go unnoticed: a read
// deadline flushWaitRescue ahead ends the wait then, and the ordinary read
// that follows finds the byte. A client that pipelines may so wait that
// long for an answer; no byte is ever lost or left unread. The reads
// that follow keep the rescue's deadline while they can (connReader.Read
// tries again under their own once it has ended one), which saves giving
// the socket its deadline back after every wait.
//
// Where rawIO allows (rawio_linux.go), and the handler reads and writes
// the socket itself (no Setup has put a net.Conn of its own over it), the
// flush and, once the socket is readable, the read of the request are
// made inside the wait with raw system calls: each saves the runtime's
// bookkeeping around a system call and the socket's own locking, which
// the wait has done already. A write the socket cannot take whole, and
// every failure, go on through the socket's own Write, which waits and
// reports as it always does.

// noFD is a file descriptor no socket has: a flush made outside the wait.
const noFD = ^uintptr(0)

// flushWaitRescue bounds a flush-and-wait: after it, the connection reads
// as usual (and waits, if nothing came, the ordinary way).
const flushWaitRescue = time.Millisecond

// flushWait is a connection's means to flush and wait: its socket, and
// the function the socket's wait calls, made once for the connection
// (one made per wait would cost an allocation per request).
type flushWait struct {
	c      *conn
	rc     syscall.RawConn
	step   func(fd uintptr) bool // fw.next
	began  bool                  // the flush has been made, in this wait
	stop   bool
	failed bool
}

// newFlushWait returns c's means to flush and wait on raw, or nil when
// raw is no socket of the system's.
func newFlushWait(c *conn, raw net.Conn) *flushWait {
	sc, ok := raw.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	fw := &flushWait{c: c, rc: rc}
	fw.step = fw.next
	return fw
}

// holdFlush reports whether endRequest may leave the response's last bytes
// to flushAndWait: the connection is kept alive by BaseHandler's loop, has
// a socket to wait on and no Python Timeout (whose reads time out one by
// one), has bytes to send and has not failed, and nothing of the next
// request has been read.
func (c *conn) holdFlush() bool {
	return c.tc != nil && c.tc.fw != nil && c.cr.timeout == 0 &&
		c.bw != nil && c.bw.Buffered() > 0 && c.br != nil && c.br.Buffered() == 0 && !c.cr.pending &&
		c.cw.err == nil && c.cr.err == nil
}

// flushAndWait sends the bytes holdFlush kept and marks the connection
// idle (trackedConn.setIdle), then waits until the socket is readable, its
// deadline (or flushWaitRescue) has passed, or it was closed. It reads
// nothing: the caller reads the request as usual. stop reports that the
// connection is to end without reading (the server drains, or closed it);
// failed, that the flush failed (endRequest then settles the error);
// ready, that the socket turned readable (the request is very likely
// there: the connection keeps its write buffers for the answer).
func (c *conn) flushAndWait(deadline time.Time) (stop, failed, ready bool) {
	// The deadline goes first: it must not be one in the past that a
	// watch (startWatch) left, and must come before setIdle, from when
	// sweepIdle may set one of its own, which must stand.
	// (The time is setFinishing's, a moment ago.)
	rescue := monoTime(c.tc.idleSince.Load() + int64(flushWaitRescue))
	soft := deadline.IsZero() || rescue.Before(deadline)
	if soft {
		deadline = rescue
	}
	c.cr.nc.SetReadDeadline(deadline)
	fw := c.tc.fw
	fw.began, fw.stop, fw.failed = false, false, false
	err := fw.rc.Read(fw.step)
	if !fw.began {
		fw.send(noFD) // the wait could not begin (the connection is closed)
	}
	switch {
	case c.tc.sweeping():
		c.cr.forget() // sweepIdle's deadline
	case soft:
		c.cr.setSoft(deadline) // left for the reads to keep while they can
	default:
		c.cr.set = deadline // the connection's own
	}
	return fw.stop, fw.failed, err == nil && !fw.stop && !fw.failed
}

// next is the wait's read function: at its first call it flushes, and
// reports whether the wait is over; at the others, the socket is reported
// readable, and with rawIO it reads what came into the connection's
// reader (and waits on if nothing had after all), or leaves the read to
// the caller.
func (fw *flushWait) next(fd uintptr) bool {
	if !fw.began {
		return !fw.send(fd)
	}
	r := &fw.c.cr
	if !rawIO || r.nc != fw.c.tc.raw {
		return true // (a Setup that put its own net.Conn over the socket reads through it)
	}
	r.raw, r.fd = true, fd
	_, err := fw.c.br.Peek(1)
	r.raw = false
	return err != errWouldBlock
}

// send flushes the response, through fd with rawIO, and marks the
// connection idle, and reports whether to wait.
func (fw *flushWait) send(fd uintptr) (wait bool) {
	c := fw.c
	fw.began = true
	c.cw.raw, c.cw.fd = rawIO && c.cw.timeout == 0 && fd != noFD && c.cw.nc == c.tc.raw, fd
	c.bw.Flush()
	c.cw.raw = false
	if c.cw.err != nil {
		fw.failed = true
		return false
	}
	if c.tc.setIdle(true) {
		fw.stop = true
		return false
	}
	return true
}
