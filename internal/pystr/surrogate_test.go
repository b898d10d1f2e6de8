package pystr

import "testing"

// TestSurrogateEscape checks file-name bytes decoded as os.fsdecode does
// (UTF-8, surrogateescape), in WTF-8, and back with FSEncode.
func TestSurrogateEscape(t *testing.T) {
	tests := []struct{ name, want string }{
		{"plain.txt", "plain.txt"},
		{"caf\xc3\xa9", "caf\xc3\xa9"},
		{"\xff.bin", "\xed\xb3\xbf.bin"},
		{"caf\xe9", "caf\xed\xb3\xa9"},
		{"\x80", "\xed\xb2\x80"},
		{"\xed\xa0\x80", "\xed\xb3\xad\xed\xb2\xa0\xed\xb2\x80"}, // an encoded surrogate is not UTF-8
		{"\xc3(", "\xed\xb3\x83("},
		{"\xef\xbf\xbd", "\xef\xbf\xbd"}, // a real U+FFFD stays
	}
	for _, tt := range tests {
		got := SurrogateEscape(tt.name)
		if got != tt.want {
			t.Errorf("SurrogateEscape(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if back, ok := FSEncode(got); !ok || back != tt.name {
			t.Errorf("FSEncode(%q) = %q, %v; want %q, true", got, back, ok, tt.name)
		}
	}
}

// TestFSEncodeUnencodable checks that surrogates outside U+DC80–U+DCFF,
// which Python cannot encode, become NUL.
func TestFSEncodeUnencodable(t *testing.T) {
	for in, want := range map[string]string{
		"a\xed\xa0\x80b": "a\x00b", // U+D800
		"\xed\xb0\x80":   "\x00",   // U+DC00
		"\xed\xb1\xbf":   "\x00",   // U+DC7F
		"\xed\xb4\x80":   "\x00",   // U+DD00
		"\xed\xbf\xbf":   "\x00",   // U+DFFF
	} {
		if got, ok := FSEncode(in); ok || got != want {
			t.Errorf("FSEncode(%q) = %q, %v; want %q, false", in, got, ok, want)
		}
	}
}

// TestEncodeSurrogateEscape checks the listing title's encoding:
// U+DC80–U+DCFF back to their bytes, any other surrogate replaced.
func TestEncodeSurrogateEscape(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"caf\xc3\xa9", "caf\xc3\xa9", true},
		{"caf\xed\xb3\xa9", "caf\xe9", true},
		{"a\xed\xa0\x80b\xed\xb2\x80", "a\ufffdb\x80", false},
		{"\xed\x9f\xbf", "\xed\x9f\xbf", true}, // U+D7FF is no surrogate
	}
	for _, tt := range tests {
		if got, ok := EncodeSurrogateEscape(tt.in, "\ufffd"); got != tt.want || ok != tt.ok {
			t.Errorf("EncodeSurrogateEscape(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
