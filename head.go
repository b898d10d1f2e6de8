package httpserver

import (
	"io"
	"strconv"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"github.com/httpserver-go/httpserver/internal/wire"
)

// maxLineLength is the longest request or header line Python accepts,
// line ending included (http.client._MAXLINE).
const maxLineLength = 65536

// maxHeaders is the most header lines Python 3.15 accepts
// (http.client._MAXHEADERS).
const maxHeaders = 100

type span struct{ start, end int }

// lineSpan is a span within the request line, which is at most 64 KiB.
type lineSpan struct{ start, end int32 }

// headerLine locates one header line within the connection's head.
type headerLine struct{ start, nameEnd, valueStart, end int }

// refusal is the error response a malformed request head gets: the code,
// and SendError's message and explanation ("" for the defaults).
type refusal struct {
	code             int
	message, explain string
}

// readLine appends the next line of the connection, through its '\n', to
// head and returns the line's length. A line longer than limit (line
// ending included) sets tooLong, at once (see wire.AppendLine); only limit
// bytes of it are kept. At end of input the partial line is kept and err
// is io.EOF.
func (c *conn) readLine(limit int) (n int, tooLong bool, err error) {
	start := len(c.head)
	c.head, tooLong, err = wire.AppendLine(c.br, c.head, limit)
	return len(c.head) - start, tooLong, err
}

// requestLine returns the request line read by readRequestLine, without
// its line ending.
func (c *conn) requestLine() []byte {
	line := c.head[:c.lineLen]
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	return line
}

// splitRequestLine finds the words of the request line as Python's
// str.split() does, keeping the first, the second and the last, and
// returns how many there are.
func (c *conn) splitRequestLine() int {
	line := c.requestLine()
	c.lineTrim = int32(len(line))
	nwords := 0
	for i := 0; i < len(line); {
		for i < len(line) && pystr.IsSpace(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && !pystr.IsSpace(line[i]) {
			i++
		}
		w := lineSpan{int32(start), int32(i)}
		if nwords < 2 {
			c.words[nwords] = w
		}
		c.words[2] = w
		nwords++
	}
	return nwords
}

// word returns word i (0, 1, or 2 for the last) of the request line.
func (c *conn) word(i int) []byte {
	return c.head[c.words[i].start:c.words[i].end]
}

// readHeaderLines reads the header lines up to the blank line (or end of
// input), then checks each. It reports false when the head is refused
// (r says how to answer) or an I/O error cut it short (r.code is 0: close
// without an answer).
func (c *conn) readHeaderLines() (r refusal, ok bool) {
	c.lines = c.lines[:0]
	maxBytes := c.srv.maxHeaderBytes()
	for {
		start := len(c.head)
		limit, budget := maxLineLength, false
		if maxBytes > 0 && maxBytes-start < limit {
			limit, budget = max(maxBytes-start, 0), true
		}
		n, tooLong, err := c.readLine(limit)
		if tooLong {
			if budget {
				return refusal{431, "Headers too large",
					"got more than " + strconv.Itoa(maxBytes) + " bytes of request line and headers"}, false
			}
			return refusal{431, "Line too long", "got more than 65536 bytes when reading header line"}, false
		}
		if err != nil && err != io.EOF {
			return refusal{}, false
		}
		l := c.head[start:]
		if n == 0 || (n == 1 && l[0] == '\n') || (n == 2 && l[0] == '\r' && l[1] == '\n') {
			break
		}
		c.lines = append(c.lines, headerLine{start: start, end: start + n})
		if len(c.lines) > maxHeaders {
			return refusal{431, "Too many headers", "got more than 100 headers"}, false
		}
		if err == io.EOF {
			break
		}
	}
	for i := range c.lines {
		l := &c.lines[i]
		body := trimLineEnding(c.head[l.start:l.end])
		nameEnd, valueStart, why := wire.SplitHeaderLine(body)
		if why != wire.HeaderOK {
			return refusal{400, "Bad header line (" + pystr.Repr(string(body)) + ")", ""}, false
		}
		l.nameEnd, l.valueStart, l.end = l.start+nameEnd, l.start+valueStart, l.start+len(body)
	}
	c.bodyStart = c.cr.n - int64(c.br.Buffered())
	return refusal{}, true
}

// headerFields returns the header lines read, sliced out of head, a string
// holding the bytes of the connection's head.
func (c *conn) headerFields(head string) Headers {
	if len(c.lines) == 0 {
		return Headers{}
	}
	fields := make([]HeaderField, len(c.lines))
	for i, l := range c.lines {
		fields[i] = HeaderField{head[l.start:l.nameEnd], head[l.valueStart:l.end]}
	}
	return Headers{fields}
}

// trimLineEnding removes one trailing "\r\n" or "\n".
func trimLineEnding(l []byte) []byte {
	if n := len(l); n > 0 && l[n-1] == '\n' {
		l = l[:n-1]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
	}
	return l
}
