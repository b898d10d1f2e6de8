package httpserver_test

import (
	"strconv"
	"strings"
	"testing"
)

// smuggled is a request hidden in a body: if the server ever answered
// "GET /smuggled", it would have parsed body bytes as a request.
var smuggled = getReq("/smuggled")

// bodyCases send requests with bodies on a kept-alive connection, each
// followed by GET /next in the same write. The do-method reads all, part
// or none of the body, through Body or Rfile; what it leaves is dropped
// (README.md deliberate difference 3) up to 256 KiB, or the connection closes. No
// case may ever answer /smuggled.
var bodyCases = []wireCase{
	// Content-Length bodies the do-method does not read.
	{name: "cl-unread",
		req:  withBody("GET", "/a", "", smuggled) + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-zero",
		req:  withBody("GET", "/a", "", "") + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-unread-at-cap",
		req:  withBody("GET", "/a", "", strings.Repeat(smuggled, 256<<10/len(smuggled))+strings.Repeat("x", 256<<10%len(smuggled))) + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-unread-over-cap",
		req:  withBody("GET", "/a", "", strings.Repeat("x", 256<<10+1)) + getReq("/next"),
		want: []string{okAnswer("GET /a")}, end: endClosed},
	{name: "cl-unread-http10-keep-alive",
		req: "GET /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: " + strconv.Itoa(len(smuggled)) + "\r\n\r\n" + smuggled +
			"GET /next HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-unread-connection-close",
		req:  withBody("GET", "/a", "Connection: close\r\n", smuggled) + getReq("/next"),
		want: []string{okAnswer("GET /a")}, end: endClosed},

	// Content-Length bodies read through Body, in full or in part.
	{name: "cl-read",
		req:  withBody("POST", "/p", "", "hello") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-read-request-like-body",
		req:  withBody("POST", "/p", "", smuggled) + getReq("/next"),
		want: []string{okAnswer(`POST /p 35 "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-read-stops-at-length",
		req:  withBody("POST", "/p", "", "") + withBody("POST", "/q", "", "abc"),
		want: []string{okAnswer(`POST /p 0 ""`), okAnswer(`POST /q 3 "abc"`)}, end: endOpen},
	{name: "cl-read-part",
		req:  withBody("PUT", "/p", "X-Read: 3\r\n", smuggled) + getReq("/next"),
		want: []string{okAnswer(`PUT /p 3 "GET"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-same-value-twice",
		req:  head("POST") + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-same-value-list",
		req:  head("POST") + "Content-Length: 5, 5\r\n\r\nhello" + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-leading-zeros",
		req:  head("POST") + "Content-Length: 0005\r\n\r\nhello" + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-eof-in-body",
		req: withBody("POST", "/p", "", "hello")[:len(withBody("POST", "/p", "", "hello"))-2], halfClose: true,
		want: []string{okAnswer(`POST /p 3 "hel" error: unexpected EOF`)}, end: endClosed},

	// Content-Length bodies read through Rfile, as Python handlers do.
	{name: "cl-rfile-exact",
		req:  withBody("RAW", "/p", "X-Read: 5\r\n", "hello") + getReq("/next"),
		want: []string{okAnswer(`RAW /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-rfile-part",
		req:  withBody("RAW", "/p", "X-Read: 3\r\n", smuggled) + getReq("/next"),
		want: []string{okAnswer(`RAW /p 3 "GET"`), okAnswer("GET /next")}, end: endOpen},
	{name: "cl-rfile-past-the-end",
		req:  withBody("RAW", "/p", "X-Read: 8\r\n", "hello") + getReq("/next"),
		want: []string{okAnswer(`RAW /p 8 "helloGET"`)}, end: endClosed},

	// Chunked bodies read through Body.
	{name: "chunked-read",
		req:  withChunks("POST", "/p", "", chunk("hello")+lastChunk) + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-several",
		req:  withChunks("POST", "/p", "", chunk("hel")+chunk("l")+chunk("o")+lastChunk) + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-extensions",
		req:  withChunks("POST", "/p", "", "5;a=b;c=\"d e\"\r\nhello\r\n0 ;last\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-uppercase-hex",
		req:  withChunks("POST", "/p", "", "A\r\n0123456789\r\n0\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 10 "0123456789"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-leading-zeros",
		req:  withChunks("POST", "/p", "", "0005\r\nhello\r\n000\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-trailers",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-coding-case",
		req:  head("POST") + "Transfer-Encoding: Chunked\r\n\r\n" + chunk("hello") + lastChunk + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-empty-list-element",
		req:  head("POST") + "Transfer-Encoding: chunked,\r\n\r\n" + chunk("hello") + lastChunk + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-read-part",
		req:  withChunks("PUT", "/p", "X-Read: 3\r\n", chunk("hel")+chunk(smuggled)+lastChunk) + getReq("/next"),
		want: []string{okAnswer(`PUT /p 3 "hel"`), okAnswer("GET /next")}, end: endOpen},

	// Chunked bodies the do-method does not read.
	{name: "chunked-unread",
		req:  withChunks("GET", "/a", "", chunk(smuggled)+lastChunk) + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-unread-trailers",
		req:  withChunks("GET", "/a", "", chunk(smuggled)+"0\r\nX-T: "+smuggled[:13]+"\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-unread-at-cap",
		req:  withChunks("GET", "/a", "", chunk(strings.Repeat("x", 128<<10))+chunk(strings.Repeat("y", 128<<10))+lastChunk) + getReq("/next"),
		want: []string{okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "chunked-unread-over-cap",
		req:  withChunks("GET", "/a", "", chunk(strings.Repeat("x", 128<<10))+chunk(strings.Repeat("y", 128<<10+1))+lastChunk) + getReq("/next"),
		want: []string{okAnswer("GET /a")}, end: endClosed},
	{name: "chunked-rfile",
		req:  withChunks("RAW", "/p", "X-Read: 3\r\n", chunk("hello")+lastChunk) + getReq("/next"),
		want: []string{okAnswer(`RAW /p 3 "5\r\n"`)}, end: endClosed},

	// Malformed chunked bodies: the do-method gets an error (after the
	// data before it); the connection closes, whoever read the body.
	{name: "chunked-bad-hex",
		req:  withChunks("POST", "/p", "", "zz\r\nhello\r\n0\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-bad-hex-unread",
		req:  withChunks("GET", "/a", "", "zz\r\nhello\r\n0\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer("GET /a")}, end: endClosed},
	{name: "chunked-negative-size",
		req:  withChunks("POST", "/p", "", "-5\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-0x-prefix",
		req:  withChunks("POST", "/p", "", "0x5\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-size-overflow",
		req:  withChunks("POST", "/p", "", "10000000000000000\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-empty-size",
		req:  withChunks("POST", "/p", "", "\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-data-longer-than-size",
		req:  withChunks("POST", "/p", "", "5\r\nhello!\r\n0\r\n\r\n") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: chunk data not followed by CRLF`)}, end: endClosed},
	{name: "chunked-data-shorter-than-size",
		req:  withChunks("POST", "/p", "", "6\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 6 "hello\r" error: httpserver: malformed chunked body: chunk data not followed by CRLF`)}, end: endClosed},
	{name: "chunked-bare-lf-after-size",
		req:  withChunks("POST", "/p", "", "5\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-bare-lf-after-data",
		req:  withChunks("POST", "/p", "", "5\r\nhello\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: chunk data not followed by CRLF`)}, end: endClosed},
	{name: "chunked-bare-lf-last-chunk",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\n\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-size-line-too-long",
		req:  withChunks("POST", "/p", "", "5;"+strings.Repeat("e", 5000)+"\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: chunk size line too long`)}, end: endClosed},
	{name: "chunked-extension-control-byte",
		req:  withChunks("POST", "/p", "", "5;a=\x01\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-extension-bare-cr",
		req:  withChunks("POST", "/p", "", "5;a\rb\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-extension-without-semicolon",
		req:  withChunks("POST", "/p", "", "5 x\r\nhello\r\n0\r\n\r\n"),
		want: []string{okAnswer(`POST /p 0 "" error: httpserver: malformed chunked body: malformed chunk size`)}, end: endClosed},
	{name: "chunked-too-much-framing",
		req:  withChunks("POST", "/p", "", strings.Repeat("1;"+strings.Repeat("e", 200)+"\r\nx\r\n", 100)+lastChunk),
		want: []string{okAnswer(`POST /p 87 error: httpserver: malformed chunked body: too much framing for its data`)}, end: endClosed},
	{name: "chunked-trailer-too-big",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\r\nX-T: "+strings.Repeat("t", 17<<10)+"\r\n\r\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed trailer section`)}, end: endClosed},
	{name: "chunked-trailer-no-colon",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\r\nbroken\r\n\r\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed trailer section`)}, end: endClosed},
	{name: "chunked-trailer-obs-fold",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\r\nX-T: a\r\n b\r\n\r\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed trailer section`)}, end: endClosed},
	{name: "chunked-trailer-control-byte",
		req:  withChunks("POST", "/p", "", chunk("hello")+"0\r\nX-T: a\x00\r\n\r\n"),
		want: []string{okAnswer(`POST /p 5 "hello" error: httpserver: malformed chunked body: malformed trailer section`)}, end: endClosed},
	{name: "chunked-eof-in-data",
		req: withChunks("POST", "/p", "", "5\r\nhel"), halfClose: true,
		want: []string{okAnswer(`POST /p 3 "hel" error: unexpected EOF`)}, end: endClosed},
	{name: "chunked-eof-before-last-chunk",
		req: withChunks("POST", "/p", "", chunk("hello")), halfClose: true,
		want: []string{okAnswer(`POST /p 5 "hello" error: unexpected EOF`)}, end: endClosed},
	{name: "chunked-eof-in-trailers",
		req: withChunks("POST", "/p", "", chunk("hello")+"0\r\nX-T: 1\r\n"), halfClose: true,
		want: []string{okAnswer(`POST /p 5 "hello" error: unexpected EOF`)}, end: endClosed},

	// Expect: 100-continue. A client that waits for 100 Continue before
	// it sends the body must not be left waiting for the server to read a
	// body it will never send: when the interim response was not sent,
	// the connection closes instead of the body being drained.
	{name: "expect-answered-body-unread",
		req:  withBody("GET", "/a", "Expect: 100-continue\r\n", smuggled) + getReq("/next"),
		want: []string{"HTTP/1.1 100 Continue", okAnswer("GET /a"), okAnswer("GET /next")}, end: endOpen},
	{name: "expect-not-answered-body-unsent",
		req:  head("GET") + "Expect: 100-continue\r\nX-Silent-Expect: 1\r\nContent-Length: 5\r\n\r\n",
		want: []string{okAnswer("GET /p")}, end: endClosed},
	{name: "expect-in-http10-body-unsent",
		req:  "GET /p HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
		want: []string{okAnswer("GET /p")}, end: endClosed},
	{name: "expect-not-answered-body-read",
		req:  withBody("POST", "/p", "Expect: 100-continue\r\nX-Silent-Expect: 1\r\n", "hello") + getReq("/next"),
		want: []string{okAnswer(`POST /p 5 "hello"`), okAnswer("GET /next")}, end: endOpen},

	// Pipelines mixing all of it.
	{name: "pipeline",
		req: withBody("POST", "/1", "", "one") + withChunks("GET", "/2", "", chunk(smuggled)+lastChunk) +
			withBody("PUT", "/3", "X-Read: 1\r\n", "three") + withChunks("POST", "/4", "", chunk("fo")+chunk("ur")+lastChunk) +
			withBody("RAW", "/5", "X-Read: 4\r\n", "five") + getReq("/6"),
		want: []string{okAnswer(`POST /1 3 "one"`), okAnswer("GET /2"), okAnswer(`PUT /3 1 "t"`),
			okAnswer(`POST /4 4 "four"`), okAnswer(`RAW /5 4 "five"`), okAnswer("GET /6")},
		end: endOpen},
}

// TestBodiesOnKeepAlive checks that a request's body is read as its
// framing says, never taken for the next request.
func TestBodiesOnKeepAlive(t *testing.T) {
	runWire(t, bodyCases)
}
