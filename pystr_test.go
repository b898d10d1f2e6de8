package httpserver

import "testing"

// TestSurrogateEscape checks file-name bytes decoded as os.fsdecode does
// (UTF-8, surrogateescape), in WTF-8, and back with fsEncode.
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
		got := surrogateEscape(tt.name)
		if got != tt.want {
			t.Errorf("surrogateEscape(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if back, ok := fsEncode(got); !ok || back != tt.name {
			t.Errorf("fsEncode(%q) = %q, %v; want %q, true", got, back, ok, tt.name)
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
		if got, ok := fsEncode(in); ok || got != want {
			t.Errorf("fsEncode(%q) = %q, %v; want %q, false", in, got, ok, want)
		}
	}
}

// TestPyLower checks str.lower(): full mappings and the final sigma.
// Expectations from Python 3.15.
func TestPyLower(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABC.TXT", "abc.txt"},
		{"É.txt", "é.txt"},
		{"İx", "i\u0307x"},
		{"ΑΣ", "ας"},
		{"ΣΑ", "σα"},
		{"Σ", "σ"},
		{"ΑΣ.txt", "ασ.txt"}, // "." is case-ignorable, "t" cased
		{"ΑΣΑ", "ασα"},
		{"Α'Σ", "α'ς"},   // case-ignorable before
		{"ΑΣ'Α", "ασ'α"}, // cased after, past a case-ignorable
		{"1Σ", "1σ"},
		{"K", "k"}, // KELVIN SIGN
		{"\xed\xb3\xbfA", "\xed\xb3\xbfa"},
		{"\xffA", "\xffa"},
	}
	for _, tt := range tests {
		if got := pyLower(tt.in); got != tt.want {
			t.Errorf("pyLower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestUTF8Seq checks the maximal subparts Python's decoder reports.
func TestUTF8Seq(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		kind seqKind
	}{
		{"\xc3\xa9", 2, seqValid},
		{"\xe2\x82\xac", 3, seqValid},
		{"\xf0\x9f\x98\x80", 4, seqValid},
		{"\xed\xa0\x80", 3, seqSurrogate},
		{"\xed\x9f\xbf", 3, seqValid},
		{"\xc3", 1, seqInvalid},
		{"\xc3(", 1, seqInvalid},
		{"\xe2\x82", 2, seqInvalid},
		{"\xe2\x82A", 2, seqInvalid},
		{"\xf0\x90\x80", 3, seqInvalid},
		{"\xe0\x80\x80", 1, seqInvalid},
		{"\xf4\x90\x80\x80", 1, seqInvalid},
		{"\xc0\x80", 1, seqInvalid},
		{"\x80", 1, seqInvalid},
		{"\xff", 1, seqInvalid},
	}
	for _, tt := range tests {
		if n, kind := utf8Seq(tt.in); n != tt.n || kind != tt.kind {
			t.Errorf("utf8Seq(%q) = %d, %d; want %d, %d", tt.in, n, kind, tt.n, tt.kind)
		}
	}
}
