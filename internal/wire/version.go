package wire

// ParseHTTPVersion checks a version token as parse_request does: "HTTP/",
// then exactly two dot-separated runs of 1 to 10 ASCII digits (leading
// zeros allowed).
func ParseHTTPVersion(v []byte) (major, minor int, ok bool) {
	const prefix = "HTTP/"
	if len(v) < len(prefix) || string(v[:len(prefix)]) != prefix {
		return 0, 0, false
	}
	rest := v[len(prefix):]
	dot := -1
	for i, c := range rest {
		if c == '.' {
			if dot >= 0 {
				return 0, 0, false
			}
			dot = i
		}
	}
	if dot < 0 {
		return 0, 0, false
	}
	major, ok1 := parseDigits(rest[:dot])
	minor, ok2 := parseDigits(rest[dot+1:])
	return major, minor, ok1 && ok2
}

// parseDigits parses 1 to 10 ASCII digits.
func parseDigits(d []byte) (int, bool) {
	if len(d) == 0 || len(d) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
