package httpserver

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python's text semantics over the bytes Go holds.
//
// Python decodes a file name with the filesystem encoding (UTF-8) and the
// surrogateescape handler: each byte that is not part of valid UTF-8
// becomes a lone surrogate U+DC80–U+DCFF, and encoding turns it back into
// the byte. Text decoded from percent-escapes with surrogatepass may hold
// any surrogate. Such text is carried here as "WTF-8": UTF-8 in which a
// surrogate code point takes the usual 3-byte form (ED A0 80 – ED BF BF).
// WTF-8 strings compare byte-wise in code-point order, as Python's str.

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

// appendSurrogate appends the WTF-8 form of the surrogate U+DC00+b that
// surrogateescape decodes the raw byte b (0x80–0xFF) to.
func appendSurrogate(dst []byte, b byte) []byte {
	return append(dst, 0xED, 0xB0|b>>6, 0x80|b&0x3F)
}

// surrogateEscape returns a file name as Python's str of it, in WTF-8:
// each byte that is not part of valid UTF-8 (os.fsdecode's
// surrogateescape) becomes its surrogate U+DC80–U+DCFF.
func surrogateEscape(name string) string {
	i := 0
	for i < len(name) {
		if name[i] < utf8.RuneSelf {
			i++
			continue
		}
		n, kind := utf8Seq(name[i:])
		if kind != seqValid {
			break
		}
		i += n
	}
	if i == len(name) {
		return name
	}
	dst := make([]byte, i, len(name)+8)
	copy(dst, name[:i])
	for i < len(name) {
		if name[i] < utf8.RuneSelf {
			dst = append(dst, name[i])
			i++
			continue
		}
		if n, kind := utf8Seq(name[i:]); kind == seqValid {
			dst = append(dst, name[i:i+n]...)
			i += n
			continue
		}
		dst = appendSurrogate(dst, name[i])
		i++
	}
	return string(dst)
}

// fsEncode turns WTF-8 text into file-name bytes as os.fsencode does:
// U+DC80–U+DCFF become the raw bytes they stand for. Any other surrogate
// cannot be encoded (Python raises); it becomes a NUL byte, which no file
// name holds, and ok is false.
func fsEncode(s string) (name string, ok bool) {
	return encodeSurrogateEscape(s, "\x00")
}

// encodeSurrogateEscape encodes WTF-8 text as UTF-8 with the
// surrogateescape handler: U+DC80–U+DCFF become the raw bytes they stand
// for, and each other surrogate, which Python cannot encode, becomes bad
// (ok is then false).
func encodeSurrogateEscape(s, bad string) (enc string, ok bool) {
	if !strings.Contains(s, "\xED") {
		return s, true
	}
	ok = true
	dst := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			dst = append(dst, s[i])
			i++
			continue
		}
		n, kind := utf8Seq(s[i:])
		switch {
		case kind == seqSurrogate && (s[i+1] == 0xB2 || s[i+1] == 0xB3):
			// U+DC80–U+DCFF: ED B2 80 – ED B3 BF.
			dst = append(dst, (s[i+1]&0x03)<<6|s[i+2]&0x3F)
		case kind == seqSurrogate:
			dst = append(dst, bad...)
			ok = false
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return string(dst), ok
}

// latin1ToUTF8 returns s, read as ISO-8859-1 characters (as Python
// decodes a request line), in UTF-8.
func latin1ToUTF8(s string) string {
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

// pyLower returns WTF-8 text lower-cased as Python's str.lower(): the
// full lowercase mapping (İ becomes "i̇") and the final-sigma rule for Σ.
// Surrogates and any ill-formed bytes are kept.
func pyLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return lowerASCII(s)
	}
	dst := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			// A surrogate or a stray byte: no case.
			m, _ := utf8Seq(s[i:])
			dst = append(dst, s[i:i+m]...)
			i += m
			continue
		}
		switch r {
		case 'İ': // U+0130, the one unconditional full lowercase mapping
			dst = append(dst, "i\u0307"...)
		case 'Σ':
			if finalSigma(s, i, i+n) {
				dst = utf8.AppendRune(dst, 'ς')
			} else {
				dst = utf8.AppendRune(dst, 'σ')
			}
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += n
	}
	return string(dst)
}

// lowerASCII lower-cases the ASCII letters of s.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// finalSigma reports whether the Σ at s[start:end] ends a word by the
// Unicode Final_Sigma condition Python applies: a cased letter before it
// and none after it, skipping case-ignorable characters both ways.
func finalSigma(s string, start, end int) bool {
	before := false
	for j := start; j > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		j -= n
		if !caseIgnorable(r) {
			before = isCased(r)
			break
		}
	}
	if !before {
		return false
	}
	for j := end; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		j += n
		if !caseIgnorable(r) {
			return !isCased(r)
		}
	}
	return true
}

// isCased reports the Unicode Cased property.
func isCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable reports the Unicode Case_Ignorable property: the
// categories Mn, Me, Cf, Lm and Sk, and the word-break MidLetter,
// MidNumLet and Single_Quote characters.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0x00B7, 0x0387, 0x055F, 0x05F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
