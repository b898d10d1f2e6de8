package wire

import (
	"bufio"
	"bytes"
)

// AppendLine appends to dst the next line of br, through its '\n', and
// returns the extended slice. A line longer than limit bytes (line ending
// included) sets tooLong: only its first limit bytes are appended, and
// the rest is left unread, as Python's readline(limit+1) followed by a
// length check. At end of input, or on a read error, the partial line is
// appended and err returned.
//
// It decides as soon as limit+1 bytes without a line end have arrived,
// without waiting for a newline or for br's buffer to fill: a client that
// sends an over-long line and then waits gets its answer at once.
func AppendLine(br *bufio.Reader, dst []byte, limit int) (line []byte, tooLong bool, err error) {
	got := 0
	for {
		if br.Buffered() == 0 {
			if _, err := br.Peek(1); err != nil {
				return dst, false, err
			}
		}
		room := limit - got
		buf, _ := br.Peek(min(br.Buffered(), room+1))
		if i := bytes.IndexByte(buf[:min(len(buf), room)], '\n'); i >= 0 {
			dst = append(dst, buf[:i+1]...)
			br.Discard(i + 1)
			return dst, false, nil
		}
		if len(buf) > room {
			dst = append(dst, buf[:room]...)
			br.Discard(room)
			return dst, true, nil
		}
		dst = append(dst, buf...)
		br.Discard(len(buf))
		got += len(buf)
	}
}
