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

	"github.com/httpserver-go/httpserver/internal/pystr"
	"github.com/httpserver-go/httpserver/internal/wire"
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
// One BaseHandler serves one connection, one goroutine at a time (on a
// threading server, a connection that waits long between requests may
// go on with a new goroutine: see ThreadingHTTPServer); it is not safe
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
	//
	// Unlike Python's files, both are lent to the connection by pools: a
	// kept-alive connection gives them back while it waits idle between
	// requests, and HandleOneRequest sets both again when a request
	// arrives. Use h.Rfile and h.Wfile during a request; a copy kept
	// from an earlier one may serve another connection.
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
	c    *conn   // the connection's engine

	versionFor [2]string // ServerVersion and SysVersion behind version
	version    string

	inLogError bool // LogError is running: LogMessage colours its line as an error
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
	if b.c == nil {
		b.c = newConn(time.Now(), nil) // a handler run without a server
	}
	b.c.open(b.Conn, b.Server, b.Timeout)
	b.Rfile, b.Wfile = b.c.br, b.c.bw
}

// Finish flushes Wfile and releases the connection's buffers. It mirrors
// StreamRequestHandler.finish and runs even when a do-method panics.
func (b *BaseHandler) Finish() {
	if b.c != nil {
		b.c.release()
	}
	b.Rfile, b.Wfile = nil, nil
}

// Handle serves requests on the connection until one of them leaves
// CloseConnection true, as BaseHTTPRequestHandler.handle.
func (b *BaseHandler) Handle() {
	self := b.this()
	b.CloseConnection = true
	self.HandleOneRequest()
	for !b.CloseConnection && b.c.ioErr == nil && !b.c.parked {
		self.HandleOneRequest()
	}
}

// HandleOneRequest reads and answers one request, as
// BaseHTTPRequestHandler.handle_one_request: a request line longer than
// 65536 bytes gets 414; end of input closes the connection silently;
// otherwise ParseRequest, then the do-method through Do (501 when there is
// none), then everything written is flushed. A timeout anywhere in it logs
// "Request timed out" and closes the connection. (When Handle and
// HandleOneRequest are BaseHandler's own, the last bytes of a response on
// a kept-alive connection are flushed where the next call's wait for a
// request begins, which saves a system call; nothing runs in between.)
func (b *BaseHandler) HandleOneRequest() {
	self := b.this()
	c := b.c
	// While the connection waits, its buffers may go back to their pools:
	// the handler must not keep them.
	b.Rfile, b.Wfile = nil, nil
	waited := c.waitForRequest(b.Timeout)
	b.Rfile, b.Wfile = c.br, c.bw // both may be new after an idle wait
	switch waited {
	case waitParked:
		return
	case waitClosed:
		b.CloseConnection = true
		return
	case waitTimedOut:
		b.timedOut()
		return
	case waitFailed:
		b.endRequest() // settles the flush's error
		return
	}
	n, tooLong, err := c.readRequestLine()
	if tooLong {
		b.RequestLine, b.RequestVersion, b.Command = "", "", ""
		b.refuse(refusal{code: 414})
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
	c.startHead()
	b.Body = &c.body
	ok := self.ParseRequest()
	c.headRead()
	if ok {
		if m := b.Server.maxMethodLength(); m > 0 && len(b.Command) > m {
			self.SendError(501, "Unsupported method (longer than "+strconv.Itoa(m)+" bytes)")
		} else if !self.Do(b.Command) {
			self.SendError(501, "Unsupported method ("+pystr.Repr(b.Command)+")")
		}
	}
	if !b.CloseConnection && !c.finishBody() {
		b.CloseConnection = true
	}
	b.endRequest()
}

// endRequest flushes the response and settles the connection's fate after
// an I/O error: a timeout is logged, anything else is kept for the
// server's HandleError.
func (b *BaseHandler) endRequest() {
	err := b.c.endRequest(!b.CloseConnection)
	if err == nil {
		return
	}
	b.CloseConnection = true
	if isTimeout(err) {
		b.timedOut()
		return
	}
	b.c.ioErr = err
}

// refuse answers, through SendError, a request whose head or framing
// cannot be trusted, and closes the connection whatever SendError does
// (an override may leave out Connection: close): the bytes that follow
// may be the rest of this request, and must never be read as the next.
func (b *BaseHandler) refuse(r refusal) {
	switch {
	case r.explain != "":
		b.this().SendError(r.code, r.message, r.explain)
	case r.message != "":
		b.this().SendError(r.code, r.message)
	default:
		b.this().SendError(r.code)
	}
	b.CloseConnection = true
	b.c.errorSent = true // the close lingers over what the client still sends
}

func (b *BaseHandler) timedOut() {
	b.this().LogError("Request timed out: %s", "TimeoutError('timed out')")
	b.CloseConnection = true
	b.c.clearErrors()
}

// ParseRequest parses the request line and reads the headers, exactly as
// BaseHTTPRequestHandler.parse_request: it sets Command, Path,
// RequestVersion, Headers and CloseConnection and handles Expect:
// 100-continue. It reports false after answering a malformed request
// (400, 414, 431 or 505), and for an empty request line, which closes the
// connection without an answer.
func (b *BaseHandler) ParseRequest() bool {
	self := b.this()
	c := b.c
	b.Command = ""
	b.RequestVersion = b.defaultRequestVersion()
	b.CloseConnection = true
	b.Headers = Headers{}

	nwords := c.splitRequestLine()
	if nwords == 0 {
		b.RequestLine = string(c.requestLine())
		return false
	}
	if nwords >= 3 {
		version := c.word(2)
		major, minor, ok := wire.ParseHTTPVersion(version)
		if !ok {
			b.RequestLine = string(c.requestLine())
			b.RequestVersion = ""
			b.refuse(refusal{code: 400, message: "Bad request version (" + pystr.Repr(string(version)) + ")"})
			return false
		}
		c.http11 = major > 1 || (major == 1 && minor >= 1)
		if c.http11 && b.protocolVersion() >= "HTTP/1.1" {
			b.CloseConnection = false
		}
		if major >= 2 {
			b.RequestLine = string(c.requestLine())
			b.RequestVersion = string(version)
			b.refuse(refusal{code: 505, message: "Invalid HTTP version (" + string(version[len("HTTP/"):]) + ")"})
			return false
		}
	}
	if nwords > 3 || nwords == 1 {
		b.RequestLine = string(c.requestLine())
		b.RequestVersion = ""
		b.refuse(refusal{code: 400, message: "Bad request syntax (" + pystr.Repr(b.RequestLine) + ")"})
		return false
	}
	if nwords == 2 {
		b.CloseConnection = true
		b.RequestLine = string(c.requestLine())
		command := string(c.word(0))
		if command != "GET" {
			b.RequestVersion = ""
			b.refuse(refusal{code: 400, message: "Bad HTTP/0.9 request type (" + pystr.Repr(command) + ")"})
			return false
		}
		b.Command = command
		b.Path = collapseSlashes(string(c.word(1)))
		return true // HTTP/0.9: no headers are read
	}

	// A full request: read the header lines, then make one string of the
	// request line and headers and slice every field out of it.
	if r, ok := c.readHeaderLines(); !ok {
		b.setRequestFields(string(c.head[:c.lineTrim]))
		if r.code == 0 {
			b.CloseConnection = true
		} else {
			b.refuse(r)
		}
		return false
	}
	head := string(c.head)
	b.setRequestFields(head)
	b.Headers = c.headerFields(head)

	conntype := b.Headers.Get("Connection")
	if equalFoldASCII(conntype, "close") {
		b.CloseConnection = true
	} else if equalFoldASCII(conntype, "keep-alive") && b.protocolVersion() >= "HTTP/1.1" {
		b.CloseConnection = false
	}
	if r, ok := c.frameBody(&b.Headers); !ok {
		b.refuse(r)
		return false
	}
	if r, ok := c.checkHost(&b.Headers); !ok {
		b.refuse(r)
		return false
	}
	expect := equalFoldASCII(b.Headers.Get("Expect"), "100-continue")
	c.expectPending = expect && c.body.Mode() != wire.BodyNone
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
	w := &b.c.words
	b.RequestLine = s[:b.c.lineTrim]
	b.Command = s[w[0].start:w[0].end]
	b.Path = collapseSlashes(s[w[1].start:w[1].end])
	b.RequestVersion = s[w[2].start:w[2].end]
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
	b.c.errorSent = true
	self.LogError("code %d, message %s", code, message)
	self.SendResponse(code, message)
	self.SendHeader("Connection", "close")
	if f := b.c.addHead; f != nil {
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
	b.c.appendStatus(b.protocolVersion(), code, msg)
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
		b.c.appendHeader(keyword, value)
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
	// Eight bytes at a time: a byte of x is zero where v has the byte
	// looked for, and hasZero finds one (exactly: it reports a word with
	// no zero byte as such).
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(x uint64) bool { return (x-ones)&^x&highs != 0 }
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16 | uint64(v[i+3])<<24 |
			uint64(v[i+4])<<32 | uint64(v[i+5])<<40 | uint64(v[i+6])<<48 | uint64(v[i+7])<<56
		if hasZero(x) || hasZero(x^('\r'*ones)) || hasZero(x^('\n'*ones)) {
			return true
		}
	}
	for ; i < len(v); i++ {
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
	b.c.appendEnd()
	return b.this().FlushHeaders()
}

// FlushHeaders moves the header buffer to Wfile and empties it, as
// flush_headers. An interim (1xx) response is sent to the client at once,
// since the client waits for it; anything else leaves with the body.
func (b *BaseHandler) FlushHeaders() error {
	return b.c.flushHead(b.Wfile)
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

// dateCache holds the Date value of the current second, shared by all
// connections.
var dateCache atomic.Pointer[cachedDate]

func currentDate() string { return perSecond(&dateCache, time.UTC, dateLayout) }

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

// sendErrorWith answers SendError(code, text...) through the handler with
// header added to its head: the Content-Range of a 416 or the challenge of
// a 401, which SendError has no way to be given.
func (b *BaseHandler) sendErrorWith(header HeaderField, code int, text ...string) {
	b.c.addHead = &header
	b.this().SendError(code, text...)
	b.c.addHead = nil
}
