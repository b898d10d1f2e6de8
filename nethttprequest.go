package httpserver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"github.com/httpserver-go/httpserver/internal/wire"
	"golang.org/x/net/http/httpguts"
)

// netHTTPRequest is what NetHTTPHandler allocates for one request, in one
// piece: the request's context, its URL and its Body. A handler may keep
// them after the request; nothing in it is reused.
type netHTTPRequest struct {
	ctx  requestContext
	url  url.URL
	body requestBody
}

// newRequest makes the *http.Request net/http would make for the request
// ParseRequest accepted, or answers 400 and returns nil for a request
// net/http would refuse (a method that is not a token, a target that is
// not a URL).
func (h *NetHTTPHandler) newRequest() *http.Request {
	b := &h.BaseHandler
	c := b.c
	self := b.this()
	if !isToken(b.Command) {
		self.SendError(400, "Bad request method ("+pystr.Repr(b.Command)+")")
		return nil
	}
	target := c.requestTarget(b.RequestLine)
	st := &netHTTPRequest{}
	u, err := parseRequestTarget(&st.url, b.Command, target)
	if err != nil {
		self.SendError(400, "Bad request target ("+pystr.Repr(target)+")")
		return nil
	}
	if h.remoteAddr == "" && b.ClientAddress != nil {
		h.remoteAddr = b.ClientAddress.String()
		if b.Conn != nil {
			h.localAddr = b.Conn.LocalAddr()
		}
	}

	major, minor := protoVersion(b.RequestVersion)
	header, host, conntype := netHTTPHeader(&b.Headers)
	if u.Host != "" {
		host = u.Host // absolute-form: the target's host wins, RFC 9112 §3.2.2
	}
	length := c.bodyFraming()
	var body io.ReadCloser = http.NoBody
	var te []string
	if length != 0 {
		st.body = requestBody{h: h, st: st}
		body = &st.body
		if length < 0 {
			te = []string{"chunked"}
		}
	}
	var closeAfter, wants10KeepAlive bool
	switch {
	case major == 1 && minor == 0:
		wants10KeepAlive = hasToken(conntype, "keep-alive")
		closeAfter = !wants10KeepAlive
	case c.isHTTP11():
		closeAfter = hasToken(conntype, "close")
	default: // HTTP/0.9
		closeAfter = true
	}

	st.ctx.h = h
	st.ctx.localAddr = h.localAddr
	h.mu.Lock()
	h.cur = st
	h.ended, h.noWatch, h.watchWanted = false, false, false
	h.bodyDone = c.bodyDone()
	h.mu.Unlock()
	h.continueOK.Store(c.continuePending() && c.isHTTP11() && b.protocolVersion() >= "HTTP/1.1")

	// WithContext is the only way to give a request its context: the
	// request is made on the stack and copied once to the heap.
	t := http.Request{
		Method:           b.Command,
		URL:              u,
		Proto:            b.RequestVersion,
		ProtoMajor:       major,
		ProtoMinor:       minor,
		Header:           header,
		Body:             body,
		ContentLength:    length,
		TransferEncoding: te,
		Close:            closeAfter,
		Host:             host,
		RemoteAddr:       h.remoteAddr,
		RequestURI:       target,
		TLS:              b.TLS,
	}
	req := t.WithContext(&st.ctx)
	h.rw.start(h, req, closeAfter, wants10KeepAlive, length)
	return req
}

// isToken reports whether s is an RFC 9110 token, as net/http requires
// of a method and a header name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !httpguts.IsTokenRune(rune(s[i])) {
			return false
		}
	}
	return true
}

// protoVersion returns the numbers of an HTTP version ParseRequest
// accepted ("HTTP/0.9" for a request line without one).
func protoVersion(v string) (major, minor int) {
	switch v {
	case "HTTP/1.1":
		return 1, 1
	case "HTTP/1.0":
		return 1, 0
	}
	major, minor, ok := wire.ParseHTTPVersion([]byte(v))
	if !ok {
		return 0, 9
	}
	return major, minor
}

// pathSafe marks the bytes a request path may hold for url.ParseRequestURI
// to take it as it is: Path the same string, no RawPath.
var pathSafe = func() (t [256]bool) {
	for _, c := range []byte("$&+,-./0123456789:;=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~") {
		t[c] = true
	}
	return t
}()

// parseRequestTarget parses a request target as net/http does
// (url.ParseRequestURI; a CONNECT authority as a URL's Host). The common
// origin form whose path needs no unescaping is filled into u in place,
// without url's allocation.
func parseRequestTarget(u *url.URL, method, target string) (*url.URL, error) {
	if len(target) > 0 && target[0] == '/' {
		i := 0
		for i < len(target) && pathSafe[target[i]] {
			i++
		}
		switch {
		case i == len(target):
			u.Path = target
			return u, nil
		case target[i] == '?' && !hasCTL(target[i+1:]):
			u.Path = target[:i]
			if i == len(target)-1 {
				u.ForceQuery = true
			} else {
				u.RawQuery = target[i+1:]
			}
			return u, nil
		}
	}
	justAuthority := method == "CONNECT" && !strings.HasPrefix(target, "/")
	raw := target
	if justAuthority {
		raw = "http://" + target
	}
	pu, err := url.ParseRequestURI(raw)
	if err != nil {
		return nil, err
	}
	if justAuthority {
		pu.Scheme = ""
	}
	return pu, nil
}

// hasCTL reports whether s holds an ASCII control byte, which url refuses.
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// netHTTPHeader converts the request's headers to the http.Header
// net/http would make: keys canonicalised, values without surrounding
// whitespace, duplicates in order, Host and Transfer-Encoding taken out
// (the first Host is returned, as the Connection value), and Pragma:
// no-cache implying Cache-Control: no-cache. The values share one
// allocation.
func netHTTPHeader(hs *Headers) (header http.Header, host, conntype string) {
	fields := hs.fields
	n := 0
	for _, f := range fields {
		if !equalFoldASCII(f.Name, "Host") && !equalFoldASCII(f.Name, "Transfer-Encoding") {
			n++
		}
	}
	header = make(http.Header, n)
	var strs []string
	for _, f := range fields {
		key := textproto.CanonicalMIMEHeaderKey(f.Name)
		v := textproto.TrimString(f.Value)
		switch key {
		case "Host":
			if host == "" {
				host = v
			}
			continue
		case "Transfer-Encoding":
			continue
		case "Connection":
			if conntype == "" {
				conntype = v
			}
		}
		if vv, ok := header[key]; ok {
			header[key] = append(vv, v)
			continue
		}
		if strs == nil {
			strs = make([]string, n)
		}
		strs[0] = v
		header[key] = strs[:1:1]
		strs = strs[1:]
	}
	if pragma := header["Pragma"]; len(pragma) > 0 && pragma[0] == "no-cache" {
		if _, ok := header["Cache-Control"]; !ok {
			header["Cache-Control"] = []string{"no-cache"}
		}
	}
	return header, host, conntype
}

// hasToken reports whether the comma-separated list v holds token,
// compared case-insensitively.
func hasToken(v, token string) bool {
	return v != "" && httpguts.HeaderValuesContainsToken([]string{v}, token)
}

// requestBody is a request's Body: the engine's body reader, plus what
// net/http's gives a handler: reads after Close or after the request
// fail, the first read sends the 100 Continue a client asked for, and a
// read error (the client gone) cancels the request's context.
type requestBody struct {
	h      *NetHTTPHandler
	st     *netHTTPRequest
	closed bool // guarded by h.mu
}

func (rb *requestBody) Read(p []byte) (int, error) {
	return rb.h.readBody(rb.st, p, false)
}

// Close makes further reads fail; what is left unread is dealt with when
// the handler returns, as by net/http.
func (rb *requestBody) Close() error {
	rb.h.mu.Lock()
	rb.closed = true
	rb.h.mu.Unlock()
	return nil
}

// readBody reads the body of request st: for the handler through its
// Body, or (internal) for the adapter, which reads past a Close.
func (h *NetHTTPHandler) readBody(st *netHTTPRequest, p []byte, internal bool) (int, error) {
	h.mu.Lock()
	if h.cur != st || (st.body.closed && !internal) {
		h.mu.Unlock()
		return 0, http.ErrBodyReadAfterClose
	}
	h.mu.Unlock()
	if h.continueOK.Load() {
		h.sendContinue()
	}
	n, err := h.c.readBody(p)
	switch {
	case err == nil:
		if h.c.bodyDone() { // the last bytes: no io.EOF needs to follow
			h.bodyEnded(st)
		}
	case err == io.EOF:
		h.bodyEnded(st)
	case !errors.Is(err, ErrMalformedBody):
		st.ctx.cancel() // the client is gone, or too slow
	}
	return n, err
}

// sendContinue sends the 100 Continue the client waits for, unless a
// response has begun.
func (h *NetHTTPHandler) sendContinue() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.continueOK.Load() {
		h.continueOK.Store(false)
		h.c.sendContinue("HTTP/1.1")
	}
}

// noContinue stops a later body read from sending a 100 Continue, and
// waits for one being sent.
func (h *NetHTTPHandler) noContinue() {
	if h.continueOK.Load() {
		h.mu.Lock()
		h.continueOK.Store(false)
		h.mu.Unlock()
	}
}

// bodyEnded notes that request st's body has been read to its end: from
// now on nothing reads the connection until the handler returns, so the
// watch for a client that goes away can run.
func (h *NetHTTPHandler) bodyEnded(st *netHTTPRequest) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == st {
		h.bodyDone = true
		if h.watchWanted {
			h.startWatchLocked()
		}
	}
}

// wantWatch is called, from any goroutine, the first time the context
// of request st is asked for its Done channel: only then is a client
// that goes away worth watching for.
func (h *NetHTTPHandler) wantWatch(st *requestContext) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil || &h.cur.ctx != st {
		return
	}
	h.watchWanted = true
	if h.bodyDone {
		h.startWatchLocked()
	}
}

// startWatchLocked starts the watch if it can run. h.mu is held.
func (h *NetHTTPHandler) startWatchLocked() {
	if h.watching || h.ended || h.noWatch {
		return
	}
	if h.watchDone == nil {
		h.watchDone = make(chan error, 1)
	}
	ctx := &h.cur.ctx
	saved, ok := h.c.startWatch(h.watchDone, &h.watchStopped, ctx.cancel)
	if ok {
		h.watching, h.watchSaved = true, saved
	}
}

// stopWatchLocked stops the watch if it runs. h.mu is held.
func (h *NetHTTPHandler) stopWatchLocked() {
	if h.watching {
		h.c.stopWatch(h.watchDone, &h.watchStopped, h.watchSaved)
		h.watching = false
	}
}

// requestContext is a request's Context: cancelled when the client goes
// away (a failed read of the connection, seen by the body or by a watch
// started the first time Done is called), when the server closes the
// connection, and when ServeHTTP returns. It carries
// http.LocalAddrContextKey. Unlike a context.WithCancel, it starts no
// goroutine of its own and costs nothing until Done is called; contexts
// derived from it register through AfterFunc.
type requestContext struct {
	h         *NetHTTPHandler // set before the request starts, then immutable
	localAddr net.Addr

	mu     sync.Mutex
	done   chan struct{} // made by the first Done
	err    error
	afters []*afterFunc
}

type afterFunc struct {
	f     func()
	state uint8 // 0 waiting, 1 started, 2 stopped
}

var _ context.Context = (*requestContext)(nil)

// closedChan is the Done channel of a context cancelled before Done was
// first called.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (x *requestContext) Deadline() (time.Time, bool) { return time.Time{}, false }

func (x *requestContext) Done() <-chan struct{} {
	x.mu.Lock()
	first := x.done == nil
	if first {
		if x.err != nil {
			x.done = closedChan
		} else {
			x.done = make(chan struct{})
		}
	}
	d := x.done
	x.mu.Unlock()
	if first {
		x.h.wantWatch(x)
	}
	return d
}

func (x *requestContext) Err() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.err
}

func (x *requestContext) Value(key any) any {
	if key == http.LocalAddrContextKey {
		return x.localAddr
	}
	return nil
}

func (x *requestContext) String() string { return "httpserver.requestContext" }

// cancel cancels the context with context.Canceled; it may be called
// from any goroutine, more than once.
func (x *requestContext) cancel() {
	x.mu.Lock()
	if x.err != nil {
		x.mu.Unlock()
		return
	}
	x.err = context.Canceled
	if x.done == nil {
		x.done = closedChan
	} else {
		close(x.done)
	}
	afters := x.afters
	x.afters = nil
	for _, a := range afters {
		if a.state == 0 {
			a.state = 1
			go a.f()
		}
	}
	x.mu.Unlock()
}

// AfterFunc runs f in its own goroutine once the context is cancelled,
// as context.AfterFunc does; context.WithCancel and the others use it
// instead of a goroutine that waits on Done.
func (x *requestContext) AfterFunc(f func()) (stop func() bool) {
	x.Done() // a context derived from this one watches the client too
	x.mu.Lock()
	defer x.mu.Unlock()
	a := &afterFunc{f: f}
	if x.err != nil {
		a.state = 1
		go f()
	} else {
		x.afters = append(x.afters, a)
	}
	return func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		if a.state != 0 {
			return false
		}
		a.state = 2
		for i, b := range x.afters {
			if b == a {
				x.afters = append(x.afters[:i], x.afters[i+1:]...)
				break
			}
		}
		return true
	}
}
