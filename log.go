package httpserver

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// LogRequest logs an accepted request; SendResponse calls it with the
// status code. A code of zero or less logs as "-", as does an omitted or
// negative size. It mirrors BaseHTTPRequestHandler.log_request(code, size)
// and, like it, passes the line to LogMessage through the handler.
func (b *BaseHandler) LogRequest(code int, size ...int) {
	sz := -1
	if len(size) > 0 {
		sz = size[0]
	}
	b.logRequestCode, b.logRequestSize, b.logIsRequest = code, sz, true
	b.this().LogMessage(`"%s" %s %s`, b.RequestLine, dashOrInt(code), dashOrInt(sz))
}

// LogError logs an error; SendError calls it before the response. It mirrors
// BaseHTTPRequestHandler.log_error and passes the message to LogMessage
// through the handler, coloured as an error when colour is on.
func (b *BaseHandler) LogError(format string, args ...any) {
	b.logIsError = true
	b.this().LogMessage(format, args...)
}

// LogMessage writes one line to the server's Stderr:
//
//	<AddressString()> - - [<LogDateTimeString()>] <message>
//
// where message is fmt.Sprintf(format, args...) (format itself when there
// are no args) with control characters escaped as \xNN and backslashes
// doubled, so nothing a client sends can reach a terminal raw. It mirrors
// BaseHTTPRequestHandler.log_message; override it to log elsewhere.
//
// Colour follows Python 3.15: on when PYTHON_COLORS=1 or FORCE_COLOR is set,
// off when PYTHON_COLORS=0, NO_COLOR is set or TERM=dumb, otherwise on when
// Stderr is a terminal.
func (b *BaseHandler) LogMessage(format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	w, mu := b.Server.stderr()
	t := themeFor(w)
	var line strings.Builder
	line.Grow(len(msg) + 64)
	line.WriteString(t.timestamp)
	self := b.this()
	line.WriteString(self.AddressString())
	line.WriteString(" - - [")
	line.WriteString(self.LogDateTimeString())
	line.WriteString("]")
	line.WriteString(t.reset)
	line.WriteByte(' ')
	switch {
	case b.logIsRequest:
		b.logIsRequest = false
		b.writeRequestEntry(&line, t)
	case b.logIsError:
		b.logIsError = false
		line.WriteString(t.err)
		pystr.WriteEscaped(&line, msg)
		line.WriteString(t.reset)
	default:
		pystr.WriteEscaped(&line, msg)
	}
	line.WriteByte('\n')
	mu.Lock()
	io.WriteString(w, line.String())
	mu.Unlock()
}

// writeRequestEntry writes the request part of a LogRequest line as Python
// 3.15's _colorize_request: the escaped request line split at most twice on
// whitespace, re-joined with single spaces when that gives three parts,
// then the code and size.
func (b *BaseHandler) writeRequestEntry(line *strings.Builder, t *theme) {
	var rl strings.Builder
	pystr.WriteEscaped(&rl, b.RequestLine)
	escaped := rl.String()
	line.WriteByte('"')
	if method, path, rest, ok := splitRequestForLog(escaped); ok {
		line.WriteString(method)
		line.WriteByte(' ')
		line.WriteString(t.path)
		line.WriteString(path)
		line.WriteString(t.reset)
		line.WriteByte(' ')
		line.WriteString(rest)
	} else {
		line.WriteString(escaped)
	}
	line.WriteString(`" `)
	if b.logRequestCode > 0 {
		line.WriteString(t.statusColor(b.logRequestCode))
	}
	line.WriteString(dashOrInt(b.logRequestCode))
	line.WriteByte(' ')
	line.WriteString(t.size)
	line.WriteString(dashOrInt(b.logRequestSize))
	line.WriteString(t.reset)
}

// LogDateTimeString returns the current local time as the log prefix shows
// it, "23/Nov/2026 19:05:35". It mirrors log_date_time_string.
func (b *BaseHandler) LogDateTimeString() string {
	return time.Now().Format("02/Jan/2006 15:04:05")
}

func dashOrInt(n int) string {
	if n <= 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// splitRequestForLog splits an escaped request line as Python's
// str.split(None, 2): at most twice, on runs of whitespace, leading
// whitespace dropped, the third part keeping its inner and trailing
// whitespace. After escaping, the only whitespace left is the space and
// U+00A0.
func splitRequestForLog(s string) (method, path, rest string, ok bool) {
	s = trimLogSpaceLeft(s)
	i := indexLogSpace(s)
	if i < 0 {
		return "", "", "", false
	}
	method, s = s[:i], trimLogSpaceLeft(s[i:])
	i = indexLogSpace(s)
	if i < 0 {
		return "", "", "", false
	}
	path, rest = s[:i], trimLogSpaceLeft(s[i:])
	if rest == "" {
		return "", "", "", false
	}
	return method, path, rest, true
}

func logSpaceAt(s string, i int) int {
	if s[i] == ' ' {
		return 1
	}
	if s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0 {
		return 2
	}
	return 0
}

func indexLogSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if logSpaceAt(s, i) > 0 {
			return i
		}
	}
	return -1
}

func trimLogSpaceLeft(s string) string {
	for len(s) > 0 {
		n := logSpaceAt(s, 0)
		if n == 0 {
			break
		}
		s = s[n:]
	}
	return s
}

// theme holds the ANSI codes of Python 3.15's http_server theme; every
// field is empty when colour is off.
type theme struct {
	err, path, serving, size, timestamp, url, reset       string
	informational, ok, redirect, clientError, serverError string
}

var (
	colorTheme = theme{
		err: "\x1b[33m", path: "\x1b[36m", serving: "\x1b[32m", size: "\x1b[90m",
		timestamp: "\x1b[90m", url: "\x1b[36m", reset: "\x1b[0m",
		informational: "\x1b[0m", ok: "\x1b[32m", redirect: "\x1b[96m",
		clientError: "\x1b[33m", serverError: "\x1b[31m",
	}
	plainTheme theme
)

func (t *theme) statusColor(code int) string {
	switch {
	case code >= 500:
		return t.serverError
	case code >= 400:
		return t.clientError
	case code >= 300:
		return t.redirect
	case code >= 200:
		return t.ok
	}
	return t.informational
}

func themeFor(w io.Writer) *theme {
	if CanColorize(w) {
		return &colorTheme
	}
	return &plainTheme
}

// CanColorize reports whether output to w should carry ANSI colours, by
// the rules of Python 3.15's _colorize.can_colorize: PYTHON_COLORS=0 → no,
// PYTHON_COLORS=1 → yes, a non-empty NO_COLOR → no, a non-empty
// FORCE_COLOR → yes, TERM=dumb → no, otherwise yes only when w is an
// *os.File that is a terminal. The environment is read on every call, as
// Python does.
func CanColorize(w io.Writer) bool {
	switch os.Getenv("PYTHON_COLORS") {
	case "0":
		return false
	case "1":
		return true
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	if os.Getenv("FORCE_COLOR") != "" {
		return true
	}
	if os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
