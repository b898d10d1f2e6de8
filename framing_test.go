package httpserver_test

import (
	"strings"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// requireHost turns on the server's Host rules.
func requireHost(s *httpserver.HTTPServer) { s.RequireHost = true }

// head is the start of an HTTP/1.1 request of method to /p with a Host.
func head(method string) string { return method + " /p HTTP/1.1\r\nHost: x\r\n" }

// bad400 is the status line of a 400 with reason.
func bad400(reason string) string { return "HTTP/1.1 400 " + reason }

// framingCases are requests whose framing could be read two ways (RFC
// 9112 §6, README.md deliberate difference 3): each gets its error with a status line
// and the connection closes, whatever follows on it. Python reads most of
// them one way or another and keeps going.
var framingCases = []wireCase{
	// Transfer-Encoding together with Content-Length (§6.1).
	{name: "te-and-cl",
		req:  head("POST") + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + chunk("hello") + lastChunk + getReq("/next"),
		want: []string{bad400("Both Transfer-Encoding and Content-Length")}, end: endClosed},
	{name: "cl-and-te",
		req:  head("POST") + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello" + getReq("/next"),
		want: []string{bad400("Both Transfer-Encoding and Content-Length")}, end: endClosed},
	{name: "te-and-cl-zero",
		req:  head("GET") + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n" + lastChunk,
		want: []string{bad400("Both Transfer-Encoding and Content-Length")}, end: endClosed},
	{name: "te-and-cl-on-get",
		req:  head("GET") + "Transfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n" + lastChunk + getReq("/smuggled"),
		want: []string{bad400("Both Transfer-Encoding and Content-Length")}, end: endClosed},

	// Content-Length values that differ or are not 1*DIGIT (§6.3).
	{name: "cl-differing-lines",
		req:  head("POST") + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
		want: []string{bad400("Bad Content-Length ('5, 6')")}, end: endClosed},
	{name: "cl-differing-list",
		req:  head("POST") + "Content-Length: 5, 6\r\n\r\nhello!",
		want: []string{bad400("Bad Content-Length ('5, 6')")}, end: endClosed},
	{name: "cl-letters",
		req:  head("POST") + "Content-Length: abc\r\n\r\n",
		want: []string{bad400("Bad Content-Length ('abc')")}, end: endClosed},
	{name: "cl-negative",
		req:  head("POST") + "Content-Length: -1\r\n\r\n",
		want: []string{bad400("Bad Content-Length ('-1')")}, end: endClosed},
	{name: "cl-plus-sign",
		req:  head("POST") + "Content-Length: +5\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('+5')")}, end: endClosed},
	{name: "cl-hex",
		req:  head("POST") + "Content-Length: 0x5\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('0x5')")}, end: endClosed},
	{name: "cl-decimal-point",
		req:  head("POST") + "Content-Length: 5.0\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('5.0')")}, end: endClosed},
	{name: "cl-inner-space",
		req:  head("POST") + "Content-Length: 5 5\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('5 5')")}, end: endClosed},
	{name: "cl-empty",
		req:  head("POST") + "Content-Length:\r\n\r\n",
		want: []string{bad400("Bad Content-Length ('')")}, end: endClosed},
	{name: "cl-overflow",
		req:  head("POST") + "Content-Length: 99999999999999999999\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('99999999999999999999')")}, end: endClosed},
	{name: "cl-int64-wraps",
		req:  head("POST") + "Content-Length: 18446744073709551621\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('18446744073709551621')")}, end: endClosed},
	{name: "cl-non-ascii-digit",
		req:  head("POST") + "Content-Length: \xd9\xa5\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('\xd9\xa5')")}, end: endClosed},

	// Transfer-Encoding whose final coding is not chunked, or that chunks
	// twice (§6.1, §6.3): 400; a coding before chunked the server cannot
	// undo: 501.
	{name: "te-gzip",
		req:  head("POST") + "Transfer-Encoding: gzip\r\n\r\nhello",
		want: []string{bad400("Bad Transfer-Encoding ('gzip')")}, end: endClosed},
	{name: "te-identity",
		req:  head("POST") + "Transfer-Encoding: identity\r\n\r\nhello",
		want: []string{bad400("Bad Transfer-Encoding ('identity')")}, end: endClosed},
	{name: "te-chunked-then-gzip",
		req:  head("POST") + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{bad400("Bad Transfer-Encoding ('chunked, gzip')")}, end: endClosed},
	{name: "te-chunked-twice",
		req:  head("POST") + "Transfer-Encoding: chunked, chunked\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{bad400("Bad Transfer-Encoding ('chunked, chunked')")}, end: endClosed},
	{name: "te-chunked-on-two-lines",
		req:  head("POST") + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{bad400("Bad Transfer-Encoding ('chunked, chunked')")}, end: endClosed},
	{name: "te-chunked-with-parameter",
		req:  head("POST") + "Transfer-Encoding: chunked;q=1\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{bad400("Bad Transfer-Encoding ('chunked;q=1')")}, end: endClosed},
	{name: "te-empty",
		req:  head("POST") + "Transfer-Encoding:\r\n\r\nhello",
		want: []string{bad400("Bad Transfer-Encoding ('')")}, end: endClosed},
	{name: "te-in-http10",
		req:  "POST /p HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{bad400("Transfer-Encoding in an HTTP/1.0 request")}, end: endClosed},
	{name: "te-gzip-then-chunked",
		req:  head("POST") + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunk("hello") + lastChunk,
		want: []string{"HTTP/1.1 501 Unsupported Transfer-Encoding ('gzip, chunked')"}, end: endClosed},

	// Header lines that are not a plain "name: value" (§5): whitespace
	// before the colon, obs-fold, no colon, bad names, control bytes.
	{name: "space-before-colon",
		req:  head("POST") + "Content-Length : 5\r\n\r\nhello",
		want: []string{bad400("Bad header line ('Content-Length : 5')")}, end: endClosed},
	{name: "tab-before-colon",
		req:  head("POST") + "Transfer-Encoding\t: chunked\r\n\r\n" + lastChunk,
		want: []string{bad400(`Bad header line ('Transfer-Encoding\t: chunked')`)}, end: endClosed},
	{name: "obs-fold",
		req:  head("GET") + "X-A: a\r\n b\r\n\r\n",
		want: []string{bad400("Bad header line (' b')")}, end: endClosed},
	{name: "obs-fold-tab",
		req:  head("GET") + "X-A: a\r\n\tb\r\n\r\n",
		want: []string{bad400(`Bad header line ('\tb')`)}, end: endClosed},
	{name: "obs-fold-into-te",
		req:  head("POST") + "Transfer-Encoding: gzip,\r\n chunked\r\n\r\n" + lastChunk,
		want: []string{bad400("Bad header line (' chunked')")}, end: endClosed},
	{name: "folded-first-line",
		req:  "GET /p HTTP/1.1\r\n Host: x\r\n\r\n",
		want: []string{bad400("Bad header line (' Host: x')")}, end: endClosed},
	{name: "no-colon",
		req:  head("GET") + "Content-Length 5\r\n\r\nhello",
		want: []string{bad400("Bad header line ('Content-Length 5')")}, end: endClosed},
	{name: "empty-name",
		req:  head("GET") + ": 5\r\n\r\n",
		want: []string{bad400("Bad header line (': 5')")}, end: endClosed},
	{name: "nul-in-value",
		req:  head("GET") + "X-A: a\x00b\r\n\r\n",
		want: []string{bad400(`Bad header line ('X-A: a\x00b')`)}, end: endClosed},
	{name: "nul-in-name",
		req:  head("GET") + "X\x00A: a\r\n\r\n",
		want: []string{bad400(`Bad header line ('X\x00A: a')`)}, end: endClosed},
	{name: "bare-cr-in-value",
		req:  head("GET") + "X-A: a\rContent-Length: 5\r\n\r\nhello",
		want: []string{bad400(`Bad header line ('X-A: a\rContent-Length: 5')`)}, end: endClosed},
	{name: "bare-cr-before-name",
		req:  head("GET") + "\rX-A: a\r\n\r\n",
		want: []string{bad400(`Bad header line ('\rX-A: a')`)}, end: endClosed},
	{name: "bare-cr-line",
		req:  head("GET") + "\r\r\n" + getReq("/next"),
		want: []string{bad400(`Bad header line ('\r')`)}, end: endClosed},
	{name: "control-in-value",
		req:  head("GET") + "X-A: a\x01b\r\n\r\n",
		want: []string{bad400(`Bad header line ('X-A: a\x01b')`)}, end: endClosed},
	{name: "del-in-value",
		req:  head("GET") + "X-A: a\x7fb\r\n\r\n",
		want: []string{bad400(`Bad header line ('X-A: a\x7fb')`)}, end: endClosed},
	{name: "escape-in-value",
		req:  head("GET") + "X-A: \x1b[31mred\r\n\r\n",
		want: []string{bad400(`Bad header line ('X-A: \x1b[31mred')`)}, end: endClosed},
	{name: "control-in-name",
		req:  head("GET") + "X\x01A: a\r\n\r\n",
		want: []string{bad400(`Bad header line ('X\x01A: a')`)}, end: endClosed},
	{name: "separator-in-name",
		req:  head("GET") + "X/A: a\r\n\r\n",
		want: []string{bad400("Bad header line ('X/A: a')")}, end: endClosed},
	{name: "bad-line-in-trailing-position",
		req:  head("GET") + "X-A: a\r\nX-B: b\r\nbroken\r\n\r\n",
		want: []string{bad400("Bad header line ('broken')")}, end: endClosed},
}

// hostCases are the Host rules of RFC 9112 §3.2, on when
// HTTPServer.RequireHost is set (the command-line server sets it) and off
// otherwise, as in Python.
var hostCases = []wireCase{
	{name: "host-missing",
		req: "GET /p HTTP/1.1\r\n\r\n", server: requireHost,
		want: []string{bad400("Missing Host header")}, end: endClosed},
	{name: "host-missing-version-with-zeros",
		req: "GET /p HTTP/01.1\r\n\r\n", server: requireHost,
		want: []string{bad400("Missing Host header")}, end: endClosed},
	{name: "host-twice",
		req: "GET /p HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", server: requireHost,
		want: []string{bad400("Multiple Host headers")}, end: endClosed},
	{name: "host-twice-same",
		req: "GET /p HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", server: requireHost,
		want: []string{bad400("Multiple Host headers")}, end: endClosed},
	{name: "host-with-space",
		req: "GET /p HTTP/1.1\r\nHost: a b\r\n\r\n", server: requireHost,
		want: []string{bad400("Bad Host header ('a b')")}, end: endClosed},
	{name: "host-with-slash",
		req: "GET /p HTTP/1.1\r\nHost: a/b\r\n\r\n", server: requireHost,
		want: []string{bad400("Bad Host header ('a/b')")}, end: endClosed},
	{name: "host-latin1",
		req: "GET /p HTTP/1.1\r\nHost: caf\xe9\r\n\r\n", server: requireHost,
		want: []string{bad400("Bad Host header ('caf\xe9')")}, end: endClosed},
	{name: "host-with-port",
		req: "GET /p HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", server: requireHost,
		want: []string{okAnswer("GET /p")}, end: endOpen},
	{name: "host-ipv6",
		req: "GET /p HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", server: requireHost,
		want: []string{okAnswer("GET /p")}, end: endOpen},
	{name: "host-not-needed-in-http10",
		req: "GET /p HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", server: requireHost,
		want: []string{okAnswer("GET /p")}, end: endOpen},
	{name: "host-not-required-by-default",
		req:  "GET /p HTTP/1.1\r\n\r\n",
		want: []string{okAnswer("GET /p")}, end: endOpen},
}

// TestFraming sends requests whose framing is ambiguous or malformed and
// checks each gets its 400 (or 501) with a status line, then a close, and
// that the server goes on serving others.
func TestFraming(t *testing.T) {
	runWire(t, framingCases)
}

// TestHostRules checks HTTPServer.RequireHost.
func TestHostRules(t *testing.T) {
	runWire(t, hostCases)
}

// TestFramingErrorsIgnoreWhatFollows checks that nothing after a
// request refused for its framing is read as a request, however much of
// it there is: the bytes that follow are lingered over and dropped.
func TestFramingErrorsIgnoreWhatFollows(t *testing.T) {
	smuggled := strings.Repeat(getReq("/smuggled"), 2000) // 64 KiB of requests
	runWire(t, []wireCase{{
		name: "te-and-cl-then-many-requests",
		req:  head("POST") + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + lastChunk + smuggled,
		want: []string{bad400("Both Transfer-Encoding and Content-Length")}, end: endClosed,
	}})
}

// quietErrors is a handler whose SendError override answers with an empty
// page and no Connection: close, as a custom error page might.
type quietErrors struct{ hostileProbe }

func (h *quietErrors) SendError(code int, text ...string) {
	h.SendResponse(code, text...)
	h.SendHeader("Content-Length", "0")
	h.EndHeaders()
}

func quietErrorsClass() httpserver.Handler {
	h := &quietErrors{}
	h.ProtocolVersion = "HTTP/1.1"
	return h
}

// TestFramingErrorsCloseWhateverSendErrorDoes checks that after a request
// whose framing or head cannot be trusted the connection closes even when
// SendError is overridden without Connection: close: what follows on the
// connection is never read as a request.
func TestFramingErrorsCloseWhateverSendErrorDoes(t *testing.T) {
	quiet := func(c wireCase) wireCase {
		c.class = quietErrorsClass
		c.req += smuggled
		c.end = endClosed
		return c
	}
	runWire(t, []wireCase{
		quiet(wireCase{name: "te-and-cl",
			req:  head("POST") + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + lastChunk,
			want: []string{bad400("Both Transfer-Encoding and Content-Length")}}),
		quiet(wireCase{name: "cl-differing",
			req:  head("POST") + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab",
			want: []string{bad400("Bad Content-Length ('1, 2')")}}),
		quiet(wireCase{name: "te-gzip-then-chunked",
			req:  head("POST") + "Transfer-Encoding: gzip, chunked\r\n\r\n" + lastChunk,
			want: []string{"HTTP/1.1 501 Unsupported Transfer-Encoding ('gzip, chunked')"}}),
		quiet(wireCase{name: "host-missing", server: requireHost,
			req:  "GET /p HTTP/1.1\r\n\r\n",
			want: []string{bad400("Missing Host header")}}),
		quiet(wireCase{name: "obs-fold",
			req:  head("GET") + "X-A: a\r\n b\r\n\r\n",
			want: []string{bad400("Bad header line (' b')")}}),
		quiet(wireCase{name: "header-bytes-over", server: maxHeaderBytes(64),
			req:  head("GET") + "X-Pad: " + strings.Repeat("p", 64) + "\r\n" + smuggled[:len(smuggled)-2] + "\r\n",
			want: []string{"HTTP/1.1 431 Headers too large"}}),
		quiet(wireCase{name: "request-line-over", server: maxHeaderBytes(64),
			req:  "GET /" + strings.Repeat("a", 64) + smuggled,
			want: []string{"HTTP/1.1 414 URI Too Long"}}),
		quiet(wireCase{name: "request-line-over-on-kept-alive-connection", server: maxHeaderBytes(64),
			req:  getReq("/first") + "GET /" + strings.Repeat("a", 64) + smuggled,
			want: []string{okAnswer("GET /first"), "HTTP/1.1 414 URI Too Long"}}),
		quiet(wireCase{name: "too-many-headers",
			req:  head("GET") + strings.Repeat("X: y\r\n", 101) + "\r\n",
			want: []string{"HTTP/1.1 431 Too many headers"}}),
		quiet(wireCase{name: "bad-version",
			req:  "GET /p HTTP/1.x\r\n" + smuggled,
			want: []string{bad400("Bad request version ('HTTP/1.x')")}}),
	})
}
