package pystr

import (
	"strings"
	"unicode/utf8"
)

// appendSurrogate appends the WTF-8 form of the surrogate U+DC00+b that
// surrogateescape decodes the raw byte b (0x80–0xFF) to.
func appendSurrogate(dst []byte, b byte) []byte {
	return append(dst, 0xED, 0xB0|b>>6, 0x80|b&0x3F)
}

// SurrogateEscape returns a file name as Python's str of it, in WTF-8:
// each byte that is not part of valid UTF-8 (os.fsdecode's
// surrogateescape) becomes its surrogate U+DC80–U+DCFF.
func SurrogateEscape(name string) string {
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

// FSEncode turns WTF-8 text into file-name bytes as os.fsencode does:
// U+DC80–U+DCFF become the raw bytes they stand for. Any other surrogate
// cannot be encoded (Python raises); it becomes a NUL byte, which no file
// name holds, and ok is false.
func FSEncode(s string) (name string, ok bool) {
	return EncodeSurrogateEscape(s, "\x00")
}

// EncodeSurrogateEscape encodes WTF-8 text as UTF-8 with the
// surrogateescape handler: U+DC80–U+DCFF become the raw bytes they stand
// for, and each other surrogate, which Python cannot encode, becomes bad
// (ok is then false).
func EncodeSurrogateEscape(s, bad string) (enc string, ok bool) {
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
