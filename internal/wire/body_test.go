package wire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http/httputil"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver/internal/pystr"
)

// next is what follows a body in the decoder tests: the decoder must
// leave it unread.
const next = "NEXT"

// readBufferSize is the size of the connection's read buffer in the
// httpserver package.
const readBufferSize = 1 << 10

// readBy reads r to its end (or error) n bytes at a time.
func readBy(r io.Reader, n int) ([]byte, error) {
	var out []byte
	buf := make([]byte, n)
	for {
		m, err := r.Read(buf)
		out = append(out, buf[:m]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestChunkedDecoder reads chunked bodies, well formed and not, through
// Body's decoder with reads of several sizes. A good body decodes to its
// data and leaves what follows it unread; a bad one yields the data before
// the fault, then the fault's error.
func TestChunkedDecoder(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error // nil: the body is good, and followed by next
	}{
		{"one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello", nil},
		{"several chunks", "3\r\nhel\r\n1\r\nl\r\n1\r\no\r\n0\r\n\r\n", "hello", nil},
		{"empty body", "0\r\n\r\n", "", nil},
		{"hex digits", "a\r\n0123456789\r\nF\r\n0123456789abcde\r\n0\r\n\r\n", "01234567890123456789abcde", nil},
		{"leading zeros", "0005\r\nhello\r\n0000\r\n\r\n", "hello", nil},
		{"extensions", "5;a=b;c=\"x y\"\r\nhello\r\n0;z\r\n\r\n", "hello", nil},
		{"whitespace before extension", "5 \t;a\r\nhello\r\n0 \r\n\r\n", "hello", nil},
		{"tab in extension", "5;a=\"x\ty\"\r\nhello\r\n0\r\n\r\n", "hello", nil},
		{"trailers", "5\r\nhello\r\n0\r\nX-A: 1\r\nX-B:\r\n\r\n", "hello", nil},
		{"CRLF in data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n", nil},
		{"request in data", "12\r\nGET / HTTP/1.1\r\n\r\n\r\n0\r\n\r\n", "GET / HTTP/1.1\r\n\r\n", nil},
		{"size line at limit", "5;" + strings.Repeat("e", MaxChunkLine-2) + "\r\nhello\r\n0\r\n\r\n", "hello", nil},
		{"trailers at limit", "0\r\nX: " + strings.Repeat("t", maxTrailerBytes-5) + "\r\n\r\n", "", nil},
		{"one-byte chunks", strings.Repeat("1\r\nx\r\n", 5000) + "0\r\n\r\n", strings.Repeat("x", 5000), nil},

		{"bad hex", "g\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"empty size", "\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"sign", "+5\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"size then junk", "5x\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"space inside size", "5 5\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"overflow", "10000000000000000\r\n", "", errBadChunkSize},
		{"largest size", "3fffffffffffffff\r\nhello", "hello", io.ErrUnexpectedEOF},
		{"size of 2^62", "4000000000000000\r\n", "", errBadChunkSize},
		{"bare LF after size", "5\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"bare CR in size line", "5\r;a\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"size line too long", "5;" + strings.Repeat("e", MaxChunkLine-1) + "\r\nhello\r\n0\r\n\r\n", "", errChunkLineTooLong},
		{"size line without end", strings.Repeat("0", 10000), "", errChunkLineTooLong},
		{"NUL in extension", "5;a\x00\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"ESC in extension", "5;\x1b[31m\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"DEL in extension", "5;a\x7f\r\nhello\r\n0\r\n\r\n", "", errBadChunkSize},
		{"missing CRLF after data", "5\r\nhelloXY0\r\n\r\n", "hello", errBadChunkEnd},
		{"bare LF after data", "5\r\nhello\n0\r\n\r\n", "hello", errBadChunkEnd},
		{"data longer than size", "3\r\nhello\r\n0\r\n\r\n", "hel", errBadChunkEnd},
		{"bare LF in last chunk", "0\n\r\n", "", errBadChunkSize},
		{"bare LF ending trailers", "0\r\nX: 1\r\n\n", "", errBadChunkSize},
		{"trailers too big", "0\r\nX: " + strings.Repeat("t", maxTrailerBytes-4) + "\r\n\r\n", "", errBadTrailer},
		{"many trailers too big", "0\r\n" + strings.Repeat("X-Trailer: 0123456789\r\n", 1000) + "\r\n", "", errBadTrailer},
		{"trailer without colon", "0\r\nbroken\r\n\r\n", "", errBadTrailer},
		{"trailer obs-fold", "0\r\nX: a\r\n b\r\n\r\n", "", errBadTrailer},
		{"trailer space before colon", "0\r\nX : a\r\n\r\n", "", errBadTrailer},
		{"trailer control byte", "0\r\nX: a\x01\r\n\r\n", "", errBadTrailer},
		{"too much framing", strings.Repeat("1;"+strings.Repeat("e", 100)+"\r\nx\r\n", 1000), strings.Repeat("x", 186), errChunkOverhead},
		{"EOF in size line", "5", "", io.ErrUnexpectedEOF},
		{"EOF in data", "5\r\nhel", "hel", io.ErrUnexpectedEOF},
		{"EOF before data CRLF", "5\r\nhello", "hello", io.ErrUnexpectedEOF},
		{"EOF between CR and LF", "5\r\nhello\r", "hello", io.ErrUnexpectedEOF},
		{"EOF before last chunk", "5\r\nhello\r\n", "hello", io.ErrUnexpectedEOF},
		{"EOF in trailers", "0\r\nX: 1\r\n", "", io.ErrUnexpectedEOF},
		{"EOF before final CRLF", "0\r\n", "", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 3, 4096} {
			t.Run(tt.name+"/read "+strconv.Itoa(size), func(t *testing.T) {
				in := tt.in
				if tt.err == nil {
					in += next
				}
				r := bufio.NewReaderSize(strings.NewReader(in), readBufferSize)
				var br BodyReader
				br.Reset(r, BodyChunked, 0)
				got, err := readBy(&br, size)
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				if framing := tt.err != nil && tt.err != io.ErrUnexpectedEOF; framing != errors.Is(err, ErrMalformedBody) {
					t.Errorf("errors.Is(%v, ErrMalformedBody) = %v, want %v", err, !framing, framing)
				}
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("data mismatch (-want +got):\n%s", diff)
				}
				if tt.err != nil {
					if again, err2 := br.Read(make([]byte, 10)); again != 0 || err2 != err {
						t.Errorf("read after the error: %d, %v; want 0, %v", again, err2, err)
					}
					return
				}
				rest, _ := io.ReadAll(r)
				if string(rest) != next || br.raw != int64(len(tt.in)) {
					t.Errorf("after the body: %q left, %d bytes counted; want %q and %d", rest, br.raw, next, len(tt.in))
				}
			})
		}
	}
}

// stallReader returns its chunks one per Read, then fails the test if
// read again: the data after them has not arrived.
type stallReader struct {
	t      *testing.T
	chunks []string
}

func (r *stallReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		r.t.Fatal("read past the bytes that have arrived: the decoder waits for data it does not need yet")
	}
	n := copy(p, r.chunks[0])
	r.chunks = r.chunks[1:]
	return n, nil
}

// TestChunkedDataBeforeItsCRLF checks that a chunk's data is returned as
// soon as it has arrived, without waiting for the CRLF after it, so a
// handler sees a streamed chunk when it comes.
func TestChunkedDataBeforeItsCRLF(t *testing.T) {
	r := bufio.NewReaderSize(&stallReader{t: t, chunks: []string{"5\r\nhello"}}, readBufferSize)
	var br BodyReader
	br.Reset(r, BodyChunked, 0)
	buf := make([]byte, 10)
	if n, err := br.Read(buf); string(buf[:n]) != "hello" || err != nil {
		t.Errorf("Read = %q, %v; want hello, nil", buf[:n], err)
	}
}

// refChunked decodes a whole chunked body held in memory, the simple way,
// by the rules BodyReader applies as it streams: it returns the data up to
// the body's end or fault, how many bytes the body took, and whether it
// was well formed.
func refChunked(in []byte) (data []byte, used int, ok bool) {
	pos, overhead := 0, int64(0)
	line := func(limit int) ([]byte, bool) {
		end := bytes.IndexByte(in[pos:], '\n')
		if end < 0 || end > limit+1 || end == 0 || in[pos+end-1] != '\r' {
			return nil, false
		}
		l := in[pos : pos+end-1]
		pos += end + 1
		return l, true
	}
	for {
		l, good := line(MaxChunkLine)
		if !good {
			return data, pos, false
		}
		digits := 0
		for digits < len(l) && pystr.HexValue(l[digits]) >= 0 {
			digits++
		}
		var size int64
		if hex := bytes.TrimLeft(l[:digits], "0"); len(hex) > 0 {
			v, err := strconv.ParseUint(string(hex), 16, 64)
			if err != nil || v >= 1<<62 {
				return data, pos, false
			}
			size = int64(v)
		}
		if digits == 0 {
			return data, pos, false
		}
		ext := bytes.TrimLeft(l[digits:], " \t")
		if len(ext) > 0 && ext[0] != ';' || bytes.ContainsFunc(ext, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			return data, pos, false
		}
		overhead = max(overhead+int64(len(l))+4-16-2*size, 0)
		if overhead > maxChunkOverhead {
			return data, pos, false
		}
		if size == 0 {
			break
		}
		if int64(len(in)-pos) < size {
			return append(data, in[pos:]...), len(in), false
		}
		data = append(data, in[pos:pos+int(size)]...)
		pos += int(size)
		if !bytes.HasPrefix(in[pos:], []byte("\r\n")) {
			return data, pos, false
		}
		pos += 2
	}
	total := 0
	for {
		l, good := line(maxTrailerBytes - total)
		if !good {
			return data, pos, false
		}
		if len(l) == 0 {
			return data, pos, true
		}
		total += len(l) + 2
		if _, _, why := SplitHeaderLine(l); why != HeaderOK {
			return data, pos, false
		}
	}
}

// FuzzChunked compares Body's streaming chunked decoder, read in pieces
// of every size through a small buffer, with refChunked, and with Go's
// own decoder (net/http's) where both accept a body: the same data, the
// same verdict, and not a byte read past the body's end.
func FuzzChunked(f *testing.F) {
	for _, seed := range []string{
		"5\r\nhello\r\n0\r\n\r\n",
		"3;a=b\r\nhel\r\n2\r\nlo\r\n0\r\nX: y\r\n\r\nNEXT",
		"5\r\nhelloXY0\r\n\r\n",
		"5\nhello\r\n0\r\n\r\n",
		"1;eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\r\nx\r\n0\r\n\r\n",
		"0\r\nX: a\r\n b\r\n\r\n",
		"10000000000000000\r\n",
		"5 ;x\r\nhello\r\n0 \r\n\r\n",
	} {
		f.Add([]byte(seed), uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, readSize uint8) {
		r := bufio.NewReaderSize(bytes.NewReader(in), 16)
		var br BodyReader
		br.Reset(r, BodyChunked, 0)
		got, err := readBy(&br, int(readSize)%9+1)
		want, used, ok := refChunked(in)
		if ok != (err == nil) {
			t.Fatalf("decoder error %v, reference says well formed: %v", err, ok)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("decoder data %q, reference %q (error %v)", got, want, err)
		}
		if !ok {
			return
		}
		if rest, _ := io.ReadAll(r); br.raw != int64(used) || !bytes.Equal(rest, in[used:]) {
			t.Fatalf("body of %d bytes: decoder counted %d and left %q", used, br.raw, rest)
		}
		if goData, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(in))); err == nil && !bytes.Equal(goData, got) {
			t.Fatalf("Go's decoder reads %q, this one %q", goData, got)
		}
	})
}
