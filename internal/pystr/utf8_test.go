package pystr

import "testing"

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

// TestToUTF8 checks the conversion of request text to UTF-8 for error
// pages: valid UTF-8 stays, any other byte is its ISO-8859-1 character.
func TestToUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"café", "café"},
		{"caf\xe9", "café"},
		{"\xff\xfe", "ÿþ"},
		{"é\xe9", "éé"},
		{"\xc3", "Ã"},
	}
	for _, tt := range tests {
		if got := ToUTF8(tt.in); got != tt.want {
			t.Errorf("ToUTF8(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLatin1ToUTF8 checks that every byte becomes its ISO-8859-1
// character, UTF-8 sequences included.
func TestLatin1ToUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"caf\xe9", "café"},
		{"caf\xc3\xa9", "cafÃ©"},
		{"\x80\xff", "\u0080ÿ"},
	}
	for _, tt := range tests {
		if got := Latin1ToUTF8(tt.in); got != tt.want {
			t.Errorf("Latin1ToUTF8(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
