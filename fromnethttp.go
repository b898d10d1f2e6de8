package httpserver

import (
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// FromNetHTTP returns the HandlerClass that serves every request, whatever
// its method, with the net/http handler h: a ServeMux, http.FileServer,
// middleware. A nil h means http.DefaultServeMux, as for http.Server.
//
//	mux := http.NewServeMux()
//	mux.HandleFunc("GET /hello/{name}", hello)
//	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:8000", httpserver.FromNetHTTP(mux))
//
// Each connection gets a NetHTTPHandler; see it for what the handler
// receives and what goes over the wire.
func FromNetHTTP(h http.Handler) HandlerClass {
	return func() Handler { return &NetHTTPHandler{Handler: h} }
}

// NetHTTPHandler runs a net/http handler on this package's servers; it is
// what FromNetHTTP's class makes. Embed it to override hooks, as with any
// handler: LogRequest to turn the access log off or send it elsewhere,
// HandleExpect100 to refuse uploads before they start.
//
// The request is read and checked by BaseHandler (ParseRequest and the
// server's limits), then given to Handler as the *http.Request net/http
// would make: Method, URL and RequestURI from the request target (origin,
// absolute, authority or asterisk form), Proto, Header (keys canonicalised,
// duplicates kept, Host moved to Host), ContentLength, TransferEncoding,
// Body, Close, RemoteAddr, TLS, and a Context cancelled when the client
// goes away, when the server closes the connection (ShutdownContext
// giving up), or when ServeHTTP returns. A method that is not a token and a
// target that is not a URL get 400, as from net/http.
//
// The http.ResponseWriter follows net/http's rules, so a handler's
// response is the one net/http's server sends, byte for byte but for the
// Date: the status line names the request's version (HTTP/1.1 or
// HTTP/1.0) with net/http's reason phrase, the handler's headers follow
// sorted by name, then Date (unless the handler set one, even to nil),
// Content-Length when the handler set none and its whole output (up to
// 2048 bytes) was written when it returned, Content-Type from
// http.DetectContentType when none was set, and the framing net/http
// chooses: chunked on HTTP/1.1, close-delimited on HTTP/1.0. No Server
// header is added. WriteHeader sends 1xx responses at once. The writer
// implements http.Flusher, http.Hijacker, io.ReaderFrom (a file goes out
// with sendfile) and, for http.ResponseController, SetReadDeadline,
// SetWriteDeadline and EnableFullDuplex. Expect: 100-continue is answered
// when the handler first reads Body, as by net/http.
//
// Beside net/http's rules: each response is logged through LogRequest
// when its status is set, as SendResponse logs; the keep-alive rules are
// net/http's, with ProtocolVersion "" meaning "HTTP/1.1" (set "HTTP/1.0"
// to close every connection after one response); an HTTP/0.9 request is
// served too, its response sent without a status line or headers; and a
// panic in the handler is reported to the server's HandleError as a
// do-method's (the connection closes), except http.ErrAbortHandler, which
// only closes the connection. A hijacked connection is the handler's: the
// server neither closes it nor counts it once the handler returns.
//
// Request trailers are read and dropped; Request.Trailer is nil.
type NetHTTPHandler struct {
	BaseHandler

	// Handler serves every request; nil means http.DefaultServeMux.
	Handler http.Handler

	// Per connection, owned by its goroutine.
	rw         netHTTPResponse
	remoteAddr string // ClientAddress.String()
	localAddr  net.Addr

	// The request in progress, shared with its Body and Context, which
	// the handler may use from other goroutines. Guarded by mu.
	mu          sync.Mutex
	cur         *netHTTPRequest
	ended       bool // ServeHTTP returned
	bodyDone    bool // nothing more to read of the body
	noWatch     bool // hijacked: nothing may read the connection
	watchWanted bool // the context's Done has been called
	watching    bool
	watchSaved  watchSaved
	watchDone   chan error  // the watch's read ends; made once
	continueOK  atomic.Bool // a 100 Continue may still be sent
	// watchStopped tells the watch's goroutine that its read was ended
	// on purpose.
	watchStopped atomic.Bool
}

var _ Handler = (*NetHTTPHandler)(nil)

// Setup makes ProtocolVersion "HTTP/1.1" when it is unset, then calls
// BaseHandler.Setup. An override must call h.NetHTTPHandler.Setup().
func (h *NetHTTPHandler) Setup() {
	if h.ProtocolVersion == "" {
		h.ProtocolVersion = "HTTP/1.1"
	}
	h.BaseHandler.Setup()
}

// HandleExpect100 accepts the request without sending anything: the 100
// Continue goes out when the handler first reads the body, as net/http
// does it, so a handler that refuses the request never receives it.
// Override it to refuse before the handler runs (send an error and report
// false), as BaseHandler.HandleExpect100.
func (h *NetHTTPHandler) HandleExpect100() bool { return true }

// Do serves the request with Handler, whatever the command: every method
// has a "do-method".
func (h *NetHTTPHandler) Do(command string) bool {
	if req := h.newRequest(); req != nil {
		h.serve(req)
	}
	return true
}

// serve runs the handler and ends the request, also when the handler
// panics.
func (h *NetHTTPHandler) serve(req *http.Request) {
	handler := h.Handler
	switch {
	case req.RequestURI == "*" && req.Method == "OPTIONS":
		handler = globalOptions{} // as net/http's server answers it
	case handler == nil:
		handler = http.DefaultServeMux
	}
	done := false
	defer func() {
		if done {
			return
		}
		v := recover()
		h.endRequest(req, false)
		switch {
		case v == http.ErrAbortHandler:
		case v == nil: // runtime.Goexit: it goes on unwinding
		case h.Server == nil:
			panic(v)
		default:
			// The stack is still the panic's here.
			h.Server.handleError(h.Conn, h.ClientAddress, &PanicError{Value: v, Stack: debug.Stack()})
		}
	}()
	handler.ServeHTTP(&h.rw, req)
	done = true
	h.endRequest(req, true)
}

// endRequest completes the response (when the handler returned), stops
// the watch, cancels the context and decides whether the connection goes
// on.
func (h *NetHTTPHandler) endRequest(req *http.Request, returned bool) {
	rw := &h.rw
	if returned && !rw.hijacked {
		rw.finish()
	}
	h.mu.Lock()
	h.ended = true
	h.stopWatchLocked()
	st := h.cur
	h.cur = nil
	h.mu.Unlock()
	h.continueOK.Store(false)
	st.ctx.cancel()
	if req.MultipartForm != nil {
		req.MultipartForm.RemoveAll()
	}
	h.CloseConnection = rw.closeAfter || !returned || rw.hijacked
	rw.end()
}

// globalOptions answers "OPTIONS *" as net/http's server does, whatever
// the handler: 200 with an empty body.
type globalOptions struct{}

func (globalOptions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "0")
	if r.ContentLength != 0 {
		io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, 4<<10))
	}
}
