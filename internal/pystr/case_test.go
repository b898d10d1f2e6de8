package pystr

import "testing"

// TestLower checks str.lower(): full mappings and the final sigma.
// Expectations from Python 3.15.
func TestLower(t *testing.T) {
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
		if got := Lower(tt.in); got != tt.want {
			t.Errorf("Lower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestASCIICase checks that only the ASCII letters change case, and that
// text without any to change comes back as it was.
func TestASCIICase(t *testing.T) {
	tests := []struct{ in, lower, upper string }{
		{"", "", ""},
		{"GMT", "gmt", "GMT"},
		{"Mon,", "mon,", "MON,"},
		{"\xc9t\xe9 K", "\xc9t\xe9 k", "\xc9T\xe9 K"},
		{"É", "É", "É"},
	}
	for _, tt := range tests {
		if got := LowerASCII(tt.in); got != tt.lower {
			t.Errorf("LowerASCII(%q) = %q, want %q", tt.in, got, tt.lower)
		}
		if got := UpperASCII(tt.in); got != tt.upper {
			t.Errorf("UpperASCII(%q) = %q, want %q", tt.in, got, tt.upper)
		}
	}
}
