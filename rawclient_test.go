package httpserver_test

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// Time limits of the raw client. ioLimit bounds every wait for bytes the
// server must send (generous: the race detector on a busy machine is
// slow); quietTime is how long a connection must stay silent to count as
// left open; idleTime ends a read whose length is not known in advance.
const (
	ioLimit   = 10 * time.Second
	quietTime = 150 * time.Millisecond
	idleTime  = time.Second
)

// ending says how the server left a connection once its responses were read.
type ending string

const (
	endClosed ending = "closed" // the server closed it (EOF)
	endOpen   ending = "open"   // still open, waiting for another request
	endReset  ending = "reset"  // the server reset it (unread data on close)
)

// rawConn is a client that writes bytes exactly as given and reads exactly
// what comes back, for tests that compare the wire bytes.
type rawConn struct {
	t  testing.TB
	nc *net.TCPConn
}

// dialRaw connects to addr; the connection is closed at the end of the test.
func dialRaw(t testing.TB, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, ioLimit)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc.(*net.TCPConn)}
}

// send writes b.
func (c *rawConn) send(b string) {
	c.t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(ioLimit))
	if _, err := io.WriteString(c.nc, b); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// closeWrite half-closes the connection: the server reads end of input.
func (c *rawConn) closeWrite() {
	c.t.Helper()
	if err := c.nc.CloseWrite(); err != nil {
		c.t.Fatalf("close write: %v", err)
	}
}

// readN reads until it has n bytes or the server ends the connection, and
// returns what it got with how the connection ended (endOpen when all n
// bytes came).
func (c *rawConn) readN(n int) (string, ending) {
	buf := make([]byte, n)
	c.nc.SetReadDeadline(time.Now().Add(ioLimit))
	got, err := io.ReadFull(c.nc, buf)
	if err == nil {
		return string(buf), endOpen
	}
	return string(buf[:got]), c.endingOf(err)
}

// readAll reads until the server closes the connection (or resets it).
// If the connection is still open after ioLimit it returns endOpen, so a
// server that wrongly keeps a connection open fails the comparison instead
// of hanging the test.
func (c *rawConn) readAll() (string, ending) {
	c.nc.SetReadDeadline(time.Now().Add(ioLimit))
	b, err := io.ReadAll(c.nc)
	if err == nil {
		return string(b), endClosed
	}
	return string(b), c.endingOf(err)
}

// readUntilIdle reads until the server closes the connection or sends
// nothing for idleTime. Only for recording goldens, where the expected
// length is not yet known.
func (c *rawConn) readUntilIdle() (string, ending) {
	var out []byte
	buf := make([]byte, 64<<10)
	for {
		c.nc.SetReadDeadline(time.Now().Add(idleTime))
		n, err := c.nc.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return string(out), endClosed
		}
		if err != nil {
			return string(out), c.endingOf(err)
		}
	}
}

// quiet waits quietTime for anything more from the server: it returns
// the extra bytes (none, for a server that is waiting for a request) and
// how the connection stands afterwards.
func (c *rawConn) quiet() (string, ending) {
	c.nc.SetReadDeadline(time.Now().Add(quietTime))
	b, err := io.ReadAll(c.nc)
	if err == nil {
		return string(b), endClosed
	}
	return string(b), c.endingOf(err)
}

func (c *rawConn) endingOf(err error) ending {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return endClosed
	case errors.Is(err, os.ErrDeadlineExceeded):
		return endOpen
	case errors.Is(err, syscall.ECONNRESET):
		return endReset
	}
	c.t.Fatalf("read: %v", err)
	return ""
}
