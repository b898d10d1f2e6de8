package wire

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// ErrMalformedBody is wrapped by every error of a chunked body that
// breaks its framing. The httpserver package exports it as
// httpserver.ErrMalformedBody.
var ErrMalformedBody = errors.New("httpserver: malformed chunked body")

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
	MaxChunkLine    = 4096     // a chunk-size line, extensions included
	maxTrailerBytes = 16 << 10 // the whole trailer section
	// A chunked body may carry maxChunkOverhead bytes of framing beyond
	// what its data pays for: 16 bytes per chunk and 2 per data byte, so
	// one-byte chunks stream freely but chunk extensions cannot make a
	// client's few bytes of data cost the server unbounded reading.
	maxChunkOverhead = 16 << 10
)

// BodyMode is how a request's body is delimited.
type BodyMode uint8

// The framings of a request body.
const (
	BodyNone    BodyMode = iota // no body, or HTTP/0.9
	BodyLength                  // Content-Length bytes
	BodyChunked                 // Transfer-Encoding: chunked
)

// BodyReader is a request's Body: it reads the body out of the
// connection's buffered reader (the handler's Rfile) as the framing
// declares and returns io.EOF at its end, so a do-method never reads into
// the next request. It is reset for every request. Its zero value is not
// ready for use: call Reset first.
//
// Owned by the connection's goroutine.
type BodyReader struct {
	r        *bufio.Reader
	mode     BodyMode
	remain   int64  // BodyLength: bytes left; BodyChunked: bytes left in the chunk
	raw      int64  // bytes taken from r, framing included
	overhead int64  // BodyChunked: framing not yet paid for by data
	inData   bool   // BodyChunked: inside a chunk's data
	crlfDue  bool   // BodyChunked: a chunk's data ended, its CRLF not yet read
	done     bool   // the body has been read to its end
	err      error  // sticky framing or read error
	lineBuf  []byte // BodyChunked: the last chunk-size or trailer line; reused
}

var _ io.Reader = (*BodyReader)(nil)

// Reset makes br read a new body from r: none, length bytes, or a chunked
// body.
func (br *BodyReader) Reset(r *bufio.Reader, mode BodyMode, length int64) {
	keep := br.lineBuf
	if cap(keep) > 128 {
		keep = nil // a long trailer line once should not pin its buffer
	}
	*br = BodyReader{r: r, mode: mode, remain: length, lineBuf: keep}
	if mode == BodyNone || (mode == BodyLength && length == 0) {
		br.done = true
	}
}

// Mode returns the framing of the body.
func (br *BodyReader) Mode() BodyMode { return br.mode }

// Done reports whether the body has been read to its end.
func (br *BodyReader) Done() bool { return br.done }

// Err returns the framing or read error that stopped the body, if any.
func (br *BodyReader) Err() error { return br.err }

// Raw returns how many bytes the body has taken from its reader, framing
// included.
func (br *BodyReader) Raw() int64 { return br.raw }

// Remain returns how many bytes are left: of the body with BodyLength, of
// the current chunk with BodyChunked.
func (br *BodyReader) Remain() int64 { return br.remain }

// Read reads the body's bytes.
func (br *BodyReader) Read(p []byte) (int, error) {
	if br.err != nil {
		return 0, br.err
	}
	if br.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if br.mode == BodyChunked {
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
func (br *BodyReader) readChunked(p []byte) (int, error) {
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
func (br *BodyReader) readRemain(p []byte) (int, error) {
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
func (br *BodyReader) fail(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	br.err = err
	return err
}

// nextChunk reads a chunk-size line: 1*HEXDIG [ chunk-ext ] CRLF. A zero
// size ends the body, after the trailer section.
func (br *BodyReader) nextChunk() error {
	line, err := br.line(MaxChunkLine, errChunkLineTooLong)
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
func (br *BodyReader) chunkEnd() error {
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
func (br *BodyReader) trailers() error {
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
		if _, _, why := SplitHeaderLine(line); why != HeaderOK {
			return errBadTrailer
		}
	}
}

// line reads one CRLF-terminated line of at most limit bytes and returns
// it without the CRLF. A bare LF is an error: chunked framing is CRLF. A
// longer line is refused as soon as its bytes are in (see AppendLine).
func (br *BodyReader) line(limit int, tooLong error) ([]byte, error) {
	buf, over, err := AppendLine(br.r, br.lineBuf[:0], limit+2)
	br.lineBuf = buf[:0]
	br.raw += int64(len(buf))
	switch {
	case over:
		return nil, tooLong
	case err == io.EOF:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	case len(buf) < 2 || buf[len(buf)-2] != '\r':
		return nil, errBadChunkSize
	}
	return buf[:len(buf)-2], nil
}
