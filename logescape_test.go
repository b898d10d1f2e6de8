package httpserver_test

import (
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// logLines prefixes each of lines with the masked log prefix and ends it.
func logLines(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] " + l + "\n")
	}
	return b.String()
}

// logCases feed control characters, ANSI escapes, C1 controls,
// backslashes and CR through every channel by which client bytes reach
// the log: the request line, the method of a 501, header values quoted in
// a 400, the version of a 400, a header a handler logs, and a panic
// message. The log must show them escaped, one log line per line
// (checkLogSafe runs on every case as well).
var logCases = []wireCase{
	{name: "request-line",
		req:     "GET /\x1b[31mred\\x\x07 HTTP/1.1\r\nHost: x\r\n\r\n",
		want:    []string{okAnswer("GET /\x1b[31mred\\x\x07")},
		end:     endOpen,
		wantLog: logLines(`"GET /\x1b[31mred\\x\x07 HTTP/1.1" 200 -`)},
	{name: "request-line-c1-and-nul",
		req:     "GET /\x9b2J\xc2\x9b\x00\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
		want:    []string{okAnswer("GET /\x9b2J\xc2\x9b\x00\x7f")},
		end:     endOpen,
		wantLog: logLines(`"GET /\x9b2J\x9b\x00\x7f HTTP/1.1" 200 -`)},
	{name: "request-line-bare-cr",
		req:  "GET /a\r\x1b[2Jb HTTP/1.1\r\nHost: x\r\n\r\n",
		want: []string{bad400(`Bad request syntax ('GET /a\r\x1b[2Jb HTTP/1.1')`)},
		end:  endClosed,
		wantLog: logLines(`code 400, message Bad request syntax ('GET /a\\r\\x1b[2Jb HTTP/1.1')`,
			`"GET /a\x0d\x1b[2Jb HTTP/1.1" 400 -`)},
	{name: "method-of-501",
		req:  "G\x1b[0mT /p HTTP/1.1\r\nHost: x\r\n\r\n",
		want: []string{`HTTP/1.1 501 Unsupported method ('G\x1b[0mT')`},
		end:  endClosed,
		wantLog: logLines(`code 501, message Unsupported method ('G\\x1b[0mT')`,
			`"G\x1b[0mT /p HTTP/1.1" 501 -`)},
	{name: "long-method-of-501",
		req:    strings.Repeat("\x1b", 40) + " /p HTTP/1.1\r\nHost: x\r\n\r\n",
		server: maxMethodLength(32),
		want:   []string{"HTTP/1.1 501 Unsupported method (longer than 32 bytes)"},
		end:    endClosed,
		wantLog: logLines(`code 501, message Unsupported method (longer than 32 bytes)`,
			`"`+strings.Repeat(`\x1b`, 40)+` /p HTTP/1.1" 501 -`)},
	{name: "header-value-in-400",
		req:  "GET /p HTTP/1.1\r\nHost: x\r\nX-A: \x1b[31mred\\\r\n\r\n",
		want: []string{bad400(`Bad header line ('X-A: \x1b[31mred\\')`)},
		end:  endClosed,
		wantLog: logLines(`code 400, message Bad header line ('X-A: \\x1b[31mred\\\\')`,
			`"GET /p HTTP/1.1" 400 -`)},
	{name: "host-value-in-400",
		req:    "GET /p HTTP/1.1\r\nHost: a\x9bb\\\r\n\r\n",
		server: requireHost,
		want:   []string{bad400(`Bad Host header ('a\x9bb\\')`)},
		end:    endClosed,
		wantLog: logLines(`code 400, message Bad Host header ('a\\x9bb\\\\')`,
			`"GET /p HTTP/1.1" 400 -`)},
	{name: "content-length-value-in-400",
		req:  "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\xc2\x9b\r\n\r\nhello",
		want: []string{bad400("Bad Content-Length ('5\xc2\\x9b')")},
		end:  endClosed,
		wantLog: logLines(`code 400, message Bad Content-Length ('5Â\\x9b')`,
			`"POST /p HTTP/1.1" 400 -`)},
	{name: "transfer-encoding-value-in-400",
		req:  "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \\chunked\t\r\n\r\n",
		want: []string{bad400(`Bad Transfer-Encoding ('\\chunked\t')`)},
		end:  endClosed,
		wantLog: logLines(`code 400, message Bad Transfer-Encoding ('\\\\chunked\\t')`,
			`"POST /p HTTP/1.1" 400 -`)},
	{name: "version-in-400",
		req:  "GET /p HTTP/1.\x1b\r\nHost: x\r\n\r\n",
		want: []string{bad400(`Bad request version ('HTTP/1.\x1b')`)},
		end:  endClosed,
		wantLog: logLines(`code 400, message Bad request version ('HTTP/1.\\x1b')`,
			`"GET /p HTTP/1.\x1b" 400 -`)},
	{name: "header-a-handler-logs",
		req:  "LOG /p HTTP/1.1\r\nHost: x\r\nX-Log: a\tb\\\x9b31m\xc2\x9b2J\xc3\xa9\r\n\r\n",
		want: []string{okAnswer("LOG /p")},
		end:  endOpen,
		wantLog: logLines(`client said a\x09b\\\x9b31m\x9b2Jé`,
			`"LOG /p HTTP/1.1" 200 -`)},
	{name: "panic-message",
		req:  "PANIC /\x00\x1b[2J\x07 HTTP/1.1\r\nHost: x\r\nX-Panic: \\\x9b\r\n\r\n",
		want: nil,
		end:  endClosed,
		checkLog: func(t *testing.T, log string) {
			want := regexp.MustCompile(`(?m)^panic: cannot serve\\x0a/\\x00\\x1b\[2J\\x07 for \\\\\\x9b$`)
			if !want.MatchString(log) {
				t.Errorf("log lacks the escaped panic message:\n%s", log)
			}
		}},
}

// TestLogEscaping checks that nothing a client sends reaches the log raw.
func TestLogEscaping(t *testing.T) {
	runWire(t, logCases)
}

// TestLogEscapingHandleErrorHook checks that the escaping of the default
// report does not reach a HandleError hook: it gets the panic as it was.
func TestLogEscapingHandleErrorHook(t *testing.T) {
	got := make(chan error, 1)
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) {
		s.HandleError = func(_ net.Conn, _ net.Addr, err error) { got <- err }
	})
	c := dialRaw(t, ts.addr)
	c.send("PANIC /\x1b HTTP/1.1\r\nHost: x\r\n\r\n")
	c.readAll()
	if err := within(t, got, "HandleError"); err.Error() != "panic: cannot serve\n/\x1b for " {
		t.Errorf("HandleError got %q", err.Error())
	}
}
