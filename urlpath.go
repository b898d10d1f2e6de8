package httpserver

import (
	"strings"

	"github.com/httpserver-go/httpserver/internal/pystr"
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
// SimpleHTTPRequestHandler does: urllib.parse.pystr.Unquote(path,
// errors='surrogatepass'), and if that fails, pystr.Unquote(path) with
// errors='replace'. The path's bytes are ISO-8859-1 characters, as Python
// decodes the request line; the result is WTF-8 text (see internal/pystr).
func unquotePath(path string) string {
	if s, ok := pystr.Unquote(path, false); ok {
		return s
	}
	s, _ := pystr.Unquote(path, true)
	return s
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
			u.scheme, url = pystr.LowerASCII(url[:i]), url[i+1:]
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
			b = append(b, '%', pystr.UpperHex[c>>4], pystr.UpperHex[c&0xF])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }
