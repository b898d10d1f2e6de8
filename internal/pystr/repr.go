package pystr

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Repr returns Python's repr() of s, where every byte of s is one
// ISO-8859-1 character (request text, as Python decodes it), as the
// result's bytes: a printable character stays the byte it was. The
// result never contains a control byte, so it is safe in a status line.
func Repr(s string) string {
	quote := reprQuote(s)
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); i++ {
		b = appendReprChar(b, rune(s[i]), s[i:i+1], quote)
	}
	b = append(b, quote)
	return string(b)
}

// ReprUTF8 returns Python's repr() of s decoded as UTF-8 with the
// surrogateescape handler, as Python decodes command-line arguments and
// file names (os.fsdecode): a byte that is not part of valid UTF-8 shows
// as its surrogate, \udcNN. The result is UTF-8 without control
// characters. Printable characters are those of unicode.IsPrint, which
// are Python's str.isprintable() ones for the Unicode version of Go's
// tables.
func ReprUTF8(s string) string {
	quote := reprQuote(s)
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = 0xDC00 + rune(s[i])
		}
		b = appendReprChar(b, r, s[i:i+n], quote)
		i += n
	}
	b = append(b, quote)
	return string(b)
}

// reprQuote returns the quote character repr() puts around s: a double
// quote if s holds a single quote and no double quote, else a single one.
func reprQuote(s string) byte {
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		return '"'
	}
	return '\''
}

// appendReprChar appends the character r as repr() writes it between
// quote characters: escaped, or as raw, its bytes in the text.
func appendReprChar(b []byte, r rune, raw string, quote byte) []byte {
	digits := 8
	switch {
	case r == '\\' || r == rune(quote):
		return append(b, '\\', byte(r))
	case r == '\t':
		return append(b, '\\', 't')
	case r == '\n':
		return append(b, '\\', 'n')
	case r == '\r':
		return append(b, '\\', 'r')
	case unicode.IsPrint(r):
		return append(b, raw...)
	case r < 0x100:
		b, digits = append(b, '\\', 'x'), 2
	case r < 0x10000:
		b, digits = append(b, '\\', 'u'), 4
	default:
		b = append(b, '\\', 'U')
	}
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, lowerHex[r>>shift&0xf])
	}
	return b
}
