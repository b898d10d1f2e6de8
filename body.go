package httpserver

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"golang.org/x/net/http/httpguts"
)

// The ways a chunked body can break its framing; each wraps
// ErrMalformedBody. The connection is closed after such a request.
var (
	errChunkLineTooLong = fmt.Errorf("%w: chunk size line too long", ErrMalformedBody)
	errBadChunkSize     = fmt.Errorf("%w: malformed chunk size", ErrMalformedBody)
	errBadChunkEnd      = fmt.Errorf("%w: chunk data not followed by CRLF", ErrMalformedBody)
	errBadTrailer       = fmt.Errorf("%w: malformed trailer section", ErrMalformedBody)
	errChunkOverhead    = fmt.Errorf("%w: too much framing for its data", ErrMalformedBody)
)

// Limits of the chunked decoder.
const (
	maxChunkLine     = 4096     // a chunk-size line, extensions included
	maxTrailerBytes  = 16 << 10 // the whole trailer section
	maxDiscardedBody = 256 << 10
	// A chunked body may carry maxChunkOverhead bytes of framing beyond
	// what its data pays for: 16 bytes per chunk and 2 per data byte, so
	// one-byte chunks stream freely but chunk extensions cannot make a
	// client's few bytes of data cost the server unbounded reading.
	maxChunkOverhead = 16 << 10
)

type bodyMode uint8

const (
	bodyNone    bodyMode = iota // no body, or HTTP/0.9
	bodyLength                  // Content-Length bytes
	bodyChunked                 // Transfer-Encoding: chunked
)

// bodyReader is a request's Body: it reads the body out of Rfile as the
// framing declares and returns io.EOF at its end, so a do-method never
// reads into the next request. It is reset for every request.
//
// Owned by the connection's goroutine.
type bodyReader struct {
	r        *bufio.Reader
	mode     bodyMode
	remain   int64 // bodyLength: bytes left; bodyChunked: bytes left in the chunk
	raw      int64 // bytes taken from r, framing included
	overhead int64 // bodyChunked: framing not yet paid for by data
	inData   bool  // bodyChunked: inside a chunk's data
	crlfDue  bool  // bodyChunked: a chunk's data ended, its CRLF not yet read
	done     bool  // the body has been read to its end
	err      error // sticky framing or read error
}

var _ io.Reader = (*bodyReader)(nil)

func (br *bodyReader) reset(r *bufio.Reader, mode bodyMode, length int64) {
	*br = bodyReader{r: r, mode: mode, remain: length}
	if mode == bodyNone || (mode == bodyLength && length == 0) {
		br.done = true
	}
}

// Read reads the body's bytes.
func (br *bodyReader) Read(p []byte) (int, error) {
	if br.err != nil {
		return 0, br.err
	}
	if br.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if br.mode == bodyChunked {
		return br.readChunked(p)
	}
	n, err := br.readRemain(p)
	if br.remain == 0 {
		br.done = true
	} else if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && err != io.EOF {
		br.err = err
	}
	if br.done && err == nil && n == 0 {
		err = io.EOF
	}
	return n, err
}

// readChunked reads chunk data, crossing chunk boundaries as needed. It
// returns the data it has rather than wait for the CRLF after it, so a
// client streaming chunks sees each one handled as it arrives.
func (br *bodyReader) readChunked(p []byte) (int, error) {
	for !br.inData {
		if br.crlfDue {
			if err := br.chunkEnd(); err != nil {
				return 0, br.fail(err)
			}
		}
		if err := br.nextChunk(); err != nil {
			return 0, br.fail(err)
		}
		if br.done {
			return 0, io.EOF
		}
	}
	n, err := br.readRemain(p)
	if br.remain == 0 {
		br.inData, br.crlfDue = false, true
		if err == nil && br.r.Buffered() >= 2 {
			err = br.chunkEnd()
		}
	}
	if err != nil {
		return n, br.fail(err)
	}
	return n, nil
}

// readRemain reads into p at most the remain bytes left of the body or
// chunk.
func (br *bodyReader) readRemain(p []byte) (int, error) {
	if int64(len(p)) > br.remain {
		p = p[:br.remain]
	}
	n, err := br.r.Read(p)
	br.raw += int64(n)
	br.remain -= int64(n)
	return n, err
}

// fail records err as the reader's sticky error and returns it, with end
// of input inside the body reported as io.ErrUnexpectedEOF.
func (br *bodyReader) fail(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	br.err = err
	return err
}

// nextChunk reads a chunk-size line: 1*HEXDIG [ chunk-ext ] CRLF. A zero
// size ends the body, after the trailer section.
func (br *bodyReader) nextChunk() error {
	line, err := br.line(maxChunkLine, errChunkLineTooLong)
	if err != nil {
		return err
	}
	var size int64
	i := 0
	for ; i < len(line); i++ {
		d := pystr.HexValue(line[i])
		if d < 0 {
			break
		}
		if size >= 1<<58 {
			return errBadChunkSize // it would reach 2^62: no body is that large
		}
		size = size<<4 | int64(d)
	}
	if i == 0 {
		return errBadChunkSize
	}
	// Extensions: BWS ";" ..., never control bytes.
	rest := line[i:]
	for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] != ';' {
		return errBadChunkSize
	}
	for _, c := range rest {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return errBadChunkSize
		}
	}
	// The line, its CRLF and the CRLF after the data are framing; the
	// chunk's data pays for some of it. Unpaid framing does not carry
	// over as credit from one chunk to the next.
	br.overhead += int64(len(line)) + 4
	br.overhead = max(br.overhead-16-2*size, 0)
	if br.overhead > maxChunkOverhead {
		return errChunkOverhead
	}
	if size == 0 {
		return br.trailers()
	}
	br.remain, br.inData = size, true
	return nil
}

// chunkEnd consumes the CRLF after a chunk's data.
func (br *bodyReader) chunkEnd() error {
	br.crlfDue = false
	var crlf [2]byte
	n, err := io.ReadFull(br.r, crlf[:])
	br.raw += int64(n)
	if err != nil {
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errBadChunkEnd
	}
	return nil
}

// trailers reads and drops the trailer section up to its blank line.
func (br *bodyReader) trailers() error {
	total := 0
	for {
		line, err := br.line(maxTrailerBytes-total, errBadTrailer)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			br.done = true
			return nil
		}
		total += len(line) + 2
		if _, _, why := splitHeaderLine(line); why != headerOK {
			return errBadTrailer
		}
	}
}

// line reads one CRLF-terminated line of at most limit bytes and returns
// it without the CRLF. A bare LF is an error: chunked framing is CRLF.
func (br *bodyReader) line(limit int, tooLong error) ([]byte, error) {
	var buf []byte
	for {
		frag, err := br.r.ReadSlice('\n')
		br.raw += int64(len(frag))
		if len(buf)+len(frag) > limit+2 {
			return nil, tooLong
		}
		if buf == nil && err == nil {
			buf = frag // the whole line is in Rfile's buffer: no copy
		} else {
			buf = append(buf, frag...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		if len(buf) < 2 || buf[len(buf)-2] != '\r' {
			return nil, errBadChunkSize
		}
		return buf[:len(buf)-2], nil
	}
}

// checkFraming decides how the request's body is delimited, as RFC 9112
// §6 asks of a server, and answers what would let a request be read two
// ways (DESIGN.md deviation 3): Transfer-Encoding together with
// Content-Length, differing or malformed Content-Length values, a
// Transfer-Encoding whose last coding is not chunked, or one in an
// HTTP/1.0 request → 400; a coding other than chunked → 501. With
// Server.RequireHost, an HTTP/1.1 request needs exactly one valid Host.
// It reports false after answering; the connection then closes.
func (b *BaseHandler) checkFraming() bool {
	te := b.Headers.Values("Transfer-Encoding")
	cl := b.Headers.Values("Content-Length")
	switch {
	case len(te) > 0 && len(cl) > 0:
		b.refuse(400, "Both Transfer-Encoding and Content-Length")
		return false
	case len(te) > 0:
		all := joinValues(te)
		if !b.http11 {
			b.refuse(400, "Transfer-Encoding in an HTTP/1.0 request")
			return false
		}
		codings := splitList(all)
		if len(codings) == 0 || !equalFoldASCII(codings[len(codings)-1], "chunked") {
			b.refuse(400, "Bad Transfer-Encoding ("+pystr.Repr(all)+")")
			return false
		}
		for _, c := range codings[:len(codings)-1] {
			if equalFoldASCII(c, "chunked") {
				b.refuse(400, "Bad Transfer-Encoding ("+pystr.Repr(all)+")")
				return false
			}
		}
		if len(codings) > 1 {
			b.refuse(501, "Unsupported Transfer-Encoding ("+pystr.Repr(all)+")")
			return false
		}
		b.body.reset(b.Rfile, bodyChunked, 0)
	case len(cl) > 0:
		all := joinValues(cl)
		n := int64(-1)
		for _, v := range splitList(all) {
			m, ok := parseContentLength(v)
			if !ok || (n >= 0 && m != n) {
				b.refuse(400, "Bad Content-Length ("+pystr.Repr(all)+")")
				return false
			}
			n = m
		}
		if n < 0 {
			b.refuse(400, "Bad Content-Length ("+pystr.Repr(all)+")")
			return false
		}
		b.body.reset(b.Rfile, bodyLength, n)
	}
	if b.Server != nil && b.Server.RequireHost && b.http11 {
		hosts := b.Headers.Values("Host")
		switch {
		case len(hosts) == 0:
			b.refuse(400, "Missing Host header")
			return false
		case len(hosts) > 1:
			b.refuse(400, "Multiple Host headers")
			return false
		case !validHost(hosts[0]):
			b.refuse(400, "Bad Host header ("+pystr.Repr(hosts[0])+")")
			return false
		}
	}
	return true
}

// parseContentLength accepts 1*DIGIT that fits an int64.
func parseContentLength(v string) (int64, bool) {
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// joinValues joins repeated field values as a comma-separated list.
func joinValues(vs []string) string {
	return strings.Join(vs, ", ")
}

// splitList splits a comma-separated field value into its elements with
// optional whitespace trimmed; empty elements are dropped, as RFC 9110
// §5.6.1 allows.
func splitList(v string) []string {
	var out []string
	for len(v) > 0 {
		var elem string
		if i := strings.IndexByte(v, ','); i >= 0 {
			elem, v = v[:i], v[i+1:]
		} else {
			elem, v = v, ""
		}
		elem = trimOWS(elem)
		if elem != "" {
			out = append(out, elem)
		}
	}
	return out
}

func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// validHost reports whether a Host value is a plausible uri-host with an
// optional port: no whitespace, controls or characters outside what a host
// can hold.
func validHost(h string) bool {
	return httpguts.ValidHostHeader(h)
}

// finishBody runs after the do-method: it reads and drops what is left of
// a declared body, so that it is never parsed as the next request, and
// reports whether the connection can carry another request. It cannot
// when the body is larger than maxDiscardedBody, malformed, or was read
// past its end through Rfile, or when the client is still waiting for a
// 100 Continue it never got. The response goes out before the discard, so
// a client that waits for it before sending the rest is not stalled; the
// rest must then arrive within the server's ReadHeaderTimeout (else its
// IdleTimeout), as the next request's head would.
func (b *BaseHandler) finishBody() bool {
	br := &b.body
	if br.mode == bodyNone || br.done && br.err == nil && b.consumed() == br.raw {
		return true
	}
	consumed := b.consumed()
	switch br.mode {
	case bodyLength:
		total := br.remain + br.raw // the declared length
		left := total - consumed
		switch {
		case left == 0:
			return true
		case left < 0 || left > maxDiscardedBody || b.expectPending:
			return false
		}
		if !b.startDiscard() {
			return false
		}
		n, err := io.CopyN(io.Discard, b.Rfile, left)
		b.cr.deadline = time.Time{}
		return err == nil && n == left
	case bodyChunked:
		if consumed != br.raw || br.err != nil {
			return false // read through Rfile, or malformed
		}
		if b.expectPending || !b.startDiscard() {
			return false
		}
		// At most maxDiscardedBody bytes of data; maxChunkOverhead bounds
		// the framing read along with them.
		n, err := io.CopyN(io.Discard, br, maxDiscardedBody+1)
		b.cr.deadline = time.Time{}
		return err == io.EOF && n <= maxDiscardedBody
	}
	return true
}

// consumed returns how many bytes of the connection were read, through
// Body or Rfile, since the body began.
func (b *BaseHandler) consumed() int64 {
	return b.cr.n - int64(b.Rfile.Buffered()) - b.bodyStart
}

// startDiscard sends the response written so far and sets the deadline
// for the rest of the body; it reports false if the response could not
// be sent.
func (b *BaseHandler) startDiscard() bool {
	if err := b.Wfile.Flush(); err != nil {
		return false
	}
	if s := b.Server; s != nil {
		if d := cmp.Or(s.ReadHeaderTimeout, s.IdleTimeout); d > 0 {
			b.cr.deadline = time.Now().Add(d)
		}
	}
	return true
}
