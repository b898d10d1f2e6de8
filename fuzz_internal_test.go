package httpserver

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// scriptConn is a net.Conn that reads a fixed input and records what is
// written, for driving a handler without a socket.
type scriptConn struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *scriptConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *scriptConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *scriptConn) Close() error                { return nil }
func (c *scriptConn) LocalAddr() net.Addr         { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }
func (c *scriptConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4242}
}
func (c *scriptConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

// fuzzHandler echoes request text back in headers and bodies, so that
// whatever the client sends reaches the response-writing paths.
type fuzzHandler struct{ BaseHandler }

func (h *fuzzHandler) DoGET() {
	h.SendResponse(200, h.Headers.Get("X-Reason"))
	h.SendHeader("X-Path", h.Path)
	h.SendHeader(h.Headers.Get("X-Name"), h.Headers.Get("X-Value"))
	h.SendHeader("Content-Length", "0") // last, so it is the one that counts
	h.EndHeaders()
}

func (h *fuzzHandler) DoPOST() {
	n, _ := strconv.Atoi(h.Headers.Get("Content-Length"))
	body, _ := io.ReadAll(io.LimitReader(h.Rfile, int64(n)))
	h.SendError(400, string(body), h.Path)
}

// DoPUT reads the whole body through Body and echoes it; Body must never
// give more than a Content-Length declares.
func (h *fuzzHandler) DoPUT() {
	body, err := io.ReadAll(h.Body)
	if n, ok := wire.ParseContentLength(h.Headers.Get("Content-Length")); ok && int64(len(body)) > n {
		panic(fmt.Sprintf("Body gave %d bytes of a %d-byte body", len(body), n))
	}
	if err != nil {
		h.SendError(400, err.Error())
		return
	}
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(len(body)))
	h.EndHeaders()
	h.Wfile.Write(body)
}

// DoPATCH reads three bytes of the body through Body and leaves the rest.
func (h *fuzzHandler) DoPATCH() {
	io.ReadFull(h.Body, make([]byte, 3))
	h.SendResponse(204)
	h.EndHeaders()
}

var (
	wantStatusLine = regexp.MustCompile(`^HTTP/1\.1 \d{3} [^\r\n]*$`)
	wantHeaderLine = regexp.MustCompile(`^[!#$%&'*+\-.^_` + "`" + `|~0-9A-Za-z]+: [^\r\n\x00]*$`)
	wantLogLine    = regexp.MustCompile(`^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\] [^\x00-\x1f\x7f]*$`)
)

// FuzzHandle feeds arbitrary bytes to a connection's handler, on a
// server whose limits and Host rule the flags turn on. Whatever the client
// sends, nothing panics, every response head the server writes is well
// formed (no request text can split it), and every log line is one line
// with no control characters. The seeds, here and in
// testdata/fuzz/FuzzHandle, cover framing: Content-Length and
// Transfer-Encoding conflicts, chunked bodies, pipelines, header lines.
func FuzzHandle(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\n\r\n",
		"GET /\r\n",
		"GET / HTTP/1.1\r\nX-Reason: a\x00b\r\nX-Name: Set-Cookie\r\nX-Value: v\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
		"POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\n<\r\n\x1b>",
		"G\x01T / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
		"GET / HTTP/1.1\r\nX-Reason: \xe9\r\n\r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n",
		"GET / FUBAR\r\nX: y\r\n z\r\n\r\n",
		"PUT /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		"PATCH /p HTTP/1.1\r\nContent-Length: 9\r\n\r\nGET / HTTGET / HTTP/1.1\r\n\r\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Fuzz(func(t *testing.T, in []byte, flags uint8) {
		conn := &scriptConn{in: bytes.NewReader(in)}
		var log bytes.Buffer
		h := &fuzzHandler{BaseHandler{ProtocolVersion: "HTTP/1.1"}}
		srv := &HTTPServer{Stderr: &log, RequireHost: flags&1 != 0}
		if flags&2 != 0 {
			srv.MaxHeaderBytes = 128
		}
		if flags&4 != 0 {
			srv.MaxMethodLength = 4
		}
		h.self, h.Server, h.Conn, h.ClientAddress = h, srv, conn, conn.RemoteAddr()
		h.Setup()
		h.Handle()
		h.Finish()

		for rest := conn.out.Bytes(); bytes.HasPrefix(rest, []byte("HTTP/1.1 ")); {
			head, body, ok := bytes.Cut(rest, []byte("\r\n\r\n"))
			if !ok {
				t.Fatalf("response head not terminated: %q", rest)
			}
			lines := bytes.Split(head, []byte("\r\n"))
			if !wantStatusLine.Match(lines[0]) {
				t.Fatalf("bad status line %q", lines[0])
			}
			length := 0
			for _, l := range lines[1:] {
				if !wantHeaderLine.Match(l) {
					t.Fatalf("bad header line %q in %q", l, head)
				}
				if name, value, _ := bytes.Cut(l, []byte(": ")); equalFoldASCII(string(name), "Content-Length") {
					length, _ = strconv.Atoi(string(value))
				}
			}
			if length > len(body) {
				t.Fatalf("Content-Length %d, but %d bytes follow", length, len(body))
			}
			rest = body[length:] // the next response, if any
		}
		for _, l := range bytes.Split(bytes.TrimSuffix(log.Bytes(), []byte("\n")), []byte("\n")) {
			if len(l) > 0 && !wantLogLine.Match(l) {
				t.Fatalf("bad log line %q", l)
			}
		}
	})
}
