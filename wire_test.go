package httpserver_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// wireCase is one raw-socket case of the hardening suite: the bytes a
// client sends in one write, the responses it must get, and how the
// server must leave the connection.
type wireCase struct {
	name string
	req  string
	// halfClose half-closes the connection after sending.
	halfClose bool
	// want lists the responses, as summarize gives them.
	want []string
	// end is endClosed (the server closes after want; nothing more comes)
	// or endOpen (the connection stays usable: a further request on it is
	// answered).
	end ending
	// server configures the server's limits.
	server func(s *httpserver.HTTPServer)
	// class is the handler; nil means hostileClass.
	class httpserver.HandlerClass
	// wantLog, if set, is what the server must log for req (timestamps
	// masked), before the lines of the follow-up requests.
	wantLog string
	// checkLog, if set, checks the whole log.
	checkLog func(t *testing.T, log string)
}

// summarize gives a response as its status line, followed for the
// probe's text/plain answers by " | " and the body.
func summarize(r response) string {
	status, _, _ := strings.Cut(r.head, "\r\n")
	if strings.Contains(r.head, "\r\nContent-Type: text/plain\r\n") {
		return status + " | " + r.body
	}
	return status
}

// Follow-up requests of every case: another on the same connection when
// it must stay open, then one on a fresh connection.
const (
	againRequest = "GET /again HTTP/1.1\r\nHost: x\r\n\r\n"
	againAnswer  = "HTTP/1.1 200 OK | GET /again"
	freshRequest = "GET /fresh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	freshAnswer  = "HTTP/1.1 200 OK | GET /fresh"
	againLogLine = `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /again HTTP/1.1" 200 -` + "\n"
	freshLogLine = `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /fresh HTTP/1.1" 200 -` + "\n"
)

// runWire runs each case on its own server of hostileProbe: it sends
// the request, reads the wanted responses, checks how the connection
// ends, then checks that a normal GET on a fresh connection is answered
// and that the log is safe to print (and, if given, exact).
func runWire(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var configure []func(*httpserver.HTTPServer)
			if c.server != nil {
				configure = append(configure, c.server)
			}
			class := c.class
			if class == nil {
				class = hostileClass
			}
			ts := serve(t, class, configure...)
			conn := dialRaw(t, ts.addr)
			conn.send(c.req)
			if c.halfClose {
				conn.closeWrite()
			}
			var got []string
			for range c.want {
				got = append(got, summarize(readResponse(t, conn)))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("responses mismatch (-want +got):\n%s", diff)
			}
			wantLog := c.wantLog
			switch c.end {
			case endClosed:
				if rest, end := conn.readAll(); rest != "" || end != endClosed {
					t.Fatalf("after the responses: %q and connection %s, want nothing and a close", rest, end)
				}
			case endOpen:
				if rest, end := conn.quiet(); rest != "" || end != endOpen {
					t.Fatalf("after the responses: %q and connection %s, want nothing and an open connection", rest, end)
				}
				conn.send(againRequest)
				if got := summarize(readResponse(t, conn)); got != againAnswer {
					t.Fatalf("next request on the same connection: %q, want %q", got, againAnswer)
				}
				wantLog += againLogLine
			default:
				t.Fatalf("case has no end")
			}
			conn.nc.Close()
			checkFreshGET(t, ts.addr)
			log := ts.stop()
			checkLogSafe(t, log)
			if c.checkLog != nil {
				c.checkLog(t, log)
			}
			if c.wantLog != "" {
				if diff := cmp.Diff(wantLog+freshLogLine, maskLog(log)); diff != "" {
					t.Errorf("log mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// checkFreshGET checks that a normal request on a new connection to the
// hostileProbe at addr is answered.
func checkFreshGET(t *testing.T, addr string) {
	t.Helper()
	fresh := dialRaw(t, addr)
	fresh.send(freshRequest)
	if got := summarize(readResponse(t, fresh)); got != freshAnswer {
		t.Fatalf("a normal GET on a fresh connection: %q, want %q", got, freshAnswer)
	}
}

var (
	logLine      = regexp.MustCompile(`^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\] \S`)
	reportHeader = regexp.MustCompile(`^Exception occurred during processing of request from \('127\.0\.0\.1', \d+\)$`)
)

const dashLine = "----------------------------------------"

// checkLogSafe checks that nothing a client sent reached the log raw: no
// control byte but the newline that ends each line, and each line is
// either a log line or part of a HandleError report (40 dashes, the
// client, the error on one line, then for a panic the stack, whose lines
// alone may begin with a tab).
func checkLogSafe(t *testing.T, log string) {
	t.Helper()
	if log != "" && !strings.HasSuffix(log, "\n") {
		t.Errorf("log does not end with a newline: %q", log)
	}
	inReport, inStack := false, false
	for i, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		if log == "" {
			break
		}
		body := line
		if inStack {
			body = strings.TrimPrefix(line, "\t")
		}
		if j := strings.IndexFunc(body, func(r rune) bool { return r < 0x20 || r == 0x7f }); j >= 0 {
			t.Errorf("log line %d holds control byte %#x: %q", i+1, body[j], line)
		}
		switch {
		case line == dashLine:
			inReport, inStack = !inReport, false
		case inStack:
		case inReport && reportHeader.MatchString(line):
		case inReport && strings.HasPrefix(line, "panic: "):
		case inReport && line == "":
			inStack = true
		case inReport:
			// An I/O error's message: one line.
		case !logLine.MatchString(line):
			t.Errorf("log line %d is not a log line: %q", i+1, line)
		}
	}
	if inReport {
		t.Errorf("HandleError report not closed by its dashes:\n%s", log)
	}
}

// withBody returns a request of method and path with body sent under a
// Content-Length; extra header lines (each ending in CRLF) go before it.
func withBody(method, path, extra, body string) string {
	return method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + extra +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// withChunks returns a request of method and path with the raw chunked
// body given; extra header lines go before Transfer-Encoding.
func withChunks(method, path, extra, chunked string) string {
	return method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + extra +
		"Transfer-Encoding: chunked\r\n\r\n" + chunked
}

// chunk encodes data as one chunk.
func chunk(data string) string {
	return strconv.FormatInt(int64(len(data)), 16) + "\r\n" + data + "\r\n"
}

// lastChunk ends a chunked body without trailers.
const lastChunk = "0\r\n\r\n"

// getReq is a plain GET of path on a kept-alive connection.
func getReq(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n" }

// okAnswer is the summary of the probe's 200 answer with text.
func okAnswer(text string) string { return "HTTP/1.1 200 OK | " + text }
