package pystr

import (
	"strings"
	"unicode/utf8"
)

// Unquote is urllib.parse.unquote on a string of ISO-8859-1 characters:
// each run of ASCII characters is percent-decoded to bytes and decoded as
// UTF-8, encoded surrogates allowed (surrogatepass: ok is false on any
// other error) or, with replace, every ill-formed sequence replaced by
// U+FFFD; other characters are kept.
func Unquote(s string, replace bool) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return Latin1ToUTF8(s), true
	}
	dst := make([]byte, 0, len(s))
	var run []byte
	for i := 0; i < len(s); {
		if s[i] >= utf8.RuneSelf {
			dst = utf8.AppendRune(dst, rune(s[i]))
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		if !replace {
			// Decode straight into dst; what is valid stays as it is.
			start := len(dst)
			dst = percentDecode(dst, s[i:j])
			if !validWTF8(dst[start:]) {
				return "", false
			}
		} else {
			run = percentDecode(run[:0], s[i:j])
			dst, _ = appendDecodedUTF8(dst, string(run), true)
		}
		i = j
	}
	return string(dst), true
}

// validWTF8 reports whether b is UTF-8 in which encoded surrogates are
// allowed: what appendDecodedUTF8 passes unchanged without replace.
func validWTF8(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		n, kind := utf8Seq(string(b[i:min(len(b), i+4)]))
		if kind != seqValid && kind != seqSurrogate {
			return false
		}
		i += n
	}
	return true
}

// percentDecode appends s with each %XX (two hex digits) replaced by its
// byte, as urllib.parse.unquote_to_bytes; any other '%' is kept.
func percentDecode(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if hi, lo := HexValue(s[i+1]), HexValue(s[i+2]); hi >= 0 && lo >= 0 {
				dst = append(dst, byte(hi<<4|lo))
				i += 2
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst
}

// appendDecodedUTF8 appends b decoded as UTF-8 in WTF-8 form: with
// replace, each maximal ill-formed subpart (encoded surrogates included)
// becomes U+FFFD; without it, encoded surrogates are kept
// (surrogatepass) and anything else ill-formed fails.
func appendDecodedUTF8(dst []byte, b string, replace bool) ([]byte, bool) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			dst = append(dst, b[i])
			i++
			continue
		}
		n, kind := utf8Seq(b[i:])
		switch {
		case kind == seqValid || kind == seqSurrogate && !replace:
			dst = append(dst, b[i:i+n]...)
		case !replace:
			return dst, false
		default:
			if kind == seqSurrogate {
				n = 1 // ED is not followed by 80–9F: an error of one byte
			}
			dst = append(dst, "\uFFFD"...)
		}
		i += n
	}
	return dst, true
}

// AppendQuoted appends s percent-encoded as urllib.parse.quote(s) with its
// default safe "/": every byte but A–Z a–z 0–9 _ . - ~ / becomes %XX in
// upper-case hex. s is WTF-8, so a surrogate is encoded in its 3-byte form
// (errors='surrogatepass').
func AppendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreservedByte(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', UpperHex[c>>4], UpperHex[c&0xF])
	}
	return dst
}

// IsUnreserved reports whether quoting leaves s as it is: every byte is one
// of A–Z a–z 0–9 _ . - ~ /.
func IsUnreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUnreservedByte(s[i]) {
			return false
		}
	}
	return true
}

// isUnreservedByte reports whether c is one of the bytes quote leaves as
// they are: A–Z a–z 0–9 _ . - ~ and its default safe "/".
func isUnreservedByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '~' || c == '/'
}
