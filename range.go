package httpserver

import (
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// Range requests (RFC 9110 §14), as SimpleHandler answers them for GET and
// HEAD of a regular file:
//
//   - The unit is "bytes", in any case; a value whose unit is another, or
//     that breaks the grammar anywhere (a spec with last < first, a sign, a
//     space inside a number, no "="), is ignored and the whole file is
//     sent, as RFC 9110 §14.2 asks of an unknown unit and allows for an
//     invalid set. Empty list elements and spaces around commas are
//     allowed (§5.6.1). Several Range header lines are invalid.
//   - "first-last", "first-" and "-suffix" select bytes of the file as it
//     is when the request is answered; last is clamped to the end, a
//     suffix longer than the file selects all of it. A spec selecting no
//     byte (first at or past the end, a suffix of 0, any spec on an empty
//     file) is unsatisfiable; a set of nothing else gets 416.
//   - Abuse is bounded (the "Apache Killer", CVE-2011-3192): a set of more
//     than maxRanges specs is ignored; overlapping ranges, and ranges
//     separated by less than a part's headers, are merged (then the parts
//     come in file order, otherwise in the order asked); if the multipart
//     body would still be larger than the file, the whole file is sent
//     instead. So a response is never larger than the file plus one
//     part's headers, and the work is bounded by maxRanges.
//   - One range is a single 206 with Content-Range; several are one 206
//     of type multipart/byteranges (§14.6), each part with its
//     Content-Type and Content-Range.

// maxRanges is the most range specs a Range value may hold; a value with
// more is ignored.
const maxRanges = 64

// byteRange is the bytes [start, start+length) of a file; length > 0.
type byteRange struct{ start, length int64 }

// end returns the offset just past r.
func (r byteRange) end() int64 { return r.start + r.length }

// rangeOutcome is what a Range value asks of a file.
type rangeOutcome int

const (
	rangeIgnored       rangeOutcome = iota // send the whole file
	rangeSatisfiable                       // send the ranges returned
	rangeUnsatisfiable                     // 416
)

// parseRange reads the Range value v for a file of size bytes and returns
// the ranges to send, appended to dst[:0], before any merging.
func parseRange(v string, size int64, dst []byteRange) ([]byteRange, rangeOutcome) {
	const unit = "bytes="
	if len(v) < len(unit) || !equalFoldASCII(v[:len(unit)], unit) {
		return nil, rangeIgnored
	}
	ranges := dst[:0]
	specs := 0
	for s, more := v[len(unit):], true; more; {
		var elem string
		elem, s, more = strings.Cut(s, ",")
		elem = wire.TrimOWS(elem)
		if elem != "" {
			specs++
			if specs > maxRanges {
				return nil, rangeIgnored
			}
			r, ok, valid := parseRangeSpec(elem, size)
			if !valid {
				return nil, rangeIgnored
			}
			if ok {
				ranges = append(ranges, r)
			}
		}
	}
	switch {
	case specs == 0:
		return nil, rangeIgnored
	case len(ranges) == 0:
		return nil, rangeUnsatisfiable
	}
	return ranges, rangeSatisfiable
}

// parseRangeSpec reads one range spec for a file of size bytes: valid
// reports whether it follows the grammar, ok whether it selects a byte.
func parseRangeSpec(spec string, size int64) (r byteRange, ok, valid bool) {
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return byteRange{}, false, false
	}
	if first == "" { // -suffix
		n, valid := parseRangeNumber(last)
		if !valid || n == 0 || size == 0 {
			return byteRange{}, false, valid
		}
		n = min(n, size)
		return byteRange{size - n, n}, true, true
	}
	start, valid := parseRangeNumber(first)
	if !valid {
		return byteRange{}, false, false
	}
	end := int64(-1) // "first-": to the end
	if last != "" {
		if end, valid = parseRangeNumber(last); !valid || end < start {
			return byteRange{}, false, false
		}
	}
	if start >= size {
		return byteRange{}, false, true
	}
	if end < 0 || end >= size {
		end = size - 1
	}
	return byteRange{start, end - start + 1}, true, true
}

// parseRangeNumber reads 1*DIGIT; a number too large for an int64 saturates,
// which selects as far as the file goes.
func parseRangeNumber(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1-9)/10 {
			n = 1<<63 - 1
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// coalesce merges the ranges that overlap or lie less than gap bytes
// apart. If any merge, the result is in file order; otherwise the ranges
// are left in the order they were asked for. It reorders ranges in place.
func coalesce(ranges []byteRange, gap int64) []byteRange {
	if len(ranges) < 2 {
		return ranges
	}
	sorted := slices.Clone(ranges)
	slices.SortFunc(sorted, func(a, b byteRange) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	merged := sorted[:1]
	for _, r := range sorted[1:] {
		last := &merged[len(merged)-1]
		if r.start-last.end() < gap {
			last.length = max(last.end(), r.end()) - last.start
			continue
		}
		merged = append(merged, r)
	}
	if len(merged) == len(ranges) {
		return ranges
	}
	return append(ranges[:0], merged...)
}

// byteRanges is the layout of a multipart/byteranges body: each part's
// headers and the bytes they introduce, then the closing delimiter.
type byteRanges struct {
	boundary string
	heads    []string // heads[i] comes before ranges[i]
	ranges   []byteRange
	size     int64 // the whole body's length
}

// newMultipart lays out the parts of ranges of a file of size bytes whose
// Content-Type is ctype.
func newMultipart(ranges []byteRange, size int64, ctype string) *byteRanges {
	m := &byteRanges{boundary: newBoundary(), ranges: ranges, heads: make([]string, len(ranges))}
	for i, r := range ranges {
		m.heads[i] = m.partHead(i == 0, ctype, r, size)
		m.size += int64(len(m.heads[i])) + r.length
	}
	m.size += int64(len(m.closing()))
	return m
}

// partHead returns the delimiter and headers that open a part: a CRLF
// before the delimiter ends the previous part's data (RFC 2046 §5.1.1).
func (m *byteRanges) partHead(first bool, ctype string, r byteRange, size int64) string {
	b := make([]byte, 0, 96+len(m.boundary)+len(ctype))
	if !first {
		b = append(b, "\r\n"...)
	}
	b = append(b, "--"...)
	b = append(b, m.boundary...)
	b = append(b, "\r\nContent-Type: "...)
	b = append(b, ctype...)
	b = append(b, "\r\nContent-Range: "...)
	b = appendContentRange(b, r, size)
	b = append(b, "\r\n\r\n"...)
	return string(b)
}

// closing returns the delimiter that ends the body.
func (m *byteRanges) closing() string { return "\r\n--" + m.boundary + "--\r\n" }

// maxPartHead returns the longest head a part of a file of size bytes
// with Content-Type ctype can have: the gap below which two ranges cost
// more as two parts than as one.
func maxPartHead(ctype string, size int64) int64 {
	r := byteRange{size, size} // offsets as long as any in the file
	return int64(len((&byteRanges{boundary: boundaryPattern}).partHead(false, ctype, r, size)))
}

// boundaryPattern has the length of every boundary newBoundary makes.
const boundaryPattern = "00000000000000000000"

// newBoundary returns a random multipart boundary of 20 hex digits: 80
// random bits, which no file is going to hold by chance.
func newBoundary() string {
	b := make([]byte, 0, len(boundaryPattern))
	b = appendHex16(b, rand.Uint64())
	b = appendHex16(b, rand.Uint64())
	return string(b[:len(boundaryPattern)])
}

// appendHex16 appends v as 16 lower-case hex digits.
func appendHex16(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&0xf])
	}
	return b
}

// appendContentRange appends the Content-Range value "bytes
// first-last/size" of r.
func appendContentRange(b []byte, r byteRange, size int64) []byte {
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, r.start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, r.end()-1, 10)
	b = append(b, '/')
	return strconv.AppendInt(b, size, 10)
}

// multipartBody is the body of a multipart/byteranges response: the parts'
// heads and the file's bytes in turn.
type multipartBody struct {
	m     *byteRanges
	file  fileBody // file.f is the file; off and n the current part's bytes left
	next  int      // the next part to start; len(m.ranges) is the closing delimiter
	head  string   // what is left of the head being sent
	sent  int64
	short bool // the file shrank: nothing more is sent
}

// advance starts the next part, or the closing delimiter; it reports
// false when nothing is left to send.
func (b *multipartBody) advance() bool {
	switch {
	case b.short || b.next > len(b.m.ranges):
		return false
	case b.next < len(b.m.ranges):
		b.head = b.m.heads[b.next]
		b.file.off, b.file.n = b.m.ranges[b.next].start, b.m.ranges[b.next].length
	default:
		b.head = b.m.closing()
	}
	b.next++
	return true
}

func (b *multipartBody) Read(p []byte) (int, error) {
	for {
		switch {
		case b.head != "":
			n := copy(p, b.head)
			b.head = b.head[n:]
			b.sent += int64(n)
			return n, nil
		case b.file.n > 0:
			n, err := b.file.Read(p)
			b.sent += int64(n)
			if err == io.EOF {
				b.short = true
			}
			return n, err
		case !b.advance():
			return 0, io.EOF
		}
	}
}

// WriteTo sends the parts to w, each part's bytes as fileBody sends them
// (sendfile where w leads to a TCP socket).
func (b *multipartBody) WriteTo(w io.Writer) (int64, error) {
	start := b.sent
	for {
		switch {
		case b.head != "":
			n, err := io.WriteString(w, b.head)
			b.head = b.head[n:]
			b.sent += int64(n)
			if err != nil {
				return b.sent - start, err
			}
		case b.file.n > 0:
			n, err := b.file.WriteTo(w)
			b.sent += n
			if err != nil {
				return b.sent - start, err
			}
			if b.file.n > 0 {
				b.short = true
			}
		case !b.advance():
			return b.sent - start, nil
		}
	}
}

// unsent returns how many bytes of the announced body were not sent:
// nonzero only when the file shrank.
func (b *multipartBody) unsent() int64 { return b.m.size - b.sent }

func (b *multipartBody) Close() error { return b.file.Close() }
