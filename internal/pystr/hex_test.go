package pystr

import (
	"strconv"
	"testing"
)

// TestHexValue checks HexValue against strconv over every byte, and the
// digit tables against the values they stand for.
func TestHexValue(t *testing.T) {
	for c := range 256 {
		want := -1
		if v, err := strconv.ParseUint(string(rune(c)), 16, 8); err == nil {
			want = int(v)
		}
		if got := HexValue(byte(c)); got != want {
			t.Errorf("HexValue(%q) = %d, want %d", rune(c), got, want)
		}
	}
	for v := range 16 {
		if HexValue(UpperHex[v]) != v || HexValue(lowerHex[v]) != v {
			t.Errorf("UpperHex[%d] = %q, lowerHex[%d] = %q", v, UpperHex[v], v, lowerHex[v])
		}
	}
	if UpperHex[10] != 'A' || lowerHex[10] != 'a' {
		t.Errorf("UpperHex is %q and lowerHex %q, want upper and lower case", UpperHex, lowerHex)
	}
}
