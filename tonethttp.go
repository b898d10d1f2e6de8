package httpserver

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"github.com/httpserver-go/httpserver/internal/wire"
)

// ToNetHTTP returns an http.Handler that serves each request with the
// do-methods of a handler made by class, so that a handler written for
// this package runs inside a net/http server: httptest.NewServer, a
// ServeMux route, HTTP/2 included.
//
//	mux.Handle("/spam/", httpserver.ToNetHTTP(httpserver.Class[Spam]()))
//
// Each request gets a new handler from class (net/http has no
// connection a handler could keep), with Python's per-request state
// filled from the *http.Request: Command (the method), Path (the request
// target as Python sees it: the URL's path and query, so after
// http.StripPrefix the stripped one; an absolute-form or asterisk target
// as sent), RequestVersion (r.Proto: "HTTP/1.1", "HTTP/2.0"),
// RequestLine, Headers (Host first, then the others sorted by name, each
// name's values in order), Body and Rfile (both reading r.Body), TLS,
// and ClientAddress (from r.RemoteAddr). Server and Conn are nil; a
// handler's log lines go to os.Stderr unless LogMessage is overridden.
// Do then calls the do-method; a command without one gets Python's 501
// through SendError.
//
// What the do-method writes (SendResponse, SendHeader, EndHeaders,
// SendError, Wfile) is read back as HTTP/1 and handed to the
// ResponseWriter: the status code, the header fields, then the body;
// Wfile.Flush() flushes the ResponseWriter, so streaming works. A 1xx
// response other than 100 Continue (net/http answers Expect itself) is
// sent with its own fields. A body the do-method framed as chunked is
// passed on unframed (its trailers are dropped).
//
// What cannot cross: the reason phrase (net/http sends its own), the
// case and order of header names (net/http canonicalises and sorts
// them), the Connection and Keep-Alive fields (the connection is
// net/http's, which decides when to close it), HTTP/0.9, and the hooks
// that run a connection (Setup, Handle, HandleOneRequest, ParseRequest,
// HandleExpect100, Finish are not called). A do-method that writes no
// status line gets what net/http gives a handler that writes a body
// without one: 200. A do-method that writes nothing gets an empty 200.
// A panic is left to the net/http server.
func ToNetHTTP(class HandlerClass) http.Handler { return classHandler{class} }

type classHandler struct{ class HandlerClass }

func (ch classHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := ch.class()
	b := h.baseHandler()
	b.self = h
	b.ClientAddress = parseRemoteAddr(r.RemoteAddr)
	b.TLS = r.TLS
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	out := &responseStream{w: w}
	c := newConn(time.Now(), nil)
	c.br = newReader(body)
	c.wb = getWriterBufs(out)
	c.bw, c.hbuf = c.wb.w, c.wb.head[:0]
	b.c = c
	b.Rfile, b.Wfile, b.Body = c.br, c.bw, c.br
	defer func() {
		putReader(c.br)
		c.dropWriter()
		c.br = nil
		b.Rfile, b.Wfile, b.Body = nil, nil, nil
	}()

	b.Command = r.Method
	b.Path = collapseSlashes(pythonTarget(r))
	b.RequestVersion = r.Proto
	b.RequestLine = b.Command + " " + b.Path + " " + b.RequestVersion
	b.Headers = pythonHeaders(r)
	b.CloseConnection = false

	if !h.Do(b.Command) {
		h.SendError(501, "Unsupported method ("+pystr.Repr(b.Command)+")")
	}
	out.ending = true
	c.bw.Flush()
	out.finish()
}

// pythonTarget returns the request target a do-method sees as Path.
func pythonTarget(r *http.Request) string {
	if r.RequestURI == "" || r.RequestURI[0] == '/' {
		return r.URL.RequestURI()
	}
	return r.RequestURI
}

// pythonHeaders returns r's header as Python's headers: Host first, then
// the fields sorted by name.
func pythonHeaders(r *http.Request) Headers {
	n := len(r.Header) + 1
	keys := make([]string, 0, len(r.Header))
	for k, vv := range r.Header {
		keys = append(keys, k)
		n += len(vv) - 1
	}
	slices.Sort(keys)
	fields := make([]HeaderField, 0, n)
	if r.Host != "" {
		fields = append(fields, HeaderField{"Host", r.Host})
	}
	for _, k := range keys {
		for _, v := range r.Header[k] {
			fields = append(fields, HeaderField{k, v})
		}
	}
	return Headers{fields}
}

// parseRemoteAddr returns r.RemoteAddr as a *net.TCPAddr, or as it is
// when it is not an IP address and port.
func parseRemoteAddr(s string) net.Addr {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return stringAddr(s)
	}
	return &net.TCPAddr{IP: ap.Addr().AsSlice(), Port: int(ap.Port()), Zone: ap.Addr().Zone()}
}

// stringAddr is a remote address net/http gave that is not host:port.
type stringAddr string

func (a stringAddr) Network() string { return "tcp" }
func (a stringAddr) String() string  { return string(a) }

// responseStream reads back as HTTP/1 what a do-method writes through
// Wfile and hands it to a ResponseWriter: status and fields, then body.
type responseStream struct {
	w       http.ResponseWriter
	line    []byte // the head's line being read
	status  int    // the status line's code; 0 before it
	added   []string
	state   streamState
	chunked bool
	dc      chunkDecoder
	ending  bool // the do-method returned: this is the last write
}

type streamState uint8

const (
	streamHead     streamState = iota // reading the status line and fields
	streamBody                        // passing the body
	streamBodyOnly                    // no status line: everything is body
)

// Write takes what Wfile flushes. Unless the do-method has returned, the
// ResponseWriter is flushed after it: Wfile writes to its destination
// only when it is full or flushed.
func (s *responseStream) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && s.state == streamHead {
		p = s.head(p)
	}
	if len(p) > 0 {
		if err := s.body(p); err != nil {
			return 0, err
		}
	}
	if !s.ending && s.state != streamHead {
		flush(s.w)
	}
	return n, nil
}

// ReadFrom passes a body straight to the ResponseWriter (whose ReadFrom
// may use sendfile) once the head has been read; Wfile.ReadFrom calls it
// when its buffer is empty.
func (s *responseStream) ReadFrom(r io.Reader) (int64, error) {
	if s.state == streamHead || s.chunked {
		return io.Copy(writerOnly{s}, r)
	}
	return io.Copy(s.w, r)
}

// head reads head bytes from p and returns the rest.
func (s *responseStream) head(p []byte) []byte {
	if s.status == 0 && len(s.line)+len(p) >= len("HTTP/") {
		prefix := append(s.line[:len(s.line):len(s.line)], p[:min(len(p), 5)]...)
		if !bytes.HasPrefix(prefix, []byte("HTTP/")) {
			s.state = streamBodyOnly
			rest := append(s.line, p...)
			s.line = nil
			return rest
		}
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		s.line = append(s.line, p...)
		return nil
	}
	s.line = append(s.line, p[:i+1]...)
	s.headLine(s.line)
	s.line = s.line[:0]
	return p[i+1:]
}

// headLine takes one line of the head, as written.
func (s *responseStream) headLine(raw []byte) {
	line := strings.TrimRight(string(raw), "\r\n")
	if s.status == 0 {
		code, ok := statusCode(line)
		if !ok {
			s.state = streamBodyOnly // not a status line: pass it all on
			s.body(raw)
			return
		}
		s.status = code
		return
	}
	if line != "" {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return
		}
		value = strings.Trim(value, " \t")
		switch {
		case equalFoldASCII(name, "Transfer-Encoding"):
			s.chunked = hasToken(value, "chunked")
		case equalFoldASCII(name, "Connection"), equalFoldASCII(name, "Keep-Alive"):
		default:
			s.w.Header().Add(name, value)
			s.added = append(s.added, name)
		}
		return
	}
	// The blank line: the head is complete.
	code := s.status
	switch {
	case code == http.StatusContinue:
		s.dropAdded()
	case code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols:
		s.w.WriteHeader(code)
		s.dropAdded() // an interim response's fields are its own
	default:
		s.w.WriteHeader(code)
		s.state = streamBody
	}
	s.status = 0
	s.added = s.added[:0]
}

// dropAdded removes the fields of an interim response.
func (s *responseStream) dropAdded() {
	for _, name := range s.added {
		s.w.Header().Del(name)
	}
}

// statusCode returns the code of an HTTP/1 status line.
func statusCode(line string) (int, bool) {
	_, rest, ok := strings.Cut(line, " ")
	if !ok || len(rest) < 3 || len(rest) > 3 && rest[3] != ' ' {
		return 0, false
	}
	code, err := strconv.Atoi(rest[:3])
	if err != nil || code < 100 {
		return 0, false
	}
	return code, true
}

// body passes body bytes on, unframing a chunked body.
func (s *responseStream) body(p []byte) error {
	if s.chunked {
		return s.dc.write(p, s.w)
	}
	_, err := s.w.Write(p)
	if err == http.ErrBodyNotAllowed || err == http.ErrContentLength {
		err = nil // net/http drops what cannot be sent; so does Python's client
	}
	return err
}

// finish completes the response after the do-method's last write: a head
// cut short (no blank line) is taken as it stands, a few bytes that could
// not yet be told from a status line are the body.
func (s *responseStream) finish() {
	if s.state != streamHead {
		return
	}
	if len(s.line) > 0 {
		s.headLine(s.line)
	}
	if s.state == streamHead && s.status != 0 {
		s.headLine(nil)
	}
}

// flush flushes a ResponseWriter as http.ResponseController does,
// through the writers it wraps.
func flush(w http.ResponseWriter) {
	for {
		switch t := w.(type) {
		case interface{ FlushError() error }:
			t.FlushError()
			return
		case http.Flusher:
			t.Flush()
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return
		}
	}
}

// chunkDecoder removes the chunked framing from a body a do-method wrote
// itself. The body's reader (body.go) pulls from the connection; this one
// is pushed the handler's writes, in pieces cut anywhere.
type chunkDecoder struct {
	state  chunkState
	remain int64
	line   []byte
}

type chunkState uint8

const (
	chunkSize    chunkState = iota // reading a chunk-size line
	chunkData                      // passing chunk data
	chunkDataEnd                   // the CRLF after the data
	chunkTrailer                   // trailer lines up to the blank one
	chunkDone                      // the body ended, or broke its framing
)

// write passes the data within p to w.
func (d *chunkDecoder) write(p []byte, w io.Writer) error {
	for len(p) > 0 && d.state != chunkDone {
		if d.state == chunkData {
			k := int(min(int64(len(p)), d.remain))
			if _, err := w.Write(p[:k]); err != nil {
				return err
			}
			p, d.remain = p[k:], d.remain-int64(k)
			if d.remain == 0 {
				d.state = chunkDataEnd
			}
			continue
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if len(d.line)+len(p) > wire.MaxChunkLine {
				d.state = chunkDone
			}
			d.line = append(d.line, p...)
			return nil
		}
		d.line = append(d.line, p[:i]...)
		p = p[i+1:]
		d.endLine(bytes.TrimSuffix(d.line, []byte("\r")))
		d.line = d.line[:0]
	}
	return nil
}

// endLine takes one framing line.
func (d *chunkDecoder) endLine(line []byte) {
	switch d.state {
	case chunkSize:
		size, n := int64(0), 0
		for ; n < len(line) && pystr.HexValue(line[n]) >= 0 && size < 1<<58; n++ {
			size = size<<4 | int64(pystr.HexValue(line[n]))
		}
		switch {
		case n == 0:
			d.state = chunkDone
		case size == 0:
			d.state = chunkTrailer
		default:
			d.state, d.remain = chunkData, size
		}
	case chunkDataEnd:
		d.state = chunkSize
		if len(line) != 0 {
			d.state = chunkDone
		}
	case chunkTrailer:
		if len(line) == 0 {
			d.state = chunkDone
		}
	}
}
