package pystr

import "unicode"

// IsSpace reports whether c, read as an ISO-8859-1 character, is
// whitespace to Python's str.split().
func IsSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0:
		return true
	}
	return false
}

// IsUnicodeSpace reports whether r is whitespace to Python's
// str.split() and str.strip() (str.isspace()).
func IsUnicodeSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// Fields splits s at runs of Python whitespace, as str.split() with no
// argument splits ISO-8859-1 text.
func Fields(s string) []string {
	var words []string
	for i := 0; i < len(s); {
		for i < len(s) && IsSpace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !IsSpace(s[i]) {
			i++
		}
		if i > start {
			words = append(words, s[start:i])
		}
	}
	return words
}
