package pystr

import (
	"fmt"
	"testing"
)

// TestRepr checks Python's repr() of request text, which error messages
// embed; the expected values are what Python 3 prints for the same bytes
// decoded as ISO-8859-1.
func TestRepr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", `'abc'`},
		{"", `''`},
		{"a'b", `"a'b"`},
		{"'", `"'"`},
		{`a'b"c`, `'a\'b"c'`},
		{`a"b`, `'a"b'`},
		{`a\b`, `'a\\b'`},
		{`\'`, `"\\'"`},
		{"\t\n\r", `'\t\n\r'`},
		{"\x00\x01\x1f\x7f\x80\x9f\xa0", `'\x00\x01\x1f\x7f\x80\x9f\xa0'`},
		{"\xad", `'\xad'`},
		{"\xa1\xe9\xff", "'\xa1\xe9\xff'"},
	}
	for _, tt := range tests {
		if got := Repr(tt.in); got != tt.want {
			t.Errorf("Repr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestReprEscapesWhatPythonCannotPrint checks every ISO-8859-1 character
// against the ones Python 3 reports not printable (str.isprintable), which
// repr() escapes as \xNN unless they have a short escape.
func TestReprEscapesWhatPythonCannotPrint(t *testing.T) {
	notPrintable := map[byte]bool{0x7f: true, 0xa0: true, 0xad: true}
	for c := range 0x20 {
		notPrintable[byte(c)] = true
	}
	for c := 0x80; c < 0xa0; c++ {
		notPrintable[byte(c)] = true
	}
	short := map[byte]string{'\t': `'\t'`, '\n': `'\n'`, '\r': `'\r'`, '\\': `'\\'`, '\'': `"'"`}
	for c := range 256 {
		want := "'" + string(rune(c)) + "'"
		switch {
		case short[byte(c)] != "":
			want = short[byte(c)]
		case notPrintable[byte(c)]:
			want = fmt.Sprintf(`'\x%02x'`, c)
		}
		if got := Latin1ToUTF8(Repr(string([]byte{byte(c)}))); got != want {
			t.Errorf("Repr(%#x) = %s, want %s", c, got, want)
		}
		if got := ReprUTF8(string(rune(c))); got != want {
			t.Errorf("ReprUTF8(%q) = %s, want %s", rune(c), got, want)
		}
	}
}

// TestReprUTF8 checks repr() of command-line arguments and file names:
// Python's os.fsdecode of the same bytes (UTF-8, surrogateescape), then
// repr. The expected values are what Python 3 prints.
func TestReprUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", `'abc'`},
		{"x\x01", `'x\x01'`},
		{"caf\xc3\xa9", "'café'"},
		{"\xc4\x81", "'ā'"}, // UTF-8 whose second byte would be a C1 control in ISO-8859-1
		{"\xff", `'\udcff'`},
		{"\xed\xb3\xbf", `'\udced\udcb3\udcbf'`}, // an encoded surrogate is not UTF-8
		{"\xe2\x80\xa8", `'\u2028'`},
		{"\xf0\x9f\x98\x80", "'😀'"},
		{"\xf3\xa0\x80\x81", `'\U000e0001'`},
		{"\xc2\xad\xc2\xa0", `'\xad\xa0'`},
		{"it's", `"it's"`},
		{`a\b`, `'a\\b'`},
		{"\t\n\r\x7f", `'\t\n\r\x7f'`},
		{"\xc2\x85", `'\x85'`},
		{"\xcd\xb8", `'\u0378'`}, // unassigned
		{"\xef\xbf\xbd", "'\ufffd'"},
		{"\xe3\x80\x80", `'\u3000'`},
	}
	for _, tt := range tests {
		if got := ReprUTF8(tt.in); got != tt.want {
			t.Errorf("ReprUTF8(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
