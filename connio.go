package httpserver

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Buffer sizes of a connection's Rfile and Wfile. The reader holds a
// typical request head whole (a longer one is read in several pieces).
// The writer is large enough for the headers and a small file body to
// leave in one write. Both go back to pools while a kept-alive connection
// waits idle (the reader once sweepIdle has found it idle).
const (
	readBufferSize  = 1 << 10
	writeBufferSize = 16 << 10
)

// connReader is the source under a handler's Rfile. It counts the bytes it
// has read (so the handler can tell how much of a body was consumed),
// applies the read deadline and remembers the first error.
//
// Owned by the connection's goroutine.
type connReader struct {
	nc       net.Conn
	timeout  time.Duration // per read, Python's socket timeout; 0 = none
	deadline time.Time     // absolute limit for the current phase; zero = none
	set      time.Time     // the deadline last given to nc
	n        int64         // bytes read from nc
	err      error         // first error other than io.EOF
	pend     [1]byte       // a byte read while no buffer was attached
	pending  bool          // pend holds a byte the next Read returns
	soft     bool          // set is flushAndWait's rescue, earlier than the reads' own deadline: see Read
	raw      bool          // inside flushAndWait's wait: read fd with rawRead
	fd       uintptr

	// While a do-method runs with ReadBodyTimeout set: what its reads may
	// still wait in all before bodyCredit more bytes come, and how many
	// have come since the budget was last given back.
	bodyTimeout time.Duration
	budget      time.Duration
	credit      int64
}

// forget makes the next read set the socket's deadline again: someone
// else (sweepIdle) has changed it.
func (r *connReader) forget() { r.set, r.soft = aLongTimeAgo, false }

// setSoft records the rescue deadline flushAndWait gave the socket,
// earlier than the reads' own deadline (if any): reads may run under it
// until it ends one, which saves giving the socket its deadline back
// after every wait.
func (r *connReader) setSoft(rescue time.Time) { r.set, r.soft = rescue, true }

// bodyCredit is how many bytes give a body's reads their ReadBodyTimeout
// back.
const bodyCredit = 64 << 10

// startBody starts the do-method's phase: no absolute deadline, and
// with timeout > 0 the reads' waiting budget of ReadBodyTimeout.
func (r *connReader) startBody(timeout time.Duration) {
	r.deadline = time.Time{}
	r.bodyTimeout, r.budget, r.credit = timeout, timeout, 0
}

// endBody ends the do-method's phase and its budget.
func (r *connReader) endBody() { r.bodyTimeout = 0 }

func (r *connReader) Read(p []byte) (int, error) {
	if r.pending && len(p) > 0 {
		p[0], r.pending = r.pend[0], false
		return 1, nil
	}
	if r.raw {
		return r.readRaw(p)
	}
	if r.bodyTimeout > 0 {
		return r.readBody(p)
	}
	if r.soft {
		if r.timeout == 0 && (r.deadline.IsZero() || r.deadline.After(r.set)) {
			n, err := r.nc.Read(p)
			if n > 0 || err == nil || !isTimeout(err) {
				return r.count(n, err)
			}
			// The rescue's deadline ended the read: on under the reads' own.
		}
		r.soft = false
	}
	if r.timeout > 0 || !r.deadline.IsZero() || !r.set.IsZero() {
		if d := earliest(r.deadline, r.timeout); !d.Equal(r.set) {
			r.nc.SetReadDeadline(d)
			r.set = d
		}
	}
	return r.count(r.nc.Read(p))
}

// errWouldBlock is a raw read's report that the socket had nothing: the
// wait goes on.
var errWouldBlock = errors.New("httpserver: no data yet")

// readRaw is Read inside flushAndWait's wait, where the socket is known to
// be readable: one rawRead, its error made what the socket's own Read
// would return.
func (r *connReader) readRaw(p []byte) (int, error) {
	n, err := rawRead(r.fd, p)
	switch err {
	case nil, io.EOF:
	case errWouldBlock:
		return 0, err
	default:
		err = &net.OpError{Op: "read", Net: r.nc.LocalAddr().Network(), Source: r.nc.LocalAddr(), Addr: r.nc.RemoteAddr(), Err: err}
	}
	return r.count(n, err)
}

// count accounts for a read of the socket: its bytes, and its error if it
// is the first.
func (r *connReader) count(n int, err error) (int, error) {
	r.n += int64(n)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// readBody is Read while a do-method runs under ReadBodyTimeout: the time
// spent waiting in reads is taken from the budget, and every bodyCredit
// bytes that arrive give it back whole, so a client that trickles its
// bytes runs out however it paces them, while the handler's own time
// between reads costs nothing.
func (r *connReader) readBody(p []byte) (int, error) {
	start := time.Now()
	if d := earliest(start.Add(r.budget), r.timeout); !d.Equal(r.set) || r.soft {
		r.nc.SetReadDeadline(d)
		r.set, r.soft = d, false
	}
	n, err := r.nc.Read(p)
	r.n += int64(n)
	r.budget -= time.Since(start)
	if r.credit += int64(n); r.credit >= bodyCredit {
		r.budget, r.credit = r.bodyTimeout, 0
	}
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// connWriter is the sink under a handler's Wfile. It applies the write
// deadline and remembers the first error, and keeps the socket's
// io.ReaderFrom (sendfile) reachable through bufio.Writer.ReadFrom.
//
// Owned by the connection's goroutine.
type connWriter struct {
	nc      net.Conn
	timeout time.Duration // per write; 0 = none
	err     error
	raw     bool // inside flushAndWait's wait: write fd with rawWrite first
	fd      uintptr
}

func (w *connWriter) Write(p []byte) (int, error) {
	sent := 0
	if w.raw {
		if sent = rawWrite(w.fd, p); sent == len(p) {
			return sent, nil
		}
		p = p[sent:]
	}
	if w.timeout > 0 {
		w.nc.SetWriteDeadline(time.Now().Add(w.timeout))
	}
	n, err := w.nc.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return sent + n, err
}

// sendChunk bounds each ReadFrom call when a write timeout is set, so the
// timeout limits a stall rather than the whole transfer.
const sendChunk = 4 << 20

// ReadFrom sends r to the socket with the connection's own ReadFrom where
// it has one (sendfile or splice on TCP), and with a pooled buffer
// otherwise (TLS). With a write timeout, only a file goes to the socket's
// ReadFrom, under a deadline per chunk: the time to read any other source
// (a pipe, a socket, a computation) is not the client's, so it is copied
// through Write, which gives each write its own deadline.
func (w *connWriter) ReadFrom(r io.Reader) (int64, error) {
	rf, ok := w.nc.(io.ReaderFrom)
	if !ok || w.timeout > 0 && !isFile(r) {
		buf := copyBufPool.Get().(*[]byte)
		defer copyBufPool.Put(buf)
		n, err := io.CopyBuffer(writerOnly{w}, r, *buf)
		return n, err
	}
	if w.timeout <= 0 {
		n, err := rf.ReadFrom(r)
		if err != nil && w.err == nil {
			w.err = err
		}
		return n, err
	}
	// Keep the *io.LimitedReader{*os.File} shape that net's sendfile
	// recognises: one level of LimitedReader, re-made per chunk.
	var total int64
	for {
		chunk := &io.LimitedReader{R: r, N: sendChunk}
		var outer *io.LimitedReader
		if lr, ok := r.(*io.LimitedReader); ok {
			outer = lr
			chunk = &io.LimitedReader{R: lr.R, N: min(lr.N, sendChunk)}
		}
		w.nc.SetWriteDeadline(time.Now().Add(w.timeout))
		want := chunk.N
		n, err := rf.ReadFrom(chunk)
		total += n
		if outer != nil {
			outer.N -= n
		}
		if err != nil {
			if w.err == nil {
				w.err = err
			}
			return total, err
		}
		if n < want || (outer != nil && outer.N <= 0) {
			return total, nil
		}
	}
}

// isFile reports whether r is an *os.File, or a LimitedReader of one: the
// shapes sendfile takes.
func isFile(r io.Reader) bool {
	if lr, ok := r.(*io.LimitedReader); ok {
		r = lr.R
	}
	_, ok := r.(*os.File)
	return ok
}

// writerOnly hides a writer's ReadFrom so io.CopyBuffer uses the buffer.
type writerOnly struct{ io.Writer }

var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// writerBufs are the buffers a connection holds only while it answers a
// request: the writer under Wfile and the response head being built.
// They go back to a pool while the connection waits idle.
type writerBufs struct {
	w    *bufio.Writer // of writeBufferSize
	head []byte
}

// maxPooledHead is the largest response-head buffer kept in the pool.
const maxPooledHead = 4 << 10

var writerPool sync.Pool // *writerBufs

func getWriterBufs(w io.Writer) *writerBufs {
	if v := writerPool.Get(); v != nil {
		wb := v.(*writerBufs)
		wb.w.Reset(w)
		return wb
	}
	return &writerBufs{w: bufio.NewWriterSize(w, writeBufferSize)}
}

func putWriterBufs(wb *writerBufs) {
	wb.w.Reset(nil)
	if cap(wb.head) > maxPooledHead {
		wb.head = nil
	}
	writerPool.Put(wb)
}

var readerPool sync.Pool // *bufio.Reader of readBufferSize

func newReader(r io.Reader) *bufio.Reader {
	if v := readerPool.Get(); v != nil {
		br := v.(*bufio.Reader)
		br.Reset(r)
		return br
	}
	return bufio.NewReaderSize(r, readBufferSize)
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readerPool.Put(br)
}

// earliest returns the earlier of an absolute deadline and now+timeout,
// ignoring whichever is unset.
func earliest(deadline time.Time, timeout time.Duration) time.Time {
	if timeout <= 0 {
		return deadline
	}
	t := time.Now().Add(timeout)
	if !deadline.IsZero() && deadline.Before(t) {
		return deadline
	}
	return t
}

// shorter returns the shorter of two timeouts, zero meaning none.
func shorter(a, b time.Duration) time.Duration {
	if a <= 0 || (b > 0 && b < a) {
		return b
	}
	return a
}

// isTimeout reports whether err is a deadline or timeout error.
func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
