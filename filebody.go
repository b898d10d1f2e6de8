package httpserver

import (
	"bufio"
	"io"
)

// fileBody is the body SendHead returns for a file, or one range of it:
// the n bytes from offset off, read from the file when they are sent, and
// never more than that however the file grows.
//
// Bytes that fit in Wfile's free space are copied into it behind the
// headers, from the file's mapping (openfile.go) or with one pread, and
// leave with them in one write. More go from the
// file's own offset to Wfile's ReadFrom as an *io.LimitedReader of the
// *os.File, the shape *net.TCPConn sends with sendfile(2) (over TLS the
// connection copies them through a pooled buffer).
type fileBody struct {
	fileSource
	off int64 // next byte to send
	n   int64 // bytes left to send
}

// partialBody is a body that can tell how much of what the headers
// announced it did not send (a file that shrank meanwhile).
type partialBody interface{ unsent() int64 }

var (
	_ io.WriterTo = (*fileBody)(nil)
	_ partialBody = (*fileBody)(nil)
	_ io.WriterTo = (*multipartBody)(nil)
	_ partialBody = (*multipartBody)(nil)
)

func (b *fileBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.readAt(p, b.off)
	b.off += int64(n)
	b.n -= int64(n)
	if err == io.EOF && n > 0 {
		err = nil // the next Read reports it
	}
	return n, err
}

// WriteTo sends the body to w: see fileBody.
func (b *fileBody) WriteTo(w io.Writer) (int64, error) {
	if b.n <= 0 {
		return 0, nil
	}
	if bw, ok := w.(*bufio.Writer); ok && b.n <= int64(bw.Available()) {
		buf := bw.AvailableBuffer()[:b.n]
		n, err := b.readAt(buf, b.off)
		b.off += int64(n)
		b.n -= int64(n)
		if _, werr := bw.Write(buf[:n]); werr != nil {
			return int64(n), werr
		}
		if err == io.EOF {
			err = nil // short: unsent tells
		}
		return int64(n), err
	}
	if b.f == nil {
		// A file of FS: copied through a buffer, hiding this WriteTo.
		n, err := io.Copy(w, struct{ io.Reader }{b})
		return n, err
	}
	if _, err := b.f.Seek(b.off, io.SeekStart); err != nil {
		return 0, err
	}
	lr := io.LimitedReader{R: b.f, N: b.n}
	n, err := io.Copy(w, &lr)
	b.off += n
	b.n = lr.N
	return n, err
}

// readAt reads len(p) bytes at off, from the mapping if it holds them, as
// ReadAt does.
func (b *fileBody) readAt(p []byte, off int64) (int, error) {
	if b.mem != nil && off+int64(len(p)) <= int64(len(b.mem)) {
		return copyMapped(p, b.mem[off:])
	}
	switch {
	case b.f != nil:
		return b.f.ReadAt(p, off)
	case b.fs.ra != nil:
		return b.fs.ra.ReadAt(p, off)
	}
	return b.fs.f.Read(p) // read through from the start, as the body is sent
}

// unsent returns how many bytes were not sent.
func (b *fileBody) unsent() int64 { return b.n }

// Close closes the file unless the connection keeps it open.
func (b *fileBody) Close() error {
	switch {
	case b.keep:
		return nil
	case b.f == nil:
		return b.fs.f.Close()
	}
	return b.f.Close()
}
