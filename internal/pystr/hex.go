package pystr

// lowerHex are the digits of a \xNN escape, as repr() and the log write
// them.
const lowerHex = "0123456789abcdef"

// UpperHex are the digits of a percent-escape, as Python writes them.
const UpperHex = "0123456789ABCDEF"

// HexValue returns the value of the hex digit c, or -1.
func HexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
