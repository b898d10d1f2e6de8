package wire

import (
	"strings"
	"testing"
)

// TestSplitHeaderLine checks the strict header-line rules: where the name
// ends and the value starts, or why the line is refused.
func TestSplitHeaderLine(t *testing.T) {
	tests := []struct {
		in                  string
		nameEnd, valueStart int
		why                 HeaderLineError
	}{
		{"Host: x", 4, 6, HeaderOK},
		{"Host:x", 4, 5, HeaderOK},
		{"Host: \t x \t", 4, 8, HeaderOK}, // trailing whitespace is kept
		{"X-Empty:", 7, 8, HeaderOK},
		{"X-Tab: a\tb", 5, 7, HeaderOK},
		{"X-Colon: a:b", 7, 9, HeaderOK},
		{"X-Latin1: caf\xe9", 8, 10, HeaderOK},
		{" folded", 0, 0, HeaderFolded},
		{"\tfolded: x", 0, 0, HeaderFolded},
		{"no colon", 0, 0, HeaderNoColon},
		{"", 0, 0, HeaderNoColon},
		{": empty name", 0, 0, HeaderBadName},
		{"Host : x", 0, 0, HeaderBadName},
		{"Host\t: x", 0, 0, HeaderBadName},
		{"X-\xe9: a", 0, 0, HeaderBadName},
		{"X(y): a", 0, 0, HeaderBadName},
		{"X: a\x00b", 0, 0, HeaderBadValue},
		{"X: a\rb", 0, 0, HeaderBadValue},
		{"X: a\x1b[31m", 0, 0, HeaderBadValue},
		{"X: a\x7f", 0, 0, HeaderBadValue},
	}
	for _, tt := range tests {
		nameEnd, valueStart, why := SplitHeaderLine([]byte(tt.in))
		if nameEnd != tt.nameEnd || valueStart != tt.valueStart || why != tt.why {
			t.Errorf("SplitHeaderLine(%q) = %d, %d, %d; want %d, %d, %d", tt.in, nameEnd, valueStart, why, tt.nameEnd, tt.valueStart, tt.why)
		}
	}
}

// TestHeaderNameIsToken checks every byte in a header name against the
// tchar of RFC 9110 §5.6.2.
func TestHeaderNameIsToken(t *testing.T) {
	const tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for c := range 256 {
		line := []byte{'X', byte(c), ':', ' ', 'v'}
		_, _, why := SplitHeaderLine(line)
		if want := strings.IndexByte(tchar, byte(c)) >= 0 || c == ':'; (why == HeaderOK) != want {
			t.Errorf("SplitHeaderLine(%q) = %d, want a token name: %v", line, why, want)
		}
	}
}
