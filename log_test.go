package httpserver_test

import (
	"bytes"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// logHandler returns a handler outside any connection whose log lines go
// to the returned buffer, as from a client at 127.0.0.1.
func logHandler() (*httpserver.BaseHandler, *bytes.Buffer) {
	var buf bytes.Buffer
	return &httpserver.BaseHandler{
		Server:        &httpserver.HTTPServer{Stderr: &buf},
		ClientAddress: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4242},
	}, &buf
}

const logPrefix = "127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "

// TestLogMessage checks the line format and the escaping of control
// characters (as \xNN) and backslashes, which keeps client text from
// reaching a terminal raw.
func TestLogMessage(t *testing.T) {
	tests := []struct {
		name   string
		format string
		args   []any
		want   string
	}{
		{"format and args", "%s has %d items", []any{"cart", 3}, "cart has 3 items"},
		{"no args: the format as is", "100%", nil, "100%"},
		{"C0 controls", "%s", []any{"a\x00b\x01c\td\ne\rf\x1bg\x1f"}, `a\x00b\x01c\x09d\x0ae\x0df\x1bg\x1f`},
		{"DEL and C1 controls", "%s", []any{"\x7f \u0080 \u0085 \u009f"}, `\x7f \x80 \x85 \x9f`},
		{"backslash doubled", "%s", []any{`a\b\\c`}, `a\\b\\\\c`},
		{"printable Latin-1 and beyond pass", "%s", []any{"\u00a0 é ÿ € 日本"}, "\u00a0 é ÿ € 日本"},
		{"raw Latin-1 bytes read as ISO-8859-1", "%s", []any{"caf\xe9 \x85 \xa0"}, "café \\x85 \u00a0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, buf := logHandler()
			h.LogMessage(tt.format, tt.args...)
			if diff := cmp.Diff(logPrefix+tt.want+"\n", maskLog(buf.String())); diff != "" {
				t.Errorf("log line (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogRequest checks the request entry of §3.10: the escaped request
// line split at most twice on whitespace and re-joined with single spaces
// when that gives three parts, then the code and size.
func TestLogRequest(t *testing.T) {
	tests := []struct {
		line string
		code int
		size []int
		want string
	}{
		{"GET /hello.txt HTTP/1.1", 200, nil, `"GET /hello.txt HTTP/1.1" 200 -`},
		{"GET  /hello.txt \t  HTTP/1.0  ", 200, nil, `"GET /hello.txt \x09  HTTP/1.0  " 200 -`},
		{"GET /a  b   HTTP/1.0", 400, nil, `"GET /a b   HTTP/1.0" 400 -`},
		{"GET  /hello.txt", 200, nil, `"GET  /hello.txt" 200 -`},
		{"", 414, nil, `"" 414 -`},
		{"  GET   /x   HTTP/1.0", 200, nil, `"GET /x HTTP/1.0" 200 -`},
		{"GET /a\xa0\xa0b HTTP/1.0", 200, nil, `"GET /a b HTTP/1.0" 200 -`},
		{`GET /a\b HTTP/1.0`, 200, []int{1234}, `"GET /a\\b HTTP/1.0" 200 1234`},
		{"GET / HTTP/1.0", 0, nil, `"GET / HTTP/1.0" - -`},
	}
	for _, tt := range tests {
		h, buf := logHandler()
		h.RequestLine = tt.line
		h.LogRequest(tt.code, tt.size...)
		if diff := cmp.Diff(logPrefix+tt.want+"\n", maskLog(buf.String())); diff != "" {
			t.Errorf("LogRequest(%d) for %q (-want +got):\n%s", tt.code, tt.line, diff)
		}
	}
}

// TestLogError checks that LogError writes through LogMessage, plain when
// colour is off.
func TestLogError(t *testing.T) {
	h, buf := logHandler()
	h.LogError("code %d, message %s", 404, "File not found")
	if got, want := maskLog(buf.String()), logPrefix+"code 404, message File not found\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestLogColour checks the ANSI colours of Python 3.15 with FORCE_COLOR
// set; the expected lines are what the oracle logs for the same requests.
func TestLogColour(t *testing.T) {
	t.Setenv("FORCE_COLOR", "1")
	const (
		stamp = "\x1b[90m127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss]\x1b[0m "
		size  = " \x1b[90m-\x1b[0m\n"
	)
	tests := []struct{ req, want string }{
		{"GET / HTTP/1.0\r\n\r\n", stamp + "\"GET \x1b[36m/\x1b[0m HTTP/1.0\" \x1b[32m200" + size},
		{"RESPOND /301 HTTP/1.0\r\n\r\n", stamp + "\"RESPOND \x1b[36m/301\x1b[0m HTTP/1.0\" \x1b[96m301" + size},
		{"RESPOND /101 HTTP/1.0\r\n\r\n", stamp + "\"RESPOND \x1b[36m/101\x1b[0m HTTP/1.0\" \x1b[0m101" + size},
		{"GET /404 HTTP/1.0\r\n\r\n", stamp + "\x1b[33mcode 404, message Not Found\x1b[0m\n" +
			stamp + "\"GET \x1b[36m/404\x1b[0m HTTP/1.0\" \x1b[33m404" + size},
		{"SEND_ERROR /500 HTTP/1.0\r\n\r\n", stamp + "\x1b[33mcode 500, message Internal Server Error\x1b[0m\n" +
			stamp + "\"SEND_ERROR \x1b[36m/500\x1b[0m HTTP/1.0\" \x1b[31m500" + size},
		{"GET /\r\n", stamp + "\"GET /\" \x1b[32m200" + size},
		{"GET  /a\tb   HTTP/1.0  \r\n\r\n", stamp + "\x1b[33mcode 400, message Bad request syntax ('GET  /a\\\\tb   HTTP/1.0  ')\x1b[0m\n" +
			stamp + "\"GET \x1b[36m/a\\x09b\x1b[0m HTTP/1.0  \" \x1b[33m400" + size},
		{"FOO\x01 /x HTTP/1.0\r\n\r\n", stamp + "\x1b[33mcode 501, message Unsupported method ('FOO\\\\x01')\x1b[0m\n" +
			stamp + "\"FOO\\x01 \x1b[36m/x\x1b[0m HTTP/1.0\" \x1b[31m501" + size},
		{"GET /" + strings.Repeat("a", 65536) + "\r\n", stamp + "\x1b[33mcode 414, message URI Too Long\x1b[0m\n" +
			stamp + "\"\" \x1b[33m414" + size},
	}
	for _, tt := range tests {
		ts := serve(t, probeClass(func(b *httpserver.BaseHandler) {}))
		c := dialRaw(t, ts.addr)
		c.send(tt.req)
		c.readAll()
		if diff := cmp.Diff(tt.want, maskLog(ts.stop())); diff != "" {
			t.Errorf("log of %.40q (-want +got):\n%s", tt.req, diff)
		}
	}
}

// TestCanColorize checks the colour decision of Python 3.15's
// _colorize.can_colorize, by the environment and the output.
func TestCanColorize(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	tests := []struct {
		name string
		env  map[string]string
		w    io.Writer
		want bool
	}{
		{"a buffer", nil, new(bytes.Buffer), false},
		{"a regular file", nil, file, false},
		{"the null device", nil, devNull, false},
		{"FORCE_COLOR", map[string]string{"FORCE_COLOR": "1"}, new(bytes.Buffer), true},
		{"FORCE_COLOR empty", map[string]string{"FORCE_COLOR": ""}, new(bytes.Buffer), false},
		{"NO_COLOR beats FORCE_COLOR", map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "1"}, new(bytes.Buffer), false},
		{"PYTHON_COLORS=0 beats FORCE_COLOR", map[string]string{"FORCE_COLOR": "1", "PYTHON_COLORS": "0"}, new(bytes.Buffer), false},
		{"PYTHON_COLORS=1 beats NO_COLOR", map[string]string{"NO_COLOR": "1", "PYTHON_COLORS": "1"}, new(bytes.Buffer), true},
		{"PYTHON_COLORS other values are ignored", map[string]string{"PYTHON_COLORS": "2", "FORCE_COLOR": "1"}, new(bytes.Buffer), true},
		{"TERM=dumb after FORCE_COLOR", map[string]string{"FORCE_COLOR": "1", "TERM": "dumb"}, new(bytes.Buffer), true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, devNull, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if got := httpserver.CanColorize(tt.w); got != tt.want {
				t.Errorf("CanColorize = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLogColourOff checks that NO_COLOR and PYTHON_COLORS=0 switch colour
// off in the log even when FORCE_COLOR is set.
func TestLogColourOff(t *testing.T) {
	for _, env := range []string{"NO_COLOR", "PYTHON_COLORS"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("FORCE_COLOR", "1")
			t.Setenv(env, map[string]string{"NO_COLOR": "1", "PYTHON_COLORS": "0"}[env])
			h, buf := logHandler()
			h.RequestLine = "GET / HTTP/1.0"
			h.LogRequest(200)
			if got, want := maskLog(buf.String()), logPrefix+"\"GET / HTTP/1.0\" 200 -\n"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestLogDateTimeString checks that the log timestamp is local time in
// Python's DD/Mon/YYYY HH:MM:SS form.
func TestLogDateTimeString(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	time.Local = time.FixedZone("UTC+05:30", 5*3600+1800)
	var b httpserver.BaseHandler
	before := time.Now().Truncate(time.Second)
	s := b.LogDateTimeString()
	after := time.Now()
	got, err := time.ParseInLocation("02/Jan/2006 15:04:05", s, time.Local)
	if err != nil || got.Before(before) || got.After(after) {
		t.Errorf("LogDateTimeString() = %q (%v), want the local time between %v and %v", s, err, before, after)
	}
}

// TestLogDefaultsToStderr checks that without HTTPServer.Stderr the log
// goes to os.Stderr.
func TestLogDefaultsToStderr(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stderr
	os.Stderr = f
	h := &httpserver.BaseHandler{Server: &httpserver.HTTPServer{}, ClientAddress: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}}
	h.LogMessage("to %s", "stderr")
	h.Server = nil
	h.LogMessage("without a server")
	os.Stderr = saved
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	want := logPrefix + "to stderr\n" + logPrefix + "without a server\n"
	if got := maskLog(string(b)); got != want {
		t.Errorf("os.Stderr got %q, want %q", got, want)
	}
}

// dropRequests overrides LogMessage to drop request entries and forward
// everything else: an override that does not forward some calls.
type dropRequests struct{ httpserver.BaseHandler }

func (h *dropRequests) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Length", "0")
	h.EndHeaders()
}

func (h *dropRequests) LogMessage(format string, args ...any) {
	if format == httpserver.RequestLogFormat {
		return
	}
	h.BaseHandler.LogMessage(format, args...)
}

// redactRequests overrides LogMessage to rewrite the request line of a
// request entry and forward it: an override that changes the arguments.
type redactRequests struct{ dropRequests }

func (h *redactRequests) LogMessage(format string, args ...any) {
	if format == httpserver.RequestLogFormat && len(args) == 3 {
		args = []any{"[redacted]", args[1], args[2]}
	}
	h.BaseHandler.LogMessage(format, args...)
}

// dropErrors overrides LogMessage to drop "code ..." error lines and
// forward everything else; its do-method logs a line of its own after an
// error.
type dropErrors struct{ httpserver.BaseHandler }

func (h *dropErrors) DoGET() {
	h.SendError(404)
	h.LogMessage("%s", "after the error")
}

func (h *dropErrors) LogMessage(format string, args ...any) {
	if strings.HasPrefix(format, "code ") {
		return
	}
	h.BaseHandler.LogMessage(format, args...)
}

// TestLogHooksShareNoState checks that what LogMessage logs depends on its
// arguments only: a LogMessage override that drops some calls leaves
// nothing behind that changes how the next line is logged, and one that
// rewrites the arguments of a request entry changes what is logged.
func TestLogHooksShareNoState(t *testing.T) {
	keepAlive := func(b *httpserver.BaseHandler) { b.ProtocolVersion = "HTTP/1.1" }
	t.Run("request entry dropped, then an error", func(t *testing.T) {
		ts := serve(t, func() httpserver.Handler {
			h := &dropRequests{}
			keepAlive(&h.BaseHandler)
			return h
		})
		c := dialRaw(t, ts.addr)
		c.send("GET / HTTP/1.1\r\n\r\nSPAM / HTTP/1.1\r\n\r\n")
		c.readAll()
		got := maskLog(ts.stop())
		want := logPrefix + "code 501, message Unsupported method ('SPAM')\n"
		if got != want {
			t.Errorf("log:\n%s\nwant only:\n%s", got, want)
		}
	})
	t.Run("request entry rewritten and forwarded", func(t *testing.T) {
		ts := serve(t, func() httpserver.Handler {
			h := &redactRequests{}
			keepAlive(&h.BaseHandler)
			return h
		})
		c := dialRaw(t, ts.addr)
		c.send("GET /secret HTTP/1.1\r\nConnection: close\r\n\r\n")
		c.readAll()
		got := maskLog(ts.stop())
		if want := logPrefix + "\"[redacted]\" 200 -\n"; got != want {
			t.Errorf("log %q, want %q", got, want)
		}
	})
	t.Run("error line dropped, then a plain line in colour", func(t *testing.T) {
		t.Setenv("PYTHON_COLORS", "1")
		ts := serve(t, func() httpserver.Handler { return &dropErrors{} })
		c := dialRaw(t, ts.addr)
		c.send("GET / HTTP/1.0\r\n\r\n")
		c.readAll()
		got := ts.stop()
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("log %q, want the request entry and the do-method's line", got)
		}
		// The do-method's line is plain text after the reset that ends the
		// prefix: no error colour (ESC[33m) left over from the dropped line.
		if !strings.HasSuffix(lines[1], "\x1b[0m after the error") {
			t.Errorf("do-method's line %q, want it uncoloured", lines[1])
		}
	})
}
