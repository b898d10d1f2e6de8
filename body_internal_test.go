package httpserver

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// next is what follows a request in TestFinishBody: the handler must
// leave it unread for the next request.
const next = "NEXT"

// finishProbe's DoPOST runs action on the request, then answers 204.
type finishProbe struct {
	BaseHandler
	action func(b *BaseHandler)
}

func (h *finishProbe) DoPOST() {
	h.action(&h.BaseHandler)
	h.SendResponse(204)
	h.EndHeaders()
}

// readBody reads n bytes through Body; readRaw through Rfile.
func readBody(n int) func(*BaseHandler) {
	return func(b *BaseHandler) { io.ReadFull(b.Body, make([]byte, n)) }
}

func readRaw(n int) func(*BaseHandler) {
	return func(b *BaseHandler) { io.ReadFull(b.Rfile, make([]byte, n)) }
}

// TestFinishBody checks what happens after the do-method to a body it did
// not read to its end: the rest is dropped and the connection goes on,
// positioned exactly at the next request, or it closes.
func TestFinishBody(t *testing.T) {
	post := func(headers, body string) string {
		return "POST / HTTP/1.1\r\n" + headers + "\r\n" + body
	}
	cl := func(body string) string { return post("Content-Length: "+strconv.Itoa(len(body))+"\r\n", body) }
	te := func(chunked string) string { return post("Transfer-Encoding: chunked\r\n", chunked) }
	big := strings.Repeat("b", maxDiscardedBody)
	nothing := func(*BaseHandler) {}
	tests := []struct {
		name     string
		protocol string // "" for HTTP/1.1
		req      string
		action   func(*BaseHandler)
		keep     bool
	}{
		{"unread, within the cap", "", cl("0123456789"), nothing, true},
		{"unread, at the cap", "", cl(big), nothing, true},
		{"unread, over the cap", "", cl(big + "!"), nothing, false},
		{"read in full through Body", "", cl("0123456789"), readBody(10), true},
		{"read in part through Body", "", cl("0123456789"), readBody(3), true},
		{"read in part through Rfile", "", cl("0123456789"), readRaw(3), true},
		{"read exactly through Rfile", "", cl("0123456789"), readRaw(10), true},
		{"read through both", "", cl("0123456789"), func(b *BaseHandler) { readBody(3)(b); readRaw(3)(b) }, true},
		{"read past its end through Rfile", "", cl("0123456789"), readRaw(12), false},
		{"Expect pending, unread", "HTTP/1.1", post("Expect: 100-continue\r\nContent-Length: 10\r\n", "0123456789"),
			func(b *BaseHandler) { b.c.expectPending = true }, false},
		{"Expect pending, read", "", post("Expect: 100-continue\r\nContent-Length: 10\r\n", "0123456789"),
			func(b *BaseHandler) { b.c.expectPending = true; readBody(10)(b) }, true},
		{"Expect answered, unread", "", post("Expect: 100-continue\r\nContent-Length: 10\r\n", "0123456789"), nothing, true},
		{"chunked unread, within the cap", "", te("a\r\n0123456789\r\n0\r\nX: y\r\n\r\n"), nothing, true},
		{"chunked unread, at the cap", "", te(strconv.FormatInt(maxDiscardedBody, 16) + "\r\n" + big + "\r\n0\r\n\r\n"), nothing, true},
		{"chunked unread, over the cap", "", te(strconv.FormatInt(maxDiscardedBody, 16) + "\r\n" + big + "\r\n1\r\n!\r\n0\r\n\r\n"), nothing, false},
		{"chunked read in part through Body", "", te("a\r\n0123456789\r\n0\r\n\r\n"), readBody(3), true},
		{"chunked read in full through Body", "", te("a\r\n0123456789\r\n0\r\n\r\n"), readBody(10), true},
		{"chunked read through Rfile", "", te("a\r\n0123456789\r\n0\r\n\r\n"), readRaw(3), false},
		{"chunked malformed, unread", "", te("a\r\n0123456789XX0\r\n\r\n"), nothing, false},
		{"chunked malformed, read", "", te("zz\r\n"), readBody(3), false},
		{"chunked, Expect pending", "", post("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
			func(b *BaseHandler) { b.c.expectPending = true }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := &scriptConn{in: strings.NewReader(tt.req + next)}
			h := &finishProbe{action: tt.action}
			h.ProtocolVersion = "HTTP/1.1"
			h.self, h.Server, h.Conn, h.ClientAddress = h, &HTTPServer{Stderr: io.Discard}, conn, conn.RemoteAddr()
			h.Setup()
			defer h.Finish()
			h.HandleOneRequest()
			if !strings.HasPrefix(conn.out.String(), "HTTP/1.1 204 ") && !strings.Contains(conn.out.String(), "\r\n\r\nHTTP/1.1 204 ") {
				t.Fatalf("response %q, want a 204", conn.out.String())
			}
			if keep := !h.CloseConnection; keep != tt.keep {
				t.Fatalf("connection kept: %v, want %v", keep, tt.keep)
			}
			if tt.keep {
				if rest, _ := io.ReadAll(h.Rfile); string(rest) != next {
					t.Errorf("left for the next request: %q, want %q", rest, next)
				}
			}
		})
	}
}

// servedLog is a handler that records the path of every request it
// serves, and reads the body of /first as told: readN bytes through Body
// or (raw) through Rfile.
type servedLog struct {
	BaseHandler
	served []string
	readN  int
	raw    bool
	got    []byte
}

func (h *servedLog) DoPOST() {
	h.served = append(h.served, h.Path)
	if h.Path == "/first" {
		r := h.Body
		if h.raw {
			r = h.Rfile
		}
		h.got, _ = io.ReadAll(io.LimitReader(r, int64(h.readN)))
	}
	h.SendResponse(204)
	h.EndHeaders()
}

// FuzzKeepAliveBody sends a request with an arbitrary body, framed by
// Content-Length or as chunks of an arbitrary size, then a marker request,
// to a handler that reads an arbitrary part of the body through Body or
// Rfile (or none of it). Whatever the body holds (requests, chunk
// syntax, CRLFs), Body gives exactly the body's bytes, and the marker is
// the only other request served: always, except when the handler read
// into it through Rfile or read a chunked body through Rfile, when the
// connection closes instead.
func FuzzKeepAliveBody(f *testing.F) {
	f.Add([]byte("GET /smuggled HTTP/1.1\r\n\r\n"), false, uint16(5), uint16(0), false)
	f.Add([]byte("0\r\n\r\nPOST /smuggled HTTP/1.1\r\n\r\n"), true, uint16(3), uint16(7), false)
	f.Add([]byte("5\r\nhello\r\n0\r\n\r\n"), true, uint16(0), uint16(100), false)
	f.Add([]byte("hello"), false, uint16(1), uint16(9), true)
	f.Fuzz(func(t *testing.T, body []byte, chunked bool, chunkSize, readN uint16, raw bool) {
		const marker = "POST /marker HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
		var req bytes.Buffer
		req.WriteString("POST /first HTTP/1.1\r\n")
		if chunked {
			req.WriteString("Transfer-Encoding: chunked\r\n\r\n")
			size := max(int(chunkSize), 1)
			for rest := body; len(rest) > 0; {
				c := rest[:min(size, len(rest))]
				rest = rest[len(c):]
				req.WriteString(strconv.FormatInt(int64(len(c)), 16) + ";x=y\r\n")
				req.Write(c)
				req.WriteString("\r\n")
			}
			req.WriteString("0\r\nX-Trailer: 1\r\n\r\n")
		} else {
			req.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
			req.Write(body)
		}
		req.WriteString(marker)

		conn := &scriptConn{in: bytes.NewReader(req.Bytes())}
		h := &servedLog{readN: int(readN), raw: raw}
		h.ProtocolVersion = "HTTP/1.1"
		h.self, h.Server, h.Conn, h.ClientAddress = h, &HTTPServer{Stderr: io.Discard}, conn, conn.RemoteAddr()
		h.Setup()
		h.Handle()
		h.Finish()

		want := []string{"/first", "/marker"}
		switch {
		case raw && chunked && readN > 0, raw && !chunked && int(readN) > len(body):
			want = want[:1]
		case !raw && !bytes.Equal(h.got, body[:min(int(readN), len(body))]):
			t.Fatalf("Body gave %q, want the first %d bytes of %q", h.got, readN, body)
		}
		if diff := cmp.Diff(want, h.served); diff != "" {
			t.Fatalf("requests served (-want +got):\n%s\nrequest: %q", diff, req.Bytes())
		}
	})
}
