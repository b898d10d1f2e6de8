package wire

import (
	"bytes"

	"golang.org/x/net/http/httpguts"
)

// HeaderLineError says why a header line was refused.
type HeaderLineError int

// The verdicts of SplitHeaderLine.
const (
	HeaderOK       HeaderLineError = iota
	HeaderFolded                   // an obs-fold continuation line
	HeaderNoColon                  // no colon
	HeaderBadName                  // an empty name, or one that is not a token
	HeaderBadValue                 // a control byte other than tab in the value
)

// SplitHeaderLine splits one header line, its line ending already removed,
// into name and value. Python's email parser is lenient; this is strict
// (README.md, "Deliberate differences from Python", 3) so that a request
// cannot be read two ways: the name must be a non-empty token directly
// followed by a colon, the line must not be an obs-fold continuation, and
// the value must not hold control bytes other than horizontal tab (so no
// NUL and no bare CR). Leading whitespace of the value is dropped;
// trailing whitespace is kept, as Python keeps it.
func SplitHeaderLine(line []byte) (nameEnd, valueStart int, why HeaderLineError) {
	if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
		return 0, 0, HeaderFolded
	}
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return 0, 0, HeaderNoColon
	}
	for _, c := range line[:colon] {
		if !httpguts.IsTokenRune(rune(c)) {
			return 0, 0, HeaderBadName
		}
	}
	if colon == 0 {
		return 0, 0, HeaderBadName
	}
	v := colon + 1
	for v < len(line) && (line[v] == ' ' || line[v] == '\t') {
		v++
	}
	for _, c := range line[v:] {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return 0, 0, HeaderBadValue
		}
	}
	return colon, v, HeaderOK
}
