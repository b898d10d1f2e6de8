package pystr

import "testing"

// TestInt checks int(s) without surrounding whitespace, with a 64-bit
// result as the command line wants it; the expectations are Python 3's.
func TestInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"8000", 8000, true}, {"+80", 80, true}, {"-1", -1, true},
		{"8_000", 8000, true}, {"8__000", 0, false}, {"_8", 0, false}, {"8_", 0, false},
		{"", 0, false}, {"x", 0, false}, {"0x10", 0, false}, {"1e3", 0, false},
		{"-+5", 0, false}, {"+-5", 0, false}, {"+", 0, false}, {"-_1", 0, false},
		{"0_0", 0, true}, {"00", 0, true}, {"\xb9", 0, false}, {" 80", 0, false},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775807", -9223372036854775807, true},
	}
	for _, tt := range tests {
		got, valid, overflow := Int(tt.in, 64)
		if ok := valid && !overflow; got != tt.want || ok != tt.ok {
			t.Errorf("Int(%q, 64) = %d, %v, %v; want %d and a valid number: %v", tt.in, got, valid, overflow, tt.want, tt.ok)
		}
	}
}

// TestIntOverflow checks that a number whose magnitude needs more than
// bitSize-1 bits is valid Python but reported as overflowing.
func TestIntOverflow(t *testing.T) {
	tests := []struct {
		in       string
		bitSize  int
		want     int64
		overflow bool
	}{
		{"2147483647", 32, 2147483647, false},
		{"-2147483647", 32, -2147483647, false},
		{"2147483648", 32, 0, true},
		{"-2147483648", 32, 0, true},
		{"99999999999999999999999", 32, 0, true},
		{"2147483648", 64, 2147483648, false},
		{"9223372036854775808", 64, 0, true},
		{"18446744073709551616", 64, 0, true},
		{"1_000_000_000_000_000_000_000", 64, 0, true},
	}
	for _, tt := range tests {
		got, valid, overflow := Int(tt.in, tt.bitSize)
		if !valid || overflow != tt.overflow || (!overflow && got != tt.want) {
			t.Errorf("Int(%q, %d) = %d, %v, %v; want %d, true, %v", tt.in, tt.bitSize, got, valid, overflow, tt.want, tt.overflow)
		}
	}
}

// TestIsDigit compares IsDigit with Python's str.isdigit over every
// ISO-8859-1 character.
func TestIsDigit(t *testing.T) {
	python := map[byte]bool{0xb2: true, 0xb3: true, 0xb9: true}
	for c := byte('0'); c <= '9'; c++ {
		python[c] = true
	}
	for c := range 256 {
		if got := IsDigit(byte(c)); got != python[byte(c)] {
			t.Errorf("IsDigit(%#x) = %v, want %v", c, got, python[byte(c)])
		}
	}
}
