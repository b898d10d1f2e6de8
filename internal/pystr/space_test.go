package pystr

import (
	"slices"
	"testing"
	"unicode"
)

// TestIsSpace compares IsSpace with Python's str.isspace over every
// ISO-8859-1 character.
func TestIsSpace(t *testing.T) {
	python := map[byte]bool{0x09: true, 0x0a: true, 0x0b: true, 0x0c: true, 0x0d: true,
		0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true, 0x20: true, 0x85: true, 0xa0: true}
	for c := range 256 {
		if got := IsSpace(byte(c)); got != python[byte(c)] {
			t.Errorf("IsSpace(%#x) = %v, want %v", c, got, python[byte(c)])
		}
	}
}

// TestIsUnicodeSpace compares IsUnicodeSpace with the characters Python 3
// reports as whitespace (str.isspace) over all of Unicode.
func TestIsUnicodeSpace(t *testing.T) {
	python := map[rune]bool{}
	for _, span := range [][2]rune{{0x09, 0x0d}, {0x1c, 0x20}, {0x85, 0x85}, {0xa0, 0xa0}, {0x1680, 0x1680},
		{0x2000, 0x200a}, {0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}} {
		for r := span[0]; r <= span[1]; r++ {
			python[r] = true
		}
	}
	for r := range rune(unicode.MaxRune + 1) {
		if got := IsUnicodeSpace(r); got != python[r] {
			t.Errorf("IsUnicodeSpace(%U) = %v, want %v", r, got, python[r])
		}
	}
}

// TestFields checks str.split() with no argument on ISO-8859-1 text.
func TestFields(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" \t ", nil},
		{"a", []string{"a"}},
		{" Mon,  1 Jan\x1c2024\xa012:00\x85GMT ", []string{"Mon,", "1", "Jan", "2024", "12:00", "GMT"}},
		{"caf\xe9 \xe9", []string{"caf\xe9", "\xe9"}},
	}
	for _, tt := range tests {
		if got := Fields(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Fields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
