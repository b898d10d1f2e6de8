package httpserver

import (
	"time"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// Conditional requests (RFC 9110 §13), as SimpleHandler evaluates them for
// GET and HEAD of a regular file, in the order of §13.2.2:
//
//  1. If-Match: unless "*" or one of its tags matches the file's ETag by
//     strong comparison (a weak tag never does), 412.
//  2. Otherwise If-Unmodified-Since: if it is a valid HTTP-date and the
//     file was modified after it (whole seconds, as Last-Modified), 412.
//  3. If-None-Match: if "*" or one of its tags matches by weak comparison
//     (W/"x" matches "x"), 304 with the ETag.
//  4. Otherwise If-Modified-Since, exactly as Python: 304 when its date,
//     read by Python's rules, is UTC and not before Last-Modified.
//  5. If-Range, when there is a Range: the range is served if If-Range is
//     the file's ETag (strong comparison), or a date equal to the
//     Last-Modified value sent, which is then a strong validator (§8.8.2.2)
//     only if the file has not changed since the end of that second (its
//     ctime, which no program can set back, is earlier); else the whole
//     file.
//
// A field that does not parse counts as no match for If-Match and
// If-None-Match (so If-Match fails) and is ignored for the dates. Fields
// given on several lines are one list, as RFC 9110 §5.3 says.

// condition is what the preconditions decide.
type condition int

const (
	condProceed     condition = iota // answer the request
	condNotModified                  // 304
	condFailed                       // 412
)

// checkPreconditions evaluates steps 1 to 4 above for the file whose ETag
// is etag and whose Last-Modified second is mtime.
func (h *SimpleHandler) checkPreconditions(etag string, mtime int64, hasMtime bool) condition {
	if h.Headers.Has("If-Match") {
		if !etagListMatch(h.Headers.Values("If-Match"), etag, false) {
			return condFailed
		}
	} else if hasMtime && h.Headers.Has("If-Unmodified-Since") {
		if t, ok := parseHTTPDate(h.Headers.Get("If-Unmodified-Since")); ok && mtime > t.Unix() {
			return condFailed
		}
	}
	if h.Headers.Has("If-None-Match") {
		if etagListMatch(h.Headers.Values("If-None-Match"), etag, true) {
			return condNotModified
		}
	} else if hasMtime && h.Headers.Has("If-Modified-Since") {
		if ims, ok := parseIfModifiedSince(h.Headers.Get("If-Modified-Since")); ok && mtime <= ims {
			return condNotModified
		}
	}
	return condProceed
}

// ifRange reports whether a Range is to be honoured: there is no If-Range,
// or it holds a strong validator of the file (step 5 above). lastModified
// is the Last-Modified value of the response, mtime its second, ctime the
// file's status-change time in nanoseconds (0 where unknown: a date then
// never validates).
func (h *SimpleHandler) ifRange(etag, lastModified string, mtime, ctime int64, now time.Time) bool {
	if !h.Headers.Has("If-Range") {
		return true
	}
	vals := h.Headers.Values("If-Range")
	if len(vals) != 1 {
		return false
	}
	v := wire.TrimOWS(vals[0])
	switch {
	case len(v) > 0 && v[0] == '"':
		return v == etag
	case len(v) > 1 && v[0] == 'W' && v[1] == '/':
		return false
	}
	end := (mtime + 1) * int64(time.Second) // the end of Last-Modified's second
	return v == lastModified && ctime != 0 && ctime < end && now.UnixNano() >= end
}

// etagListMatch reports whether the values of If-Match or If-None-Match
// are "*" or a list of entity tags holding one that matches etag, a strong
// tag; weak selects weak comparison. The list stops at the first element
// that is not an entity tag.
func etagListMatch(values []string, etag string, weak bool) bool {
	for _, v := range values {
		if wire.TrimOWS(v) == "*" {
			return true
		}
		for {
			for len(v) > 0 && (v[0] == ' ' || v[0] == '\t' || v[0] == ',') {
				v = v[1:]
			}
			if v == "" {
				break
			}
			tag, isWeak, rest, ok := scanETag(v)
			if !ok {
				return false
			}
			if tag == etag && (weak || !isWeak) {
				return true
			}
			v = rest
		}
	}
	return false
}

// scanETag reads the entity tag at the start of s (RFC 9110 §8.8.3:
// [W/] DQUOTE *etagc DQUOTE) and returns its opaque part with the quotes,
// whether it is weak, and what follows it.
func scanETag(s string) (tag string, weak bool, rest string, ok bool) {
	if len(s) >= 2 && s[0] == 'W' && s[1] == '/' {
		weak, s = true, s[2:]
	}
	if len(s) < 2 || s[0] != '"' {
		return "", false, "", false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], weak, s[i+1:], true
		case c == 0x21 || c >= 0x23 && c != 0x7f:
		default:
			return "", false, "", false
		}
	}
	return "", false, "", false
}

// parseHTTPDate parses an HTTP-date (RFC 9110 §5.6.7) in any of its three
// forms: IMF-fixdate, RFC 850 and asctime, all in GMT.
func parseHTTPDate(v string) (time.Time, bool) {
	for _, layout := range [...]string{
		"Mon, 02 Jan 2006 15:04:05 GMT",
		"Monday, 02-Jan-06 15:04:05 GMT",
		"Mon Jan _2 15:04:05 2006",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
