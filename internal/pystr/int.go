package pystr

// Int parses s, without surrounding whitespace, as Python's int(s) does:
// an optional sign, then ASCII digits, single underscores allowed between
// digits. valid reports the syntax; overflow that the value does not fit
// in a signed integer of bitSize bits, its magnitude being 2^(bitSize-1)
// or more (n is then meaningless). Python also takes the other Unicode
// decimal digits ("٥"), which no ISO-8859-1 text holds; cmd/httpserver's
// arguments may, and it refuses them.
func Int(s string, bitSize int) (n int64, valid, overflow bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false, false
	}
	limit := uint64(1) << (bitSize - 1)
	var u uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if s[i+1] == '_' {
				return 0, false, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > limit/10 {
			overflow = true
			continue
		}
		u = u*10 + uint64(c-'0')
	}
	if u >= limit {
		overflow = true
	}
	n = int64(u)
	if neg {
		n = -n
	}
	return n, true, overflow
}

// IsDigit reports str.isdigit() of an ISO-8859-1 character: the ASCII
// digits and the superscripts ¹ ² ³ (which int() then refuses).
func IsDigit(c byte) bool {
	return '0' <= c && c <= '9' || c == 0xB2 || c == 0xB3 || c == 0xB9
}
