package pystr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWriteEscaped checks http.server's log escaping (its
// _control_char_table) on text Python reads as ISO-8859-1, with valid
// UTF-8 passed through.
func TestWriteEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GET / HTTP/1.1", "GET / HTTP/1.1"},
		{"\x00\x1b[31m\x1f\x7f", `\x00\x1b[31m\x1f\x7f`},
		{`a\b`, `a\\b`},
		{"\x85\x9f", `\x85\x9f`},         // raw C1 bytes: the ISO-8859-1 controls
		{"\xc2\x85\xc2\x9f", `\x85\x9f`}, // the same controls in UTF-8
		{"caf\xe9 \xa0", "caf\u00e9 \u00a0"},
		{"caf\xc3\xa9", "caf\u00e9"},
		{"\xe2\x80\xa8\xf0\x9f\x98\x80", "\u2028\U0001F600"},
	}
	for _, tt := range tests {
		var b strings.Builder
		WriteEscaped(&b, tt.in)
		if got := b.String(); got != tt.want || !utf8.ValidString(got) {
			t.Errorf("WriteEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
