package wire

import (
	"strings"

	"golang.org/x/net/http/httpguts"
)

// ParseContentLength parses a Content-Length value: 1*DIGIT that fits
// an int64 (at most 18 digits).
func ParseContentLength(v string) (int64, bool) {
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// SplitList splits a comma-separated field value into its elements with
// optional whitespace trimmed; empty elements are dropped, as RFC 9110
// §5.6.1 allows.
func SplitList(v string) []string {
	var out []string
	for len(v) > 0 {
		var elem string
		if i := strings.IndexByte(v, ','); i >= 0 {
			elem, v = v[:i], v[i+1:]
		} else {
			elem, v = v, ""
		}
		elem = TrimOWS(elem)
		if elem != "" {
			out = append(out, elem)
		}
	}
	return out
}

// TrimOWS removes optional whitespace (spaces and tabs) around s.
func TrimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// ValidHost reports whether a Host value is a plausible uri-host with an
// optional port: no whitespace, controls or characters outside what a host
// can hold.
func ValidHost(h string) bool {
	return httpguts.ValidHostHeader(h)
}
