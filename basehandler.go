package httpserver

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"
)

// BaseHandler is the base of every request handler, as Python's
// BaseHTTPRequestHandler: embed it in a struct, give the struct do-methods
// (DoGET, DoPOST, DoSPAM, ...) and run it on a server with Class or a
// HandlerClass closure.
//
//	type Hello struct{ httpserver.BaseHandler }
//
//	func (h *Hello) DoGET() {
//		h.SendResponse(200)
//		h.SendHeader("Content-Type", "text/plain")
//		h.SendHeader("Content-Length", "13")
//		h.EndHeaders()
//		h.Wfile.WriteString("Hello, world!")
//	}
//
// One BaseHandler serves one connection, on one goroutine; it is not safe
// for concurrent use. Its exported fields are Python's instance and class
// attributes. The class attributes' zero values mean Python's defaults, so
// a HandlerClass sets only what it changes.
type BaseHandler struct {
	// Class attributes: set by the HandlerClass, read during requests.

	// ServerVersion is the first word of the Server header; "" means
	// "BaseHTTP" (3.15 dropped the "/0.6"). SimpleHandler uses "SimpleHTTP".
	ServerVersion string
	// SysVersion follows ServerVersion in the Server header; "" means
	// "Go/" and the Go version, as Python's "Python/3.15.2".
	SysVersion string
	// ProtocolVersion is the version in every status line, whatever the
	// request said; "" means "HTTP/1.0". "HTTP/1.1" (or any string that
	// sorts at or after it) enables keep-alive.
	ProtocolVersion string
	// DefaultRequestVersion is the version assumed for a request line
	// without one; "" means "HTTP/0.9", under which responses carry no
	// status line or headers.
	DefaultRequestVersion string
	// ErrorMessageFormat is the error page template, with Python's
	// %(code)d, %(message)s and %(explain)s; "" means
	// DefaultErrorMessageFormat.
	ErrorMessageFormat string
	// ErrorContentType is the Content-Type of error pages; "" means
	// DefaultErrorContentType.
	ErrorContentType string
	// Timeout bounds every single read and write on the connection, as
	// StreamRequestHandler.timeout; 0 means none. When it expires the
	// handler logs "Request timed out" and closes the connection.
	Timeout time.Duration

	// Per connection: set by the server before Setup.

	// Server is the server that accepted the connection.
	Server *HTTPServer
	// ClientAddress is the peer's address, as client_address.
	ClientAddress net.Addr
	// Conn is the connection (Python's self.connection); a *tls.Conn on
	// the HTTPS servers.
	Conn net.Conn
	// TLS describes the connection's TLS session (negotiated version,
	// ALPN protocol, ...), or is nil on plain TCP.
	TLS *tls.ConnectionState
	// Rfile reads the raw bytes of the connection, as rfile. Setup makes
	// it.
	Rfile *bufio.Reader
	// Wfile writes to the connection, as wfile, but buffered: what is
	// written is sent when the do-method returns, or earlier with
	// Wfile.Flush() (for streaming). Setup makes it.
	Wfile *bufio.Writer

	// Per request: set by ParseRequest, valid until the next request.

	// CloseConnection, when true after a request, ends the connection.
	CloseConnection bool
	// RequestLine is the request line without its line ending.
	RequestLine string
	// Command is the method, Path the request target and RequestVersion
	// the version as sent ("" after a malformed request line).
	Command, Path, RequestVersion string
	// Headers are the request's header fields.
	Headers Headers
	// Body reads the request's body as its framing declares: the
	// Content-Length bytes, or the chunked body decoded (extensions and
	// trailers dropped), then io.EOF. It reads from Rfile, so a do-method
	// never reads into the next request; for a request without a body it
	// returns io.EOF at once. A malformed chunked body (bad size line, no
	// CRLF after a chunk, a size line over 4 KiB, a trailer section over
	// 16 KiB or malformed, too much framing for its data) gives an error
	// wrapping ErrMalformedBody after the data before the fault, and the
	// connection closes after the request. What the do-method leaves unread is read and dropped
	// after it returns (up to 256 KiB; a larger rest closes the
	// connection). Rfile stays available for raw access; reading a body
	// through it works for Content-Length, but after reading a chunked
	// body through it the connection closes.
	Body io.Reader

	self Handler // the outermost value: every hook is called through it

	cr connReader
	cw connWriter

	head     []byte       // the request line and header lines as read; reused
	lineLen  int          // length of the raw request line within head
	lineTrim int          // the same without its line ending
	words    [3]span      // first, second and last word of the request line
	lines    []headerLine // the header lines within head; reused

	hbuf    []byte   // status line and headers not yet flushed
	sent    []string // header names sent in the current response
	extra   bool     // SendHeader is sending an extra header (SimpleHandler)
	interim bool     // hbuf holds a 1xx status line

	logIsRequest, logIsError       bool
	logRequestCode, logRequestSize int

	versionFor [2]string // ServerVersion and SysVersion behind version
	version    string

	body          bodyReader // what Body reads through
	bodyStart     int64      // Rfile's position where the body begins
	expectPending bool       // Expect: 100-continue not yet answered by a 1xx
	http11        bool       // the request's version is 1.1 or later, by number
	connStart     time.Time  // when the connection was accepted

	errorHeaders []HeaderField // SendError sends them too: BasicAuth's challenge

	tc        *trackedConn // the server's record of this connection
	ioErr     error        // the connection failed: report and close
	served    int          // requests started on this connection
	errorSent bool         // the last response was SendError's
}

func (b *BaseHandler) baseHandler() *BaseHandler { return b }

// this returns the handler hooks are called on: the embedding value once
// the server has wired it, b itself before that.
func (b *BaseHandler) this() Handler {
	if b.self != nil {
		return b.self
	}
	return b
}

func (b *BaseHandler) protocolVersion() string {
	if b.ProtocolVersion == "" {
		return "HTTP/1.0"
	}
	return b.ProtocolVersion
}

func (b *BaseHandler) defaultRequestVersion() string {
	if b.DefaultRequestVersion == "" {
		return "HTTP/0.9"
	}
	return b.DefaultRequestVersion
}

// Setup makes Rfile and Wfile over Conn. It mirrors
// StreamRequestHandler.setup; an override must call b.BaseHandler.Setup().
func (b *BaseHandler) Setup() {
	b.cr = connReader{nc: b.Conn, timeout: b.Timeout}
	b.cw = connWriter{nc: b.Conn, timeout: shorter(b.Timeout, b.Server.writeTimeout())}
	b.Rfile = newReader(&b.cr)
	b.Wfile = newWriter(&b.cw)
}

// Finish flushes Wfile and releases the connection's buffers. It mirrors
// StreamRequestHandler.finish and runs even when a do-method panics.
func (b *BaseHandler) Finish() {
	if b.Wfile != nil {
		b.Wfile.Flush()
		putWriter(b.Wfile)
		b.Wfile = nil
	}
	if b.Rfile != nil {
		putReader(b.Rfile)
		b.Rfile = nil
	}
}

// Handle serves requests on the connection until one of them leaves
// CloseConnection true, as BaseHTTPRequestHandler.handle.
func (b *BaseHandler) Handle() {
	self := b.this()
	b.CloseConnection = true
	self.HandleOneRequest()
	for !b.CloseConnection && b.ioErr == nil {
		self.HandleOneRequest()
	}
}

// HandleOneRequest reads and answers one request, as
// BaseHTTPRequestHandler.handle_one_request: a request line longer than
// 65536 bytes gets 414; end of input closes the connection silently;
// otherwise ParseRequest, then the do-method through Do (501 when there is
// none), then everything written is flushed. A timeout anywhere in it logs
// "Request timed out" and closes the connection.
func (b *BaseHandler) HandleOneRequest() {
	self := b.this()
	b.head = b.head[:0]
	b.lineLen = 0
	b.errorSent = false
	if !b.waitForRequest() {
		return
	}
	n, tooLong, err := b.readLine(b.Server.lineLimit())
	b.served++
	b.tc.setActive()
	if tooLong {
		b.RequestLine, b.RequestVersion, b.Command = "", "", ""
		b.refuse(414)
		b.endRequest()
		return
	}
	if n == 0 || (err != nil && err != io.EOF) {
		// End of input, or a read error that cut the line short: Python's
		// readline raises rather than return a partial line.
		b.CloseConnection = true
		if err != nil && err != io.EOF && isTimeout(err) {
			b.timedOut()
		}
		return
	}
	b.lineLen = n
	b.body.reset(b.Rfile, bodyNone, 0)
	b.Body = &b.body
	b.expectPending = false
	ok := self.ParseRequest()
	b.cr.deadline = time.Time{} // the header timeout covers only the head
	if ok {
		if m := b.Server.maxMethodLength(); m > 0 && len(b.Command) > m {
			self.SendError(501, "Unsupported method (longer than "+strconv.Itoa(m)+" bytes)")
		} else if !self.Do(b.Command) {
			self.SendError(501, "Unsupported method ("+pyRepr(b.Command)+")")
		}
	}
	if !b.CloseConnection && !b.finishBody() {
		b.CloseConnection = true
	}
	b.endRequest()
}

// waitForRequest waits for the first byte of the next request and reports
// whether to read it: not at end of input, after a timeout, or when the
// server is shutting down and this connection would otherwise sit idle.
//
// While it waits, the connection holds no write buffer: Wfile goes back to
// a pool and comes back when the request begins, so an idle kept-alive
// connection costs little memory.
func (b *BaseHandler) waitForRequest() bool {
	if b.tc.setIdle() {
		b.CloseConnection = true
		return false
	}
	s := b.Server
	idle := b.served > 0
	var idleTimeout, headerTimeout time.Duration
	if s != nil {
		idleTimeout, headerTimeout = s.IdleTimeout, s.ReadHeaderTimeout
	}
	switch {
	case !idle && headerTimeout > 0:
		// The first request's head must arrive ReadHeaderTimeout after
		// the connection was accepted.
		b.cr.deadline = b.connStart.Add(headerTimeout)
	case idle && idleTimeout > 0:
		b.cr.deadline = time.Now().Add(idleTimeout)
	default:
		b.cr.deadline = time.Time{}
	}
	if b.Rfile.Buffered() == 0 {
		if b.Wfile != nil && b.Wfile.Buffered() == 0 {
			putWriter(b.Wfile)
			b.Wfile = nil
		}
		if _, err := b.Rfile.Peek(1); err != nil {
			// End of input, a closed connection, or a timeout. Python logs
			// its own timeout (Timeout) as "Request timed out"; the idle
			// timeout between requests ends the connection quietly.
			b.CloseConnection = true
			b.cr.err = nil
			if isTimeout(err) && (!idle || idleTimeout <= 0 || (b.Timeout > 0 && b.Timeout < idleTimeout)) {
				b.timedOut()
			}
			return false
		}
	}
	if b.Wfile == nil {
		b.Wfile = newWriter(&b.cw)
	}
	if idle {
		b.cr.deadline = time.Time{}
		if headerTimeout > 0 {
			b.cr.deadline = time.Now().Add(headerTimeout)
		}
	}
	if cap(b.head) > maxRetainedHead {
		b.head = nil // a huge request once should not pin its buffer
	}
	return true
}

// maxRetainedHead is the largest request-head buffer a connection keeps
// between requests.
const maxRetainedHead = 16 << 10

// endRequest flushes the response and settles the connection's fate after
// an I/O error: a timeout is logged, anything else is kept for the
// server's HandleError.
func (b *BaseHandler) endRequest() {
	if b.Wfile != nil {
		b.Wfile.Flush()
	}
	err := b.cw.err
	if err == nil {
		err = b.cr.err
	}
	if err == nil {
		return
	}
	b.CloseConnection = true
	if isTimeout(err) {
		b.timedOut()
		return
	}
	b.ioErr = err
}

// refuse answers, through SendError, a request whose head or framing
// cannot be trusted, and closes the connection whatever SendError does
// (an override may leave out Connection: close): the bytes that follow
// may be the rest of this request, and must never be read as the next.
func (b *BaseHandler) refuse(code int, text ...string) {
	b.this().SendError(code, text...)
	b.CloseConnection = true
	b.errorSent = true // the close lingers over what the client still sends
}

func (b *BaseHandler) timedOut() {
	b.this().LogError("Request timed out: %s", "TimeoutError('timed out')")
	b.CloseConnection = true
	b.ioErr = nil
	b.cr.err, b.cw.err = nil, nil
}

// ParseRequest parses the request line and reads the headers, exactly as
// BaseHTTPRequestHandler.parse_request: it sets Command, Path,
// RequestVersion, Headers and CloseConnection and handles Expect:
// 100-continue. It reports false after answering a malformed request
// (400, 414, 431 or 505), and for an empty request line, which closes the
// connection without an answer.
func (b *BaseHandler) ParseRequest() bool {
	self := b.this()
	b.Command = ""
	b.RequestVersion = b.defaultRequestVersion()
	b.CloseConnection = true
	b.Headers = Headers{}
	b.http11 = false

	line := b.head[:b.lineLen]
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	var words [3]span // first, second and last word
	nwords := 0
	for i := 0; i < len(line); {
		for i < len(line) && isPySpace(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && !isPySpace(line[i]) {
			i++
		}
		w := span{start, i}
		if nwords < 2 {
			words[nwords] = w
		}
		words[2] = w
		nwords++
	}
	if nwords == 0 {
		b.RequestLine = string(line)
		return false
	}
	if nwords >= 3 {
		version := line[words[2].start:words[2].end]
		major, minor, ok := parseHTTPVersion(version)
		if !ok {
			b.RequestLine = string(line)
			b.RequestVersion = ""
			b.refuse(400, "Bad request version ("+pyRepr(string(version))+")")
			return false
		}
		b.http11 = major > 1 || (major == 1 && minor >= 1)
		if b.http11 && b.protocolVersion() >= "HTTP/1.1" {
			b.CloseConnection = false
		}
		if major >= 2 {
			b.RequestLine = string(line)
			b.RequestVersion = b.RequestLine[words[2].start:words[2].end]
			b.refuse(505, "Invalid HTTP version ("+string(version[len("HTTP/"):])+")")
			return false
		}
	}
	if nwords > 3 {
		b.RequestLine = string(line)
		b.RequestVersion = ""
		b.refuse(400, "Bad request syntax ("+pyRepr(b.RequestLine)+")")
		return false
	}
	if nwords == 1 {
		b.RequestLine = string(line)
		b.RequestVersion = ""
		b.refuse(400, "Bad request syntax ("+pyRepr(b.RequestLine)+")")
		return false
	}
	if nwords == 2 {
		b.CloseConnection = true
		b.RequestLine = string(line)
		command := b.RequestLine[words[0].start:words[0].end]
		if command != "GET" {
			b.RequestVersion = ""
			b.refuse(400, "Bad HTTP/0.9 request type ("+pyRepr(command)+")")
			return false
		}
		b.Command = command
		b.Path = collapseSlashes(b.RequestLine[words[1].start:words[1].end])
		return true // HTTP/0.9: no headers are read
	}

	// A full request: read the header lines, then make one string of the
	// request line and headers and slice every field out of it.
	b.lineTrim = len(line)
	b.words = words
	if !b.readHeaderLines() {
		return false
	}
	head := string(b.head)
	b.setRequestFields(head)
	if len(b.lines) > 0 {
		fields := make([]HeaderField, len(b.lines))
		for i, l := range b.lines {
			fields[i] = HeaderField{head[l.start:l.nameEnd], head[l.valueStart:l.end]}
		}
		b.Headers = Headers{fields}
	}

	conntype := b.Headers.Get("Connection")
	if equalFoldASCII(conntype, "close") {
		b.CloseConnection = true
	} else if equalFoldASCII(conntype, "keep-alive") && b.protocolVersion() >= "HTTP/1.1" {
		b.CloseConnection = false
	}
	b.bodyStart = b.cr.n - int64(b.Rfile.Buffered())
	if !b.checkFraming() {
		return false
	}
	expect := equalFoldASCII(b.Headers.Get("Expect"), "100-continue")
	b.expectPending = expect && b.body.mode != bodyNone
	if expect && b.protocolVersion() >= "HTTP/1.1" && b.RequestVersion >= "HTTP/1.1" {
		if !self.HandleExpect100() {
			return false
		}
	}
	return true
}

// setRequestFields sets RequestLine, Command, Path and RequestVersion of a
// three-word request line as substrings of s, which starts with the raw
// request line.
func (b *BaseHandler) setRequestFields(s string) {
	b.RequestLine = s[:b.lineTrim]
	b.Command = s[b.words[0].start:b.words[0].end]
	b.Path = collapseSlashes(s[b.words[1].start:b.words[1].end])
	b.RequestVersion = s[b.words[2].start:b.words[2].end]
}

type span struct{ start, end int }

// headerLine locates one header line within b.head.
type headerLine struct{ start, nameEnd, valueStart, end int }

// maxHeaders is the most header lines Python 3.15 accepts
// (http.client._MAXHEADERS).
const maxHeaders = 100

// readHeaderLines reads the header lines up to the blank line (or end of
// input) into b.lines, then checks each. On failure it has answered (431
// or 400) or met an I/O error, and returns false.
func (b *BaseHandler) readHeaderLines() bool {
	b.lines = b.lines[:0]
	for {
		start := len(b.head)
		limit, budget := maxLineLength, false
		if m := b.Server.maxHeaderBytes(); m > 0 && m-start < limit {
			limit, budget = max(m-start, 0), true
		}
		n, tooLong, err := b.readLine(limit)
		if tooLong {
			b.setRequestFields(string(b.head[:b.lineTrim]))
			if budget {
				b.refuse(431, "Headers too large",
					"got more than "+strconv.Itoa(b.Server.maxHeaderBytes())+" bytes of request line and headers")
			} else {
				b.refuse(431, "Line too long", "got more than 65536 bytes when reading header line")
			}
			return false
		}
		if err != nil && err != io.EOF {
			b.setRequestFields(string(b.head[:b.lineTrim]))
			b.CloseConnection = true
			return false
		}
		l := b.head[start:]
		if n == 0 || (n == 1 && l[0] == '\n') || (n == 2 && l[0] == '\r' && l[1] == '\n') {
			break
		}
		b.lines = append(b.lines, headerLine{start: start, end: start + n})
		if len(b.lines) > maxHeaders {
			b.setRequestFields(string(b.head[:b.lineTrim]))
			b.refuse(431, "Too many headers", "got more than 100 headers")
			return false
		}
		if err == io.EOF {
			break
		}
	}
	for i := range b.lines {
		l := &b.lines[i]
		body := trimLineEnding(b.head[l.start:l.end])
		nameEnd, valueStart, why := splitHeaderLine(body)
		if why != headerOK {
			b.setRequestFields(string(b.head[:b.lineTrim]))
			b.refuse(400, "Bad header line ("+pyRepr(string(body))+")")
			return false
		}
		l.nameEnd, l.valueStart, l.end = l.start+nameEnd, l.start+valueStart, l.start+len(body)
	}
	return true
}

// trimLineEnding removes one trailing "\r\n" or "\n".
func trimLineEnding(l []byte) []byte {
	if n := len(l); n > 0 && l[n-1] == '\n' {
		l = l[:n-1]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
	}
	return l
}

// isPySpace reports whether c, read as an ISO-8859-1 character, is
// whitespace to Python's str.split().
func isPySpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0:
		return true
	}
	return false
}

// parseHTTPVersion checks a version token as parse_request does: "HTTP/",
// then exactly two dot-separated runs of 1 to 10 ASCII digits (leading
// zeros allowed).
func parseHTTPVersion(v []byte) (major, minor int, ok bool) {
	const prefix = "HTTP/"
	if len(v) < len(prefix) || string(v[:len(prefix)]) != prefix {
		return 0, 0, false
	}
	rest := v[len(prefix):]
	dot := -1
	for i, c := range rest {
		if c == '.' {
			if dot >= 0 {
				return 0, 0, false
			}
			dot = i
		}
	}
	if dot < 0 {
		return 0, 0, false
	}
	major, ok1 := parseDigits(rest[:dot])
	minor, ok2 := parseDigits(rest[dot+1:])
	return major, minor, ok1 && ok2
}

func parseDigits(d []byte) (int, bool) {
	if len(d) == 0 || len(d) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// collapseSlashes replaces a leading run of slashes by one, as
// parse_request does against open redirects (gh-87389).
func collapseSlashes(p string) string {
	if len(p) < 2 || p[0] != '/' || p[1] != '/' {
		return p
	}
	i := 0
	for i < len(p) && p[i] == '/' {
		i++
	}
	return p[i-1:]
}

// HandleExpect100 answers "Expect: 100-continue" before the do-method
// runs, as handle_expect_100: it sends "<ProtocolVersion> 100 Continue" at
// once and reports true. Override it to refuse (send an error, such as
// SendError(417), and report false: the do-method is then not called).
func (b *BaseHandler) HandleExpect100() bool {
	self := b.this()
	self.SendResponseOnly(100)
	self.EndHeaders()
	return true
}

// SendError sends and logs an error response, as send_error(code,
// message, explain): text[0] is the message (default: the code's phrase)
// and the reason phrase of the status line, text[1] the explanation
// (default: the code's description). The response carries Connection:
// close and, except for 1xx, 204, 205 and 304, the HTML page of
// ErrorMessageFormat with Content-Type and Content-Length; the page itself
// is not sent for HEAD.
func (b *BaseHandler) SendError(code int, text ...string) {
	self := b.this()
	message, explain := "???", "???"
	if info, ok := lookupStatus(code); ok {
		message, explain = info.phrase, info.explain
	}
	if len(text) > 0 {
		message = text[0]
	}
	if len(text) > 1 {
		explain = text[1]
	}
	b.errorSent = true
	self.LogError("code %d, message %s", code, message)
	self.SendResponse(code, message)
	self.SendHeader("Connection", "close")
	for _, f := range b.errorHeaders {
		self.SendHeader(f.Name, f.Value)
	}
	var body string
	if code >= 200 && code != 204 && code != 205 && code != 304 {
		format := b.ErrorMessageFormat
		if format == "" {
			format = DefaultErrorMessageFormat
		}
		body = formatErrorPage(format, code, escapeHTML(message), escapeHTML(explain))
		contentType := b.ErrorContentType
		if contentType == "" {
			contentType = DefaultErrorContentType
		}
		self.SendHeader("Content-Type", contentType)
		self.SendHeader("Content-Length", strconv.Itoa(len(body)))
	}
	self.EndHeaders()
	if b.Command != "HEAD" && body != "" {
		b.Wfile.WriteString(body)
	}
}

// SendResponse logs the request with LogRequest, then adds the status line
// and the Server and Date headers to the header buffer, as
// send_response(code, message). message[0], if given, replaces the code's
// phrase in the status line.
func (b *BaseHandler) SendResponse(code int, message ...string) {
	self := b.this()
	self.LogRequest(code)
	self.SendResponseOnly(code, message...)
	self.SendHeader("Server", self.VersionString())
	self.SendHeader("Date", self.DateTimeString(time.Time{}))
}

// SendResponseOnly adds "<ProtocolVersion> <code> <message>\r\n" to the
// header buffer, as send_response_only: message defaults to the code's
// phrase ("" for a code Python does not know, leaving a trailing space).
// Nothing is added for an HTTP/0.9 request. CR, LF and NUL in message
// become spaces, so a message cannot split the response.
func (b *BaseHandler) SendResponseOnly(code int, message ...string) {
	if b.RequestVersion == "HTTP/0.9" {
		return
	}
	var msg string
	if len(message) > 0 {
		msg = message[0]
	} else {
		msg = StatusPhrase(code)
	}
	b.hbuf = append(b.hbuf, b.protocolVersion()...)
	b.hbuf = append(b.hbuf, ' ')
	b.hbuf = strconv.AppendInt(b.hbuf, int64(code), 10)
	b.hbuf = append(b.hbuf, ' ')
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c == '\r' || c == '\n' || c == 0 {
			c = ' '
		}
		b.hbuf = append(b.hbuf, c)
	}
	b.hbuf = append(b.hbuf, '\r', '\n')
	b.interim = code >= 100 && code < 200
}

// SendHeader adds "keyword: value\r\n" to the header buffer, as
// send_header (nothing is added for an HTTP/0.9 request). A Connection
// header of close or keep-alive also sets CloseConnection, even for
// HTTP/0.9. Unlike Python, a keyword that is not an HTTP token or a value
// holding CR, LF or NUL is refused with an error wrapping
// ErrInvalidHeader, and nothing is added.
func (b *BaseHandler) SendHeader(keyword, value string) error {
	if !httpguts.ValidHeaderFieldName(keyword) || splitsResponse(value) {
		return &HeaderError{Name: keyword, Value: value}
	}
	if b.RequestVersion != "HTTP/0.9" {
		b.hbuf = append(b.hbuf, keyword...)
		b.hbuf = append(b.hbuf, ':', ' ')
		b.hbuf = append(b.hbuf, value...)
		b.hbuf = append(b.hbuf, '\r', '\n')
		if !b.extra {
			b.sent = append(b.sent, keyword)
		}
	}
	if equalFoldASCII(keyword, "connection") {
		if equalFoldASCII(value, "close") {
			b.CloseConnection = true
		} else if equalFoldASCII(value, "keep-alive") {
			b.CloseConnection = false
		}
	}
	return nil
}

// splitsResponse reports whether v holds CR, LF or NUL, the bytes that
// would end a header line or confuse a client.
func splitsResponse(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '\r' || c == '\n' || c == 0 {
			return true
		}
	}
	return false
}

// EndHeaders adds the blank line that ends the headers and calls
// FlushHeaders, as end_headers (nothing for an HTTP/0.9 request).
func (b *BaseHandler) EndHeaders() error {
	if b.RequestVersion == "HTTP/0.9" {
		return nil
	}
	b.hbuf = append(b.hbuf, '\r', '\n')
	return b.this().FlushHeaders()
}

// FlushHeaders moves the header buffer to Wfile and empties it, as
// flush_headers. An interim (1xx) response is sent to the client at once,
// since the client waits for it; anything else leaves with the body.
func (b *BaseHandler) FlushHeaders() error {
	b.sent = b.sent[:0]
	if len(b.hbuf) == 0 {
		return nil
	}
	_, err := b.Wfile.Write(b.hbuf)
	b.hbuf = b.hbuf[:0]
	if b.interim {
		b.interim = false
		b.expectPending = false
		if err == nil {
			err = b.Wfile.Flush()
		}
	}
	return err
}

// sentHeader reports whether a header named name went into the current
// response's buffer by the normal path (not as an extra header).
func (b *BaseHandler) sentHeader(name string) bool {
	for _, s := range b.sent {
		if equalFoldASCII(s, name) {
			return true
		}
	}
	return false
}

// VersionString returns the Server header's value, ServerVersion and
// SysVersion joined by a space, as version_string.
func (b *BaseHandler) VersionString() string {
	if b.version == "" || b.versionFor != [2]string{b.ServerVersion, b.SysVersion} {
		server, sys := b.ServerVersion, b.SysVersion
		if server == "" {
			server = "BaseHTTP"
		}
		if sys == "" {
			sys = defaultSysVersion()
		}
		b.version = server + " " + sys
		b.versionFor = [2]string{b.ServerVersion, b.SysVersion}
	}
	return b.version
}

// defaultSysVersion is "Go/" and the Go version ("Go/1.26.8"), as Python's
// sys_version is "Python/" and the first word of sys.version.
func defaultSysVersion() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.IndexByte(v, ' '); i >= 0 {
		v = v[:i]
	}
	return "Go/" + v
}

// DateTimeString formats t for a header in IMF-fixdate form, "Sun, 06 Nov
// 1994 08:49:37 GMT"; the zero time means now. It mirrors
// date_time_string.
func (b *BaseHandler) DateTimeString(t time.Time) string {
	if t.IsZero() {
		return currentDate()
	}
	return t.UTC().Format(dateLayout)
}

const dateLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

type cachedDate struct {
	unix int64
	text string
}

// dateCache holds the Date value of the current second, shared by all
// connections.
var dateCache atomic.Pointer[cachedDate]

func currentDate() string {
	now := time.Now()
	sec := now.Unix()
	if c := dateCache.Load(); c != nil && c.unix == sec {
		return c.text
	}
	c := &cachedDate{sec, now.UTC().Format(dateLayout)}
	dateCache.Store(c)
	return c.text
}

// AddressString returns the client's host, as address_string returns
// client_address[0]: "127.0.0.1", or "::ffff:127.0.0.1" for an IPv4 peer
// of a dual-stack IPv6 server, as Python shows it.
func (b *BaseHandler) AddressString() string {
	return hostOf(b.ClientAddress, b.Server)
}

func hostOf(addr net.Addr, s *HTTPServer) string {
	switch a := addr.(type) {
	case nil:
		return ""
	case *net.TCPAddr:
		if ip4 := a.IP.To4(); ip4 != nil && s != nil && s.ipv6 {
			return "::ffff:" + ip4.String()
		}
		if a.Zone != "" {
			return a.IP.String() + "%" + a.Zone
		}
		return a.IP.String()
	default:
		return a.String()
	}
}

// toUTF8 returns s unchanged if it is valid UTF-8, and otherwise with
// each byte that is not part of a valid sequence replaced by the UTF-8
// form of that ISO-8859-1 character: what Python's str.encode('utf-8')
// gives for request text it decoded as ISO-8859-1.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(rune(s[i]))
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// mayHaveUnread reports whether the client may have sent bytes this
// handler did not read: closing with them unread makes the kernel reset
// the connection, which can destroy a response the client has not read.
func (b *BaseHandler) mayHaveUnread() bool {
	return b.Rfile != nil && b.Rfile.Buffered() > 0 || b.errorSent ||
		b.body.mode != bodyNone && !b.body.done
}
