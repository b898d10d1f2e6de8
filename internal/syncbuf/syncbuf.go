// Package syncbuf holds Buffer, where the tests of this module capture
// what a server writes to its log or a command to its output while they
// read it. It is for the tests of this module only.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer safe for the concurrent writes of a server's
// connections and the test reading it at once. The zero value is an
// empty buffer ready to use.
type Buffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string // receives the first line written; made on first use
}

// Write appends p to the buffer; it never fails.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	had := bytes.IndexByte(b.buf.Bytes(), '\n') >= 0
	n, err := b.buf.Write(p)
	if !had {
		if i := bytes.IndexByte(b.buf.Bytes(), '\n'); i >= 0 {
			b.firstLine() <- string(b.buf.Bytes()[:i+1])
		}
	}
	return n, err
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FirstLine returns a channel that receives the first line written, with
// its newline, once it is complete: at once if it already is.
func (b *Buffer) FirstLine() <-chan string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.firstLine()
}

// firstLine returns b.first, making it; b.mu is held. Its one slot holds
// the line until it is received, so Write never waits.
func (b *Buffer) firstLine() chan string {
	if b.first == nil {
		b.first = make(chan string, 1)
	}
	return b.first
}
