package pystr

import (
	"strings"
	"unicode/utf8"
)

// WriteEscaped writes s with Python's log escaping: every character in
// U+0000-U+001F and U+007F-U+009F becomes \xNN and a backslash becomes \\.
// Python sees request bytes as ISO-8859-1 text; here a byte that is not
// part of valid UTF-8 is taken as that ISO-8859-1 character (so a raw 0xE9
// logs as é and a raw 0x85 as \x85), and valid UTF-8 passes through. The
// output is always valid UTF-8 with no control characters.
func WriteEscaped(w *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == 0x7f:
				w.WriteString(`\x`)
				w.WriteByte(lowerHex[c>>4])
				w.WriteByte(lowerHex[c&0xf])
			case c == '\\':
				w.WriteString(`\\`)
			default:
				w.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = rune(c) // not UTF-8: the ISO-8859-1 character, as Python reads it
		}
		if r <= 0x9f {
			w.WriteString(`\x`)
			w.WriteByte(lowerHex[r>>4])
			w.WriteByte(lowerHex[r&0xf])
		} else if size == 1 {
			w.WriteRune(r)
		} else {
			w.WriteString(s[i : i+size])
		}
		i += size
	}
}
