package httpserver_test

import (
	"strings"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// TestRedirectLocationHostile sends targets that name a directory without
// its trailing slash, shaped to make the 301's Location name another host
// or break the header, and checks the exact Location. Where it says
// "Python", CPython 3.15.2 sends the same; the others are the deliberate
// deviations of SendHead: no Location begins with "//", "\" (which
// browsers read as "/") and control bytes are percent-encoded.
func TestRedirectLocationHostile(t *testing.T) {
	dir, _ := hostileTree(t, false)
	addr := serveHostile(t, simpleClass(dir, nil))
	runHostile(t, addr, []hostileCase{
		// Python: ParseRequest collapses the leading "//".
		{name: "double-slash", req: get("//evil.com/.."), status: status301, location: "/evil.com/../"},
		{name: "many-slashes", req: get("////evil.com/.."), status: status301, location: "/evil.com/../"},
		// Python sends "//evil.com/../../": urlsplit drops the leading
		// control byte, which had kept ParseRequest from collapsing "//".
		{name: "control-hides-authority", req: get("\x01//evil.com/../.."), status: status301, location: "/evil.com/../../"},
		// Python: "/\evil.com/", which browsers read as //evil.com/.
		{name: "backslash-directory", req: get(`/\evil.com`), status: status301, location: "/%5Cevil.com/"},
		{name: "backslash-directory-followed", req: get("/%5Cevil.com/"), status: status200, body: `Directory listing for /\evil.com/`},
		{name: "backslash-dot-dot", req: get(`/\evil.com/..`), status: status301, location: "/%5Cevil.com/../"},
		{name: "two-backslashes", req: get(`/\\evil.com/..`), status: status301, location: "/%5C%5Cevil.com/../"},
		{name: "slash-backslash-slash", req: get(`/\/..`), status: status301, location: "/%5C/../"},
		{name: "relative-backslashes", req: get(`\\evil.com/..`), status: status301, location: "%5C%5Cevil.com/../"},
		{name: "control-before-backslashes", req: get("\x01\\\\evil.com/.."), status: status301, location: "%5C%5Cevil.com/../"},
		// Python: "/a\b/", which a browser follows to /a/b/.
		{name: "backslash-inside", req: get(`/a\b`), status: status301, location: "/a%5Cb/"},
		{name: "backslash-inside-followed", req: get("/a%5Cb/"), status: status200, body: `Directory listing for /a\b/`},
		// Python: the path stays encoded, and browsers do not decode
		// %2F or %5C where they would matter.
		{name: "encoded-slashes", req: get("/%2f%2fevil.com/.."), status: status301, location: "/%2f%2fevil.com/../"},
		{name: "encoded-backslash", req: get("/%5cevil.com"), status: status301, location: "/%5cevil.com/"},
		{name: "encoded-backslashes", req: get("/%5c%5cevil.com/.."), status: status301, location: "/%5c%5cevil.com/../"},
		// Python sends the bytes raw, and a 301 with no Location at all
		// when one is NUL (its send_header does not refuse it; ours does).
		{name: "nul", req: get("/\x00/.."), status: status301, location: "/%00/../"},
		{name: "control-bytes", req: get("/\x01\x1b[31m\x7f/.."), status: status301, location: "/%01%1B[31m%7F/../"},
		{name: "control-bytes-in-query", req: get("/sub?a\x00b#c\x01"), status: status301, location: "/sub/?a%00b#c%01"},
		// Python: bytes above 0x7F are sent as they came (obs-text).
		{name: "high-bytes", req: get("/sub/\xe9/.."), status: status301, location: "/sub/\xe9/../"},
		// Python: the query and fragment are kept as they are.
		{name: "query-kept", req: get("/sub?next=//evil.com"), status: status301, location: "/sub/?next=//evil.com"},
		{name: "fragment-kept", req: get(`/sub#\\evil.com`), status: status301, location: `/sub/#\\evil.com`},
		// Python: an absolute-form target keeps its scheme and host. Only
		// the client that sent it is redirected there.
		{name: "absolute-form", req: get("http://evil/dir"), status: status301, location: "http://evil/dir/"},
		{name: "absolute-form-query", req: get("http://evil/dir?q#f"), status: status301, location: "http://evil/dir/?q#f"},
		// Python: a relative target gets a relative Location.
		{name: "relative", req: get("sub"), status: status301, location: "sub/"},
	})
}

// TestRedirectLocationKeepAlive checks the same rule on a kept-alive
// HTTP/1.1 connection: the 301 and the request after it are answered.
func TestRedirectLocationKeepAlive(t *testing.T) {
	dir, _ := hostileTree(t, false)
	addr := serveHostile(t, simpleClass(dir, func(h *httpserver.SimpleHandler) { h.ProtocolVersion = "HTTP/1.1" }))
	conn := dialRaw(t, addr)
	conn.send("GET /\\evil.com HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n")
	got, _ := conn.readAll()
	want := "HTTP/1.1 301 Moved Permanently\r\n"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got %q, want a 301 first", got)
	}
	if !strings.Contains(got, "\r\nLocation: /%5Cevil.com/\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got, "\r\n\r\nHello, world!\n") {
		t.Errorf("got %q, want the 301 to /%%5Cevil.com/, then hello.txt", got)
	}
}
