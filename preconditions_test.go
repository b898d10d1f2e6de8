package httpserver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// preconditionCase is a request for hello.txt with the given header lines
// and what must come back: the status, the body, and whether the ETag
// header is there.
type preconditionCase struct {
	name     string
	method   string
	headers  string // "Name: value\r\n" lines; {etag} and {lm} are replaced
	status   int
	body     string
	withETag bool
}

const (
	lmHello   = "Sat, 03 Feb 2001 04:05:06 GMT" // Last-Modified of hello.txt (fixedMtime)
	dateLater = "Tue, 01 Jan 2099 00:00:00 GMT"
	dateEarly = "Sat, 01 Jan 2000 00:00:00 GMT"
)

// TestPreconditions checks RFC 9110 §13.2.2: each condition alone, and the
// precedence between them, for GET and HEAD of a file.
func TestPreconditions(t *testing.T) {
	root, _ := rangeTree(t)
	srv := serve(t, simpleClass(root, nil))
	etag := statETag(t, filepath.Join(root, "hello.txt"))
	const hello = "Hello, world!\n"
	page412 := errorPage(412, "Precondition Failed", "Precondition in headers is false")
	tests := []preconditionCase{
		// If-Match: strong comparison.
		{"If-Match the tag", "GET", "If-Match: {etag}\r\n", 200, hello, true},
		{"If-Match in a list", "GET", "If-Match: \"a\", {etag}\r\n", 200, hello, true},
		{"If-Match on two lines", "GET", "If-Match: \"a\"\r\nIf-Match: {etag}\r\n", 200, hello, true},
		{"If-Match *", "GET", "If-Match: *\r\n", 200, hello, true},
		{"If-Match another tag", "GET", "If-Match: \"nope\"\r\n", 412, page412, false},
		{"If-Match the weak tag", "GET", "If-Match: W/{etag}\r\n", 412, page412, false},
		{"If-Match unparsable", "GET", "If-Match: nope\r\n", 412, page412, false},
		{"If-Match HEAD", "HEAD", "If-Match: \"nope\"\r\n", 412, "", false},
		// If-Unmodified-Since, ignored with If-Match.
		{"If-Unmodified-Since Last-Modified", "GET", "If-Unmodified-Since: {lm}\r\n", 200, hello, true},
		{"If-Unmodified-Since later", "GET", "If-Unmodified-Since: " + dateLater + "\r\n", 200, hello, true},
		{"If-Unmodified-Since earlier", "GET", "If-Unmodified-Since: " + dateEarly + "\r\n", 412, page412, false},
		{"If-Unmodified-Since RFC 850", "GET", "If-Unmodified-Since: Saturday, 01-Jan-00 00:00:00 GMT\r\n", 412, page412, false},
		{"If-Unmodified-Since asctime", "GET", "If-Unmodified-Since: Sat Jan  1 00:00:00 2000\r\n", 412, page412, false},
		{"If-Unmodified-Since invalid", "GET", "If-Unmodified-Since: yesterday\r\n", 200, hello, true},
		{"If-Unmodified-Since after If-Match", "GET", "If-Match: {etag}\r\nIf-Unmodified-Since: " + dateEarly + "\r\n", 200, hello, true},
		// If-None-Match: weak comparison, 304 with the tag.
		{"If-None-Match the tag", "GET", "If-None-Match: {etag}\r\n", 304, "", true},
		{"If-None-Match the weak tag", "GET", "If-None-Match: W/{etag}\r\n", 304, "", true},
		{"If-None-Match in a list", "GET", "If-None-Match: \"a\" , W/\"b\",{etag}\r\n", 304, "", true},
		{"If-None-Match *", "GET", "If-None-Match: *\r\n", 304, "", true},
		{"If-None-Match HEAD", "HEAD", "If-None-Match: {etag}\r\n", 304, "", true},
		{"If-None-Match another tag", "GET", "If-None-Match: \"nope\"\r\n", 200, hello, true},
		{"If-None-Match, then If-Modified-Since ignored", "GET", "If-None-Match: \"nope\"\r\nIf-Modified-Since: " + dateLater + "\r\n", 200, hello, true},
		{"If-Match before If-None-Match", "GET", "If-Match: \"nope\"\r\nIf-None-Match: {etag}\r\n", 412, page412, false},
		{"If-Unmodified-Since before If-None-Match", "GET", "If-Unmodified-Since: " + dateEarly + "\r\nIf-None-Match: {etag}\r\n", 412, page412, false},
		// If-Modified-Since, Python's rules, now with the tag on the 304.
		{"If-Modified-Since later", "GET", "If-Modified-Since: " + dateLater + "\r\n", 304, "", true},
		{"If-Modified-Since Last-Modified", "GET", "If-Modified-Since: {lm}\r\n", 304, "", true},
		{"If-Modified-Since earlier", "GET", "If-Modified-Since: " + dateEarly + "\r\n", 200, hello, true},
		{"If-Modified-Since not UTC", "GET", "If-Modified-Since: Tue, 01 Jan 2099 00:00:00 +0100\r\n", 200, hello, true},
		// If-Range.
		{"If-Range the tag", "GET", "Range: bytes=0-4\r\nIf-Range: {etag}\r\n", 206, "Hello", true},
		{"If-Range another tag", "GET", "Range: bytes=0-4\r\nIf-Range: \"nope\"\r\n", 200, hello, true},
		{"If-Range the weak tag", "GET", "Range: bytes=0-4\r\nIf-Range: W/{etag}\r\n", 200, hello, true},
		{"If-Range a list", "GET", "Range: bytes=0-4\r\nIf-Range: {etag}, {etag}\r\n", 200, hello, true},
		{"If-Range another date", "GET", "Range: bytes=0-4\r\nIf-Range: " + dateLater + "\r\n", 200, hello, true},
		{"If-Range without Range", "GET", "If-Range: {etag}\r\n", 200, hello, true},
		{"If-Range the tag, unsatisfiable", "GET", "Range: bytes=99-\r\nIf-Range: {etag}\r\n", 416, errorPage(416, "Range Not Satisfiable", "Cannot satisfy request range"), false},
		{"If-Range another tag, unsatisfiable", "GET", "Range: bytes=99-\r\nIf-Range: \"nope\"\r\n", 200, hello, true},
		{"If-None-Match before Range", "GET", "Range: bytes=0-4\r\nIf-None-Match: {etag}\r\n", 304, "", true},
		{"If-Match with Range", "GET", "Range: bytes=0-4\r\nIf-Match: {etag}\r\n", 206, "Hello", true},
	}
	replacer := strings.NewReplacer("{etag}", etag, "{lm}", lmHello)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.method + " /hello.txt HTTP/1.0\r\n" + replacer.Replace(tt.headers) + "\r\n"
			resp, body := roundTrip(t, srv.addr, req)
			if resp.StatusCode != tt.status || string(body) != tt.body {
				t.Errorf("%q: %d %q, want %d %q", req, resp.StatusCode, body, tt.status, tt.body)
			}
			wantETag := ""
			if tt.withETag {
				wantETag = etag
			}
			if got := resp.Header.Get("ETag"); got != wantETag {
				t.Errorf("%q: ETag %q, want %q", req, got, wantETag)
			}
		})
	}
}

// TestPreconditionsOnlyForFiles sends failing preconditions where the
// answer is not a file's: each gets the answer it gets without them.
func TestPreconditionsOnlyForFiles(t *testing.T) {
	root, _ := rangeTree(t)
	addr := serve(t, simpleClass(root, nil)).addr
	for _, path := range []string{"/", "/sub", "/nope.txt"} {
		without := maskResponse(exchangeRaw(t, addr, "GET "+path+" HTTP/1.0\r\n\r\n"))
		for _, h := range []string{"If-Match: \"nope\"", "If-None-Match: *", "If-Unmodified-Since: " + dateEarly} {
			with := maskResponse(exchangeRaw(t, addr, "GET "+path+" HTTP/1.0\r\n"+h+"\r\n\r\n"))
			if string(with) != string(without) {
				t.Errorf("GET %s with %s:\n%s\nwant, as without it:\n%s", path, h, with, without)
			}
		}
	}
}

// TestIfRangeDate checks when a date in If-Range is a strong validator
// (RFC 9110 §8.8.2.2): it equals Last-Modified and the file has not
// changed since the end of that second. A file whose modification time
// was set back (its ctime is later) fails it.
func TestIfRangeDate(t *testing.T) {
	if !statHasCtime {
		t.Skip("the status-change time is not read on this platform: dates never validate")
	}
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.txt")
	setBack := filepath.Join(dir, "set-back.txt")
	writeFiles(t, dir, map[string]string{"fresh.txt": "0123456789", "set-back.txt": "0123456789"})
	if err := os.Chtimes(setBack, fixedMtime, fixedMtime); err != nil {
		t.Fatal(err)
	}
	addr := serve(t, simpleClass(dir, nil)).addr
	lastModified := func(name string) string {
		resp, _ := roundTrip(t, addr, "HEAD /"+name+" HTTP/1.0\r\n\r\n")
		return resp.Header.Get("Last-Modified")
	}
	ranged := func(name, ifRange string) int {
		resp, _ := roundTrip(t, addr, "GET /"+name+" HTTP/1.0\r\nRange: bytes=0-0\r\nIf-Range: "+ifRange+"\r\n\r\n")
		return resp.StatusCode
	}
	if got := ranged("set-back.txt", lastModified("set-back.txt")); got != 200 {
		t.Errorf("If-Range with the Last-Modified of a file whose mtime was set back: %d, want 200", got)
	}
	// Once the second of fresh.txt's writing is over, its date is strong.
	fi, err := os.Stat(fresh)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(fi.ModTime().Truncate(time.Second).Add(time.Second + 10*time.Millisecond)))
	if got := ranged("fresh.txt", lastModified("fresh.txt")); got != 206 {
		t.Errorf("If-Range with the Last-Modified of a file unchanged since: %d, want 206", got)
	}
}

// TestPreconditionsFilesAsCPython checks the switch: If-Match,
// If-Unmodified-Since and If-None-Match mean nothing (but If-None-Match
// still turns If-Modified-Since off, as in Python), and no ETag is sent.
func TestPreconditionsFilesAsCPython(t *testing.T) {
	root, _ := rangeTree(t)
	addr := serve(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.FilesAsCPython = true })).addr
	etag := statETag(t, filepath.Join(root, "hello.txt"))
	for _, tt := range []struct {
		headers string
		status  int
	}{
		{"If-Match: \"nope\"\r\n", 200},
		{"If-Unmodified-Since: " + dateEarly + "\r\n", 200},
		{"If-None-Match: " + etag + "\r\n", 200},
		{"If-None-Match: *\r\nIf-Modified-Since: " + dateLater + "\r\n", 200},
		{"If-Modified-Since: " + dateLater + "\r\n", 304},
	} {
		resp, _ := roundTrip(t, addr, "GET /hello.txt HTTP/1.0\r\n"+tt.headers+"\r\n")
		if resp.StatusCode != tt.status || resp.Header.Get("ETag") != "" || resp.Header.Get("Accept-Ranges") != "" {
			t.Errorf("%q: %d, ETag %q, Accept-Ranges %q; want %d and neither header", tt.headers, resp.StatusCode,
				resp.Header.Get("ETag"), resp.Header.Get("Accept-Ranges"), tt.status)
		}
	}
}
