package wire

import (
	"slices"
	"testing"
)

// TestParseContentLength checks that only 1*DIGIT that fits an int64 is a
// length.
func TestParseContentLength(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"5", 5, true}, {"0005", 5, true},
		{"999999999999999999", 999999999999999999, true},
		{"1000000000000000000", 0, false}, {"", 0, false}, {"+5", 0, false}, {"-1", 0, false},
		{" 5", 0, false}, {"5 ", 0, false}, {"0x5", 0, false}, {"5_0", 0, false}, {"\xb5", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseContentLength(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseContentLength(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestSplitList checks the list rule of RFC 9110 §5.6.1: elements with
// optional whitespace trimmed, empty ones dropped.
func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"chunked", []string{"chunked"}},
		{"gzip, chunked", []string{"gzip", "chunked"}},
		{" \tgzip\t ,, chunked ,", []string{"gzip", "chunked"}},
		{",,", nil},
		{"5, 5", []string{"5", "5"}},
		{"a b, c", []string{"a b", "c"}},
	}
	for _, tt := range tests {
		if got := SplitList(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestValidHost checks the Host values RequireHost accepts.
func TestValidHost(t *testing.T) {
	for h, want := range map[string]bool{
		"example.com": true, "example.com:8080": true, "127.0.0.1:80": true, "[::1]:80": true, "": true,
		"a b": false, "a\x00": false, "a/b": false, "caf\xe9": false,
	} {
		if got := ValidHost(h); got != want {
			t.Errorf("ValidHost(%q) = %v, want %v", h, got, want)
		}
	}
}
