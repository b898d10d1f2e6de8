package pystr

import (
	"strings"
	"testing"
)

// TestAppendQuoted checks urllib.parse.quote(name, errors='surrogatepass')
// on WTF-8 text.
func TestAppendQuoted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AZaz09_.-~/", "AZaz09_.-~/"},
		{"a b&c<d>\"e'f%g#h?i+j=k;l:m@n", "a%20b%26c%3Cd%3E%22e%27f%25g%23h%3Fi%2Bj%3Dk%3Bl%3Am%40n"},
		{"caf\xc3\xa9", "caf%C3%A9"},
		{"\xed\xb3\xbf.bin", "%ED%B3%BF.bin"},
		{"\x00\x7f", "%00%7F"},
	}
	for _, tt := range tests {
		if got := string(AppendQuoted(nil, tt.in)); got != tt.want {
			t.Errorf("quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestIsUnreserved checks the bytes quote leaves as they are, for every
// byte: urllib.parse's always-safe characters and the default safe "/".
func TestIsUnreserved(t *testing.T) {
	const python = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/"
	for c := range 256 {
		s := string([]byte{byte(c)})
		want := strings.Contains(python, s)
		if got := IsUnreserved(s); got != want {
			t.Errorf("IsUnreserved(%q) = %v, want %v", s, got, want)
		}
		if got := string(AppendQuoted(nil, s)) == s; got != want {
			t.Errorf("AppendQuoted keeps %q: %v, want %v", s, got, want)
		}
	}
	if !IsUnreserved("dir/sub-1_a.b~") || IsUnreserved("dir/a b") {
		t.Errorf("IsUnreserved of a name must look at every byte")
	}
}
