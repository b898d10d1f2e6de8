package httpserver

import (
	"strings"
	"unicode/utf8"
)

// cutQueryFragment returns the request path up to its first '#', then up
// to its first '?', as translate_path and list_directory cut it.
func cutQueryFragment(path string) string {
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path = path[:i]
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// unquotePath decodes the percent-escapes of a request path as
// SimpleHTTPRequestHandler does: urllib.parse.unquote(path,
// errors='surrogatepass'), and if that fails, unquote(path) with
// errors='replace'. The path's bytes are ISO-8859-1 characters, as Python
// decodes the request line; the result is WTF-8 text (see pystr.go).
func unquotePath(path string) string {
	if s, ok := unquote(path, false); ok {
		return s
	}
	s, _ := unquote(path, true)
	return s
}

// unquote is urllib.parse.unquote on a string of ISO-8859-1 characters:
// each run of ASCII characters is percent-decoded to bytes and decoded as
// UTF-8, encoded surrogates allowed (surrogatepass: ok is false on any
// other error) or, with replace, every ill-formed sequence replaced by
// U+FFFD; other characters are kept.
func unquote(s string, replace bool) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return latin1ToUTF8(s), true
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
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
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

// appendQuoted appends s percent-encoded as urllib.parse.quote(s) with its
// default safe "/": every byte but A–Z a–z 0–9 _ . - ~ / becomes %XX in
// upper-case hex. s is WTF-8, so a surrogate is encoded in its 3-byte form
// (errors='surrogatepass').
func appendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '_' || c == '.' || c == '-' || c == '~' || c == '/' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
	}
	return dst
}

// splitURL is the request target split as urllib.parse.urlsplit (3.15)
// splits it.
type splitURL struct {
	scheme, netloc, path, query, fragment string
}

// urlsplit splits a request target into scheme, netloc, path, query and
// fragment as urllib.parse.urlsplit: leading C0 controls and spaces and
// every tab, CR and LF are removed first. Python's checks that raise
// ValueError (a bracketed netloc that is not an IP address, a netloc
// that NFKC-normalizes to a delimiter) are not made: they crash Python's
// handler, and the pieces are used as they are instead.
func urlsplit(url string) splitURL {
	i := 0
	for i < len(url) && url[i] <= ' ' {
		i++
	}
	url = url[i:]
	if strings.ContainsAny(url, "\t\r\n") {
		url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
	}
	var u splitURL
	if i := strings.IndexByte(url, ':'); i > 0 && isASCIILetter(url[0]) {
		scheme := true
		for j := 0; j < i; j++ {
			c := url[j]
			if !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
				scheme = false
				break
			}
		}
		if scheme {
			u.scheme, url = lowerASCII(url[:i]), url[i+1:]
		}
	}
	if strings.HasPrefix(url, "//") {
		end := len(url)
		if j := strings.IndexAny(url[2:], "/?#"); j >= 0 {
			end = 2 + j
		}
		u.netloc, url = url[2:end], url[end:]
	}
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, u.fragment = url[:i], url[i+1:]
	}
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, u.query = url[:i], url[i+1:]
	}
	u.path = url
	return u
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// usesNetloc is urllib.parse.uses_netloc of Python 3.15: the schemes
// whose URLs keep an empty authority ("file:///x").
var usesNetloc = map[string]bool{
	"": true, "ftp": true, "http": true, "gopher": true, "nntp": true, "telnet": true,
	"imap": true, "wais": true, "file": true, "mms": true, "https": true, "shttp": true,
	"snews": true, "prospero": true, "rtsp": true, "rtsps": true, "rtspu": true, "rsync": true,
	"svn": true, "svn+ssh": true, "sftp": true, "nfs": true, "git": true, "git+ssh": true,
	"ws": true, "wss": true, "itms-services": true,
}

// urlunsplit joins the pieces again as urllib.parse.urlunsplit (3.15):
// empty pieces are left out with their delimiters, except that an empty
// netloc is kept ("//") for a scheme that uses one when the path is empty
// or absolute, and a path that starts with "//" gets an empty authority so
// it cannot be read as one.
func (u splitURL) urlunsplit() string {
	var b strings.Builder
	if u.scheme != "" {
		b.WriteString(u.scheme)
		b.WriteByte(':')
	}
	path := u.path
	switch {
	case u.netloc != "" || u.scheme != "" && usesNetloc[u.scheme] && (path == "" || path[0] == '/'):
		b.WriteString("//")
		b.WriteString(u.netloc)
		if path != "" && path[0] != '/' {
			b.WriteByte('/')
		}
	case strings.HasPrefix(path, "//"):
		b.WriteString("//")
	}
	b.WriteString(path)
	if u.query != "" {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if u.fragment != "" {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// directoryLocation returns the Location of send_head's redirect to u,
// the request target with "/" added to its path, re-assembled by
// urlunsplit, with safety rules Python lacks, so that the Location can
// neither name another host nor break the header:
//   - Without a scheme, an authority ("//host/x/..", which reaches here
//     when a leading C0 control hid it from ParseRequest's collapse of
//     "//", or when an override of ParseRequest kept it) becomes part of
//     the path, and a leading run of "/" becomes one "/": the Location
//     never begins with "//".
//   - A "\" in the path is sent as %5C. Browsers read "\" as "/", so
//     "/\host/" would name another host, and "/a\b/" another path; the
//     escape names the same directory, since TranslatePath decodes it.
//   - Control bytes (0x00–0x1F, 0x7F) are percent-encoded: SendHeader
//     refuses NUL, which would leave a 301 without Location, and clients
//     strip or reject the others.
//
// A target with a scheme (absolute-form) keeps its scheme and host, as in
// Python: only a client that itself sent "http://other/dir" is sent to
// "http://other/dir/"; browsers send origin-form targets to servers.
func (u splitURL) directoryLocation() string {
	if u.scheme == "" {
		if u.netloc != "" {
			u.path, u.netloc = "//"+u.netloc+u.path, ""
		}
		u.path = collapseSlashes(u.path)
	}
	u.path = strings.ReplaceAll(u.path, "\\", "%5C")
	return escapeControls(u.urlunsplit())
}

// escapeControls percent-encodes the ASCII control bytes of s (0x00–0x1F
// and 0x7F).
func escapeControls(s string) string {
	i := strings.IndexFunc(s, isControl)
	if i < 0 {
		return s
	}
	b := []byte(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			b = append(b, '%', upperHex[c>>4], upperHex[c&0xF])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// upperHex are the digits of a percent-escape, as Python writes them.
const upperHex = "0123456789ABCDEF"
