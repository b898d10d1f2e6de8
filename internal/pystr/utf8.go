package pystr

import (
	"strings"
	"unicode/utf8"
)

// seqKind classifies the UTF-8 sequence at the start of a string.
type seqKind int

const (
	seqValid     seqKind = iota // a well-formed sequence
	seqSurrogate                // an encoded surrogate: 3 bytes, valid WTF-8
	seqInvalid                  // an ill-formed sequence, n is its maximal subpart
)

// utf8Seq examines the sequence at the start of s, whose first byte is not
// ASCII, as Python's UTF-8 decoder does. For an ill-formed sequence n is
// the length of its maximal subpart: the bytes the decoder reports as one
// error (and that errors='replace' turns into one U+FFFD).
func utf8Seq(s string) (n int, kind seqKind) {
	c := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		if len(s) >= 3 && s[1] >= 0xA0 && s[1] <= 0xBF && s[2]&0xC0 == 0x80 {
			return 3, seqSurrogate
		}
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1, seqInvalid
	}
	if len(s) < 2 || s[1] < lo || s[1] > hi {
		return 1, seqInvalid
	}
	for k := 2; k <= need; k++ {
		if len(s) <= k || s[k]&0xC0 != 0x80 {
			return k, seqInvalid
		}
	}
	return need + 1, seqValid
}

// Latin1ToUTF8 returns s, read as ISO-8859-1 characters (as Python
// decodes a request line), in UTF-8.
func Latin1ToUTF8(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	dst := make([]byte, i, len(s)+8)
	copy(dst, s[:i])
	for ; i < len(s); i++ {
		dst = utf8.AppendRune(dst, rune(s[i]))
	}
	return string(dst)
}

// ToUTF8 returns s unchanged if it is valid UTF-8, and otherwise with
// each byte that is not part of a valid sequence replaced by the UTF-8
// form of that ISO-8859-1 character: what Python's str.encode('utf-8')
// gives for request text it decoded as ISO-8859-1.
func ToUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(rune(s[i]))
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
