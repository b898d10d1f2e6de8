package httpserver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// bufferBeforeChunking is how much of a body net/http's server holds
// before it sends the head: a handler that writes no more than this and
// returns gets a Content-Length.
const bufferBeforeChunking = 2048

// The header fields the head's writer may drop from what the handler
// set, in the sorted order they appear in.
const (
	cutConnection = iota
	cutContentLength
	cutContentType
	cutTransferEncoding
	numCuts
)

// netHTTPResponse is the http.ResponseWriter NetHTTPHandler gives its
// handler. It follows net/http's server: the head is written with the
// body's first 2048 bytes (or at Flush, or when the handler returns), so
// that it can carry a Content-Length and a sniffed Content-Type; the
// header is what the handler had set when the status was set.
//
// One per connection, reused for each request; owned by the connection's
// goroutine (like net/http's, it must not be used after ServeHTTP
// returns, nor from two goroutines at once).
type netHTTPResponse struct {
	h      *NetHTTPHandler
	c      *conn
	bw     *bufio.Writer
	header http.Header // reused: cleared for each request

	// The request, as the response depends on it.
	isHEAD, http11, http09 bool
	wants10KeepAlive       bool // HTTP/1.0 with Connection: keep-alive
	wantsClose             bool
	expectContinue         bool
	reqLength              int64 // the request body's, -1 chunked
	keepAlives             bool  // ProtocolVersion allows them

	status        int
	wroteHeader   bool // the final status is set
	committed     bool // the head is in bw
	chunking      bool
	handlerDone   bool
	hijacked      bool
	fullDuplex    bool
	closeAfter    bool
	contentLength int64 // declared or computed; -1 unknown
	written       int64

	pending []byte // body not yet passed on; cap bufferBeforeChunking

	// The header as the final status found it: its lines, sorted, and
	// what the head depends on.
	snap                     []byte
	cuts                     [numCuts]span
	fields                   []headerEntry // the header's entries, sorted
	hasDate, hasType, hasCL  bool
	hasConn, hasTrailers     bool
	badCL                    bool // a Content-Length that is not a length: dropped
	hasUpgrade, connUpgrade  bool // an Upgrade, and Connection naming it (a 101's switch)
	te, conntype, contentEnc string
	trailers                 []string
	head                     []byte
	scratch                  [20]byte
	savedWriteTimeout        time.Duration
	writeDeadline, readLimit bool
}

var (
	_ http.ResponseWriter = (*netHTTPResponse)(nil)
	_ http.Flusher        = (*netHTTPResponse)(nil)
	_ http.Hijacker       = (*netHTTPResponse)(nil)
	_ io.ReaderFrom       = (*netHTTPResponse)(nil)
	_ io.StringWriter     = (*netHTTPResponse)(nil)
)

// start prepares the writer for request req.
func (w *netHTTPResponse) start(h *NetHTTPHandler, req *http.Request, closeAfter, wants10KeepAlive bool, reqLength int64) {
	if w.header == nil {
		w.header = make(http.Header)
		w.pending = make([]byte, 0, bufferBeforeChunking)
	}
	c := h.c
	*w = netHTTPResponse{
		h: h, c: c, bw: c.bw, header: w.header,
		isHEAD:           req.Method == "HEAD",
		http11:           req.ProtoMajor >= 1 && (req.ProtoMajor > 1 || req.ProtoMinor >= 1),
		http09:           req.ProtoMajor == 0,
		wants10KeepAlive: wants10KeepAlive,
		wantsClose:       closeAfter,
		expectContinue:   c.continuePending(),
		reqLength:        reqLength,
		keepAlives:       h.protocolVersion() >= "HTTP/1.1",
		contentLength:    -1,
		pending:          w.pending[:0],
		snap:             w.snap[:0],
		fields:           w.fields[:0],
		head:             w.head[:0],
		trailers:         w.trailers[:0],
	}
}

// end lets go of the request and restores the deadlines the handler
// changed.
func (w *netHTTPResponse) end() {
	if w.writeDeadline {
		w.c.restoreWriteTimeout(w.savedWriteTimeout)
	}
	if w.readLimit {
		w.c.setReadDeadline(time.Time{})
	}
	clear(w.header)
	clear(w.fields)
	w.te, w.conntype, w.contentEnc = "", "", ""
}

// Header returns the header the response will carry; changes after
// WriteHeader (or the first Write) have no effect, except for trailers.
func (w *netHTTPResponse) Header() http.Header { return w.header }

// WriteHeader sets the status, as net/http's: a 1xx status (other than
// 101) is sent at once with the current header, the first other status
// is the response's (and is logged through LogRequest), any later call
// is logged as superfluous and ignored. A code outside 100-999 panics.
func (w *netHTTPResponse) WriteHeader(code int) {
	if w.hijacked {
		w.misuse("response.WriteHeader on hijacked connection")
		return
	}
	if w.wroteHeader {
		w.misuse("superfluous response.WriteHeader call")
		return
	}
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
	if code < 101 || code > 199 {
		w.h.noContinue()
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		w.writeInterim(code)
		return
	}
	w.wroteHeader = true
	w.status = code
	w.snapshot()
	w.h.this().LogRequest(code)
}

// misuse logs a call net/http's server would log, naming the handler's
// function that made it.
func (w *netHTTPResponse) misuse(what string) {
	caller := "?"
	if pc, file, line, ok := runtime.Caller(2); ok {
		if f := runtime.FuncForPC(pc); f != nil {
			caller = f.Name() + " (" + file[strings.LastIndexByte(file, '/')+1:] + ":" + strconv.Itoa(line) + ")"
		}
	}
	w.h.this().LogError("http: %s from %s", what, caller)
}

// mistake logs a header net/http's server would log as wrong.
func (w *netHTTPResponse) mistake(what string) {
	w.h.this().LogError("http: %s", what)
}

// writeInterim sends a 1xx response with the handler's current header
// (less Content-Length and Transfer-Encoding), as net/http does.
func (w *netHTTPResponse) writeInterim(code int) {
	if w.http09 {
		return
	}
	w.head = w.appendStatusLine(w.head[:0], code)
	w.head = w.appendHeader(w.head, true)
	w.head = append(w.head, '\r', '\n')
	w.bw.Write(w.head)
	w.bw.Flush()
	if code == http.StatusContinue {
		w.c.interimSent()
	}
}

// appendStatusLine appends net/http's status line for code.
func (w *netHTTPResponse) appendStatusLine(b []byte, code int) []byte {
	if w.http11 {
		b = append(b, "HTTP/1.1 "...)
	} else {
		b = append(b, "HTTP/1.0 "...)
	}
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	if text := http.StatusText(code); text != "" {
		b = append(b, text...)
	} else {
		b = append(b, "status code "...)
		b = strconv.AppendInt(b, int64(code), 10)
	}
	return append(b, '\r', '\n')
}

// appendHeader appends the handler's header lines sorted by name, as
// net/http's Header.Write: names that are not tokens left out, CR and LF
// in values made spaces, values trimmed, trailer keys (TrailerPrefix)
// left out. For an interim response it leaves out Content-Length and
// Transfer-Encoding; otherwise it records in w what the head depends on
// and where the fields it may drop are.
func (w *netHTTPResponse) appendHeader(b []byte, interim bool) []byte {
	fields := w.fields[:0]
	for k, vv := range w.header {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			if !interim {
				w.hasTrailers = true
			}
			continue
		}
		fields = append(fields, headerEntry{k, vv})
	}
	if len(fields) > 8 {
		slices.SortFunc(fields, func(a, b headerEntry) int { return strings.Compare(a.key, b.key) })
	} else {
		for i := 1; i < len(fields); i++ { // a handful of keys: insertion sort
			for j := i; j > 0 && fields[j].key < fields[j-1].key; j-- {
				fields[j], fields[j-1] = fields[j-1], fields[j]
			}
		}
	}
	w.fields = fields
	for _, f := range fields {
		k, vv := f.key, f.values
		cut := -1
		switch k {
		case "Connection":
			cut = cutConnection
		case "Content-Length":
			cut = cutContentLength
		case "Content-Type":
			cut = cutContentType
		case "Transfer-Encoding":
			cut = cutTransferEncoding
		}
		if interim {
			if cut == cutContentLength || cut == cutTransferEncoding {
				continue
			}
		} else {
			w.noteField(k, vv)
		}
		if !httpguts.ValidHeaderFieldName(k) {
			continue
		}
		start := len(b)
		for _, v := range vv {
			b = append(b, k...)
			b = append(b, ':', ' ')
			b = appendFieldValue(b, v)
			b = append(b, '\r', '\n')
		}
		if cut >= 0 && !interim {
			w.cuts[cut] = span{start, len(b)}
		}
	}
	return b
}

// headerEntry is one key of the handler's header and its values.
type headerEntry struct {
	key    string
	values []string
}

// noteField records what the head depends on of one header field.
func (w *netHTTPResponse) noteField(k string, vv []string) {
	first := ""
	if len(vv) > 0 {
		first = vv[0]
	}
	switch k {
	case "Date":
		w.hasDate = true
	case "Content-Type":
		w.hasType = true
	case "Content-Length":
		w.hasCL = true
		if first != "" {
			if n, err := strconv.ParseInt(first, 10, 64); err == nil && n >= 0 {
				w.contentLength = n
			} else {
				w.mistake("invalid Content-Length of " + strconv.Quote(first))
				w.hasCL = false
				w.badCL = true
			}
		}
	case "Connection":
		w.hasConn = true
		w.conntype = first
		w.connUpgrade = httpguts.HeaderValuesContainsToken(vv, "Upgrade")
	case "Transfer-Encoding":
		w.te = first
	case "Content-Encoding":
		w.contentEnc = first
	case "Upgrade":
		w.hasUpgrade = first != ""
	case "Trailer":
		w.hasTrailers = w.hasTrailers || len(vv) > 0
		for _, v := range vv {
			for name := range strings.SplitSeq(v, ",") {
				name = http.CanonicalHeaderKey(strings.TrimSpace(name))
				if name != "" && httpguts.ValidTrailerHeader(name) {
					w.trailers = append(w.trailers, name)
				}
			}
		}
	}
}

// appendFieldValue appends v trimmed of surrounding whitespace, with CR
// and LF made spaces.
func appendFieldValue(b []byte, v string) []byte {
	v = textproto.TrimString(v)
	if strings.IndexByte(v, '\r') < 0 && strings.IndexByte(v, '\n') < 0 {
		return append(b, v...)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return b
}

// snapshot records the header as the final status finds it.
func (w *netHTTPResponse) snapshot() {
	w.snap = w.appendHeader(w.snap[:0], false)
}

// commit writes the head to bw, deciding what net/http's server decides
// when it sends the head: p is the body's first chunk (all of it if the
// handler has returned), for the Content-Length and the sniffed type.
func (w *netHTTPResponse) commit(p []byte) {
	w.committed = true
	c := w.c
	code := w.status
	allowed := bodyAllowedForStatus(code)
	keepAlives := w.keepAlives && !c.serverDraining()
	hasTE := w.te != ""
	var drop [numCuts]bool
	drop[cutContentLength] = w.badCL

	setLength := int64(-1)
	if w.handlerDone && !w.hasTrailers && !hasTE && allowed && !w.hasCL && (!w.isHEAD || len(p) > 0) {
		w.contentLength = int64(len(p))
		setLength = w.contentLength
	}
	hasCL := w.contentLength != -1

	var setConn string
	if w.wants10KeepAlive && (w.isHEAD || hasCL || !allowed) {
		if !w.hasConn {
			setConn = "keep-alive"
		}
	} else if !w.http11 || w.wantsClose {
		w.closeAfter = true
	}
	if w.conntype == "close" || !keepAlives {
		w.closeAfter = true
	}
	// A client that asked for a 100 Continue it did not get may still
	// send the body, or not: the connection cannot be trusted.
	if w.expectContinue && !c.bodyDone() {
		w.closeAfter = true
	}
	// Read what is left of the body before answering, as net/http does
	// (unless EnableFullDuplex): clients that send the whole request
	// before reading could otherwise deadlock.
	if w.reqLength != 0 && !w.closeAfter && !w.fullDuplex {
		switch w.h.drainBody() {
		case drainFailed:
			w.closeAfter = true
		case drainTooBig:
			w.closeAfter = true
			drop[cutConnection] = true
			setConn = "close"
		}
	}

	var setType string
	if allowed {
		if w.contentEnc == "" && !w.hasType && !hasTE && len(p) > 0 {
			setType = http.DetectContentType(p)
		}
	} else {
		drop[cutContentLength], drop[cutTransferEncoding] = true, true
		if code == http.StatusNotModified {
			drop[cutContentType] = true
		}
	}
	if hasCL && hasTE && w.te != "identity" {
		w.mistake("WriteHeader called with both Transfer-Encoding of " + strconv.Quote(w.te) +
			" and a Content-Length of " + strconv.FormatInt(w.contentLength, 10))
		drop[cutContentLength] = true
		hasCL = false
		w.contentLength = -1
	}
	var setTE string
	switch {
	case w.isHEAD || !allowed || code == http.StatusNoContent, hasCL:
		drop[cutTransferEncoding] = true
	case w.http11:
		if hasTE && w.te == "identity" {
			w.closeAfter = true
			drop[cutTransferEncoding] = true
		} else {
			w.chunking = true
			setTE = "chunked"
			if hasTE && w.te == "chunked" {
				drop[cutTransferEncoding] = true
			}
		}
	default:
		w.closeAfter = true
		drop[cutTransferEncoding] = true
	}
	if w.chunking {
		drop[cutContentLength] = true
	}
	if w.http09 {
		return // no status line, no header
	}
	if w.closeAfter && (!keepAlives || !hasToken(w.conntype, "close")) && !(code == http.StatusSwitchingProtocols && w.hasUpgrade && w.connUpgrade) {
		drop[cutConnection] = true
		if w.http11 {
			setConn = "close"
		}
	}

	b := w.appendStatusLine(w.head[:0], code)
	from := 0
	for i, cut := range w.cuts {
		if drop[i] && cut.end > cut.start {
			b = append(b, w.snap[from:cut.start]...)
			from = cut.end
		}
	}
	b = append(b, w.snap[from:]...)
	if !w.hasDate {
		b = append(b, "Date: "...)
		b = append(b, currentDate()...)
		b = append(b, '\r', '\n')
	}
	if setLength >= 0 {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, setLength, 10)
		b = append(b, '\r', '\n')
	}
	for _, f := range [...]struct{ name, value string }{
		{"Content-Type", setType}, {"Connection", setConn}, {"Transfer-Encoding", setTE},
	} {
		if f.value != "" {
			b = append(b, f.name...)
			b = append(b, ':', ' ')
			b = append(b, f.value...)
			b = append(b, '\r', '\n')
		}
	}
	b = append(b, '\r', '\n')
	w.head = b
	w.bw.Write(b)
}

// bodyAllowedForStatus reports whether a response with this status may
// have a body: not 1xx, 204 or 304.
func bodyAllowedForStatus(code int) bool {
	return !(code >= 100 && code <= 199 || code == http.StatusNoContent || code == http.StatusNotModified)
}

// sink passes a piece of the body on, after the head: framed as a chunk
// when chunking, dropped for HEAD.
func (w *netHTTPResponse) sink(p []byte) error {
	if !w.committed {
		w.commit(p)
	}
	if w.isHEAD {
		return nil
	}
	if w.chunking {
		b := strconv.AppendInt(w.scratch[:0], int64(len(p)), 16)
		b = append(b, '\r', '\n')
		w.bw.Write(b)
	}
	_, err := w.bw.Write(p)
	if w.chunking {
		w.bw.WriteString("\r\n")
	}
	return err
}

// passPending passes on the body held back so far.
func (w *netHTTPResponse) passPending() error {
	if len(w.pending) == 0 {
		return nil
	}
	err := w.sink(w.pending)
	w.pending = w.pending[:0]
	return err
}

// beforeWrite checks a write of n bytes as net/http's response.write:
// implicit 200, no body for 1xx, 204 and 304, no more than the declared
// Content-Length.
func (w *netHTTPResponse) beforeWrite(n int) error {
	if w.hijacked {
		if n > 0 {
			w.misuse("response.Write on hijacked connection")
		}
		return http.ErrHijacked
	}
	w.h.noContinue()
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if n == 0 {
		return nil
	}
	if !bodyAllowedForStatus(w.status) {
		return http.ErrBodyNotAllowed
	}
	w.written += int64(n)
	if w.contentLength != -1 && w.written > w.contentLength {
		return http.ErrContentLength
	}
	return nil
}

// Write writes body bytes. Like net/http's server it holds up to 2048
// bytes before sending the head, and passes a larger write on whole.
func (w *netHTTPResponse) Write(p []byte) (int, error) {
	if err := w.beforeWrite(len(p)); err != nil || len(p) == 0 {
		return 0, err
	}
	return bufferBody(w, p, w.sink)
}

// WriteString is Write for a string. A string longer than the buffer is
// copied through it piece by piece, as net/http's server does (so the
// chunks are the same).
func (w *netHTTPResponse) WriteString(s string) (int, error) {
	if err := w.beforeWrite(len(s)); err != nil || len(s) == 0 {
		return 0, err
	}
	return bufferBody(w, s, nil)
}

// bufferBody adds p to the body held back, passing the held bytes on
// each time they fill the buffer, as a bufio.Writer of
// bufferBeforeChunking bytes would; with whole, a write that finds the
// buffer empty and does not fit goes to whole at once.
func bufferBody[S string | []byte](w *netHTTPResponse, p S, whole func(S) error) (int, error) {
	n := 0
	for len(p) > cap(w.pending)-len(w.pending) {
		if len(w.pending) == 0 && whole != nil {
			if err := whole(p); err != nil {
				return n, err
			}
			return n + len(p), nil
		}
		k := copy(w.pending[len(w.pending):cap(w.pending)], p)
		w.pending = w.pending[:cap(w.pending)]
		n, p = n+k, p[k:]
		if err := w.passPending(); err != nil {
			return n, err
		}
	}
	w.pending = append(w.pending, p...)
	return n + len(p), nil
}

// ReadFrom copies src to the body. When the head needs nothing from the
// body (the type and length are set) it is sent at once and src goes to
// the connection through its ReadFrom: sendfile for a file on plain TCP.
func (w *netHTTPResponse) ReadFrom(src io.Reader) (int64, error) {
	if err := w.beforeWrite(0); err != nil {
		return 0, err
	}
	direct := w.committed && !w.chunking ||
		!w.committed && w.contentLength != -1 && (w.hasType || w.contentEnc != "") && w.te == ""
	if !direct || w.isHEAD || w.http09 || !bodyAllowedForStatus(w.status) {
		buf := copyBufPool.Get().(*[]byte)
		defer copyBufPool.Put(buf)
		return io.CopyBuffer(writerOnly{w}, src, *buf)
	}
	if err := w.passPending(); err != nil {
		return 0, err
	}
	if !w.committed {
		w.commit(nil)
	}
	n, err := w.bw.ReadFrom(src)
	w.written += n
	return n, err
}

// Flush sends the head and the body written so far; see FlushError.
func (w *netHTTPResponse) Flush() { w.FlushError() }

// FlushError sends the head and the body written so far to the client,
// and reports a failure to; http.ResponseController uses it.
func (w *netHTTPResponse) FlushError() error {
	if w.hijacked {
		return http.ErrHijacked
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if err := w.passPending(); err != nil {
		return err
	}
	if !w.committed {
		w.commit(nil)
	}
	return w.bw.Flush()
}

// finish completes the response once the handler has returned: the head
// if it is not out yet (with the whole body known), the last chunk and
// the trailers.
func (w *netHTTPResponse) finish() {
	w.handlerDone = true
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	w.passPending()
	if !w.committed {
		w.commit(nil)
	}
	if w.chunking {
		w.bw.WriteString("0\r\n")
		if t := w.finalTrailers(); t != nil {
			t.Write(w.bw)
		}
		w.bw.WriteString("\r\n")
	}
	if !w.isHEAD && w.contentLength != -1 && bodyAllowedForStatus(w.status) && w.contentLength != w.written {
		w.closeAfter = true // too little was sent: the client would wait
	}
}

// finalTrailers returns the trailers the handler set: the fields it
// declared in Trailer, and those named with http.TrailerPrefix.
func (w *netHTTPResponse) finalTrailers() http.Header {
	var t http.Header
	for k, vv := range w.header {
		if name, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
			if t == nil {
				t = make(http.Header)
			}
			t[name] = vv
		}
	}
	for _, k := range w.trailers {
		for _, v := range w.header[k] {
			if t == nil {
				t = make(http.Header)
			}
			t.Add(k, v)
		}
	}
	return t
}

// Hijack hands the connection over to the handler, as net/http's: the
// head is sent first if the status was set. The server then leaves the
// connection alone; the request's context is still cancelled when
// ServeHTTP returns.
func (w *netHTTPResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, http.ErrHijacked
	}
	if w.wroteHeader {
		if err := w.passPending(); err != nil {
			return nil, nil, err
		}
		if !w.committed {
			w.commit(nil)
		}
	}
	h := w.h
	h.mu.Lock()
	h.stopWatchLocked()
	h.noWatch = true
	h.mu.Unlock()
	nc, rw, err := w.c.hijack()
	if err != nil {
		return nil, nil, err
	}
	w.hijacked = true
	return nc, rw, nil
}

// SetReadDeadline limits the reads of the request body that follow, for
// http.ResponseController.
func (w *netHTTPResponse) SetReadDeadline(t time.Time) error {
	if w.hijacked {
		return http.ErrHijacked
	}
	h := w.h
	h.mu.Lock()
	watching := h.watching
	h.stopWatchLocked()
	w.c.setReadDeadline(t)
	w.readLimit = true
	if watching {
		h.startWatchLocked()
	}
	h.mu.Unlock()
	return nil
}

// SetWriteDeadline limits the writes of the response that follow, in
// place of the server's WriteTimeout, for http.ResponseController.
func (w *netHTTPResponse) SetWriteDeadline(t time.Time) error {
	if w.hijacked {
		return http.ErrHijacked
	}
	saved, err := w.c.overrideWriteDeadline(t)
	if !w.writeDeadline {
		w.writeDeadline, w.savedWriteTimeout = true, saved
	}
	return err
}

// EnableFullDuplex lets the handler read the request body while it
// writes the response, for http.ResponseController: the rest of the body
// is then not read before the head is sent. (This server never stops a
// handler from reading its body.)
func (w *netHTTPResponse) EnableFullDuplex() error {
	w.fullDuplex = true
	return nil
}

// drainResult is how reading the rest of a body before the head ended.
type drainResult uint8

const (
	drained drainResult = iota
	drainTooBig
	drainFailed
)

// drainBody reads and drops what is left of the request body, up to
// maxDiscardedBody bytes.
func (h *NetHTTPHandler) drainBody() drainResult {
	if h.c.bodyDone() {
		return drained
	}
	h.mu.Lock()
	st := h.cur
	closed := st.body.closed
	h.mu.Unlock()
	if closed {
		return drainFailed // closed before its end: net/http closes too
	}
	r := bodyDrainer{h, st}
	_, err := io.CopyN(io.Discard, r, maxDiscardedBody+1)
	switch err {
	case nil:
		return drainTooBig
	case io.EOF:
		return drained
	}
	return drainFailed
}

// bodyDrainer reads a request's body for drainBody.
type bodyDrainer struct {
	h  *NetHTTPHandler
	st *netHTTPRequest
}

func (d bodyDrainer) Read(p []byte) (int, error) { return d.h.readBody(d.st, p, true) }
