package httpserver

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// RequestLogFormat is the format LogRequest passes to LogMessage, with the
// request line, the code and the size as its three string arguments.
// LogMessage recognises a request entry by it.
const RequestLogFormat = `"%s" %s %s`

// LogRequest logs an accepted request; SendResponse calls it with the
// status code. A code of zero or less logs as "-", as does an omitted or
// negative size. It mirrors BaseHTTPRequestHandler.log_request(code, size)
// and, like it, passes the line to LogMessage through the handler, as
// LogMessage(RequestLogFormat, RequestLine, code, size).
func (b *BaseHandler) LogRequest(code int, size ...int) {
	sz := -1
	if len(size) > 0 {
		sz = size[0]
	}
	b.this().LogMessage(RequestLogFormat, b.RequestLine, dashOrInt(code), dashOrInt(sz))
}

// LogError logs an error; SendError calls it before the response. It mirrors
// BaseHTTPRequestHandler.log_error and passes the message to LogMessage
// through the handler; the base LogMessage colours what it logs during
// the call as an error when colour is on.
func (b *BaseHandler) LogError(format string, args ...any) {
	outer := b.inLogError
	b.inLogError = true
	defer func() { b.inLogError = outer }()
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
// What it logs depends only on its arguments and on whether LogError is
// running: a request entry is recognised by its format, RequestLogFormat
// with three arguments, and laid out from them as Python 3.15 does (the
// escaped request line split at most twice on whitespace and re-joined
// with single spaces when that gives three parts), so an override that
// rewrites the arguments and forwards them changes what is logged.
// Python's log_message instead reads flags that log_request and log_error
// leave behind, so that an override that does not forward a call changes
// how the next one is logged; this one does not.
//
// Colour follows Python 3.15: on when PYTHON_COLORS=1 or FORCE_COLOR is set,
// off when PYTHON_COLORS=0, NO_COLOR is set or TERM=dumb, otherwise on when
// Stderr is a terminal.
func (b *BaseHandler) LogMessage(format string, args ...any) {
	w, lw := b.Server.stderr()
	t := themeFor(w)
	var line strings.Builder
	line.Grow(len(format) + 64)
	line.WriteString(t.timestamp)
	self := b.this()
	line.WriteString(self.AddressString())
	line.WriteString(" - - [")
	line.WriteString(self.LogDateTimeString())
	line.WriteString("]")
	line.WriteString(t.reset)
	line.WriteByte(' ')
	switch {
	case format == RequestLogFormat && len(args) == 3:
		writeRequestEntry(&line, t, argString(args[0]), argString(args[1]), argString(args[2]))
	case b.inLogError:
		line.WriteString(t.err)
		pystr.WriteEscaped(&line, formatMessage(format, args))
		line.WriteString(t.reset)
	default:
		pystr.WriteEscaped(&line, formatMessage(format, args))
	}
	line.WriteByte('\n')
	lw.write(w, line.String())
}

// writeRequestEntry writes the request part of a LogRequest line as Python
// 3.15's _colorize_request: the escaped request line split at most twice on
// whitespace, re-joined with single spaces when that gives three parts,
// then the code (coloured by its class when it is a number) and size.
func writeRequestEntry(line *strings.Builder, t *theme, requestLine, code, size string) {
	var rl strings.Builder
	pystr.WriteEscaped(&rl, requestLine)
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
	if n, err := strconv.Atoi(code); err == nil {
		line.WriteString(t.statusColor(n))
	}
	pystr.WriteEscaped(line, code)
	line.WriteByte(' ')
	line.WriteString(t.size)
	pystr.WriteEscaped(line, size)
	line.WriteString(t.reset)
}

// formatMessage is format % args: format itself when there are no args.
func formatMessage(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// LogDateTimeString returns the current local time as the log prefix shows
// it, "23/Nov/2026 19:05:35". It mirrors log_date_time_string.
func (b *BaseHandler) LogDateTimeString() string {
	return perSecond(&logDateCache, time.Local, "02/Jan/2006 15:04:05")
}

// logDateCache holds the log prefix's time of the current second.
var logDateCache atomic.Pointer[cachedDate]

// argString is a log argument as %s formats it; a string as it is.
func argString(a any) string {
	if s, ok := a.(string); ok {
		return s
	}
	return fmt.Sprint(a)
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
