package httpserver

import (
	"cmp"
	"io"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"github.com/httpserver-go/httpserver/internal/wire"
)

// maxDiscardedBody is the most of an unread body finishBody reads and
// drops to keep the connection for another request.
const maxDiscardedBody = 256 << 10

// frameBody decides how the request's body is delimited, as RFC 9112 §6
// asks of a server, and refuses what would let a request be read two ways
// (README.md, "Deliberate differences from Python", 3): Transfer-Encoding together with
// Content-Length, differing or malformed Content-Length values, a
// Transfer-Encoding whose last coding is not chunked, or one in an
// HTTP/1.0 request → 400; a coding other than chunked → 501. After a
// refusal the connection closes.
func (c *conn) frameBody(h *Headers) (refusal, bool) {
	te := h.Values("Transfer-Encoding")
	cl := h.Values("Content-Length")
	switch {
	case len(te) > 0 && len(cl) > 0:
		return refusal{400, "Both Transfer-Encoding and Content-Length", ""}, false
	case len(te) > 0:
		all := joinValues(te)
		if !c.http11 {
			return refusal{400, "Transfer-Encoding in an HTTP/1.0 request", ""}, false
		}
		codings := wire.SplitList(all)
		if len(codings) == 0 || !equalFoldASCII(codings[len(codings)-1], "chunked") {
			return refusal{400, "Bad Transfer-Encoding (" + pystr.Repr(all) + ")", ""}, false
		}
		for _, coding := range codings[:len(codings)-1] {
			if equalFoldASCII(coding, "chunked") {
				return refusal{400, "Bad Transfer-Encoding (" + pystr.Repr(all) + ")", ""}, false
			}
		}
		if len(codings) > 1 {
			return refusal{501, "Unsupported Transfer-Encoding (" + pystr.Repr(all) + ")", ""}, false
		}
		c.body.Reset(c.br, wire.BodyChunked, 0)
	case len(cl) > 0:
		all := joinValues(cl)
		n := int64(-1)
		for _, v := range wire.SplitList(all) {
			m, ok := wire.ParseContentLength(v)
			if !ok || (n >= 0 && m != n) {
				return refusal{400, "Bad Content-Length (" + pystr.Repr(all) + ")", ""}, false
			}
			n = m
		}
		if n < 0 {
			return refusal{400, "Bad Content-Length (" + pystr.Repr(all) + ")", ""}, false
		}
		c.body.Reset(c.br, wire.BodyLength, n)
	}
	return refusal{}, true
}

// checkHost applies the server's RequireHost rule: an HTTP/1.1 request
// needs exactly one valid Host header.
func (c *conn) checkHost(h *Headers) (refusal, bool) {
	if c.srv == nil || !c.srv.RequireHost || !c.http11 {
		return refusal{}, true
	}
	hosts := h.Values("Host")
	switch {
	case len(hosts) == 0:
		return refusal{400, "Missing Host header", ""}, false
	case len(hosts) > 1:
		return refusal{400, "Multiple Host headers", ""}, false
	case !wire.ValidHost(hosts[0]):
		return refusal{400, "Bad Host header (" + pystr.Repr(hosts[0]) + ")", ""}, false
	}
	return refusal{}, true
}

// joinValues joins repeated field values as a comma-separated list.
func joinValues(vs []string) string {
	return strings.Join(vs, ", ")
}

// finishBody runs after the do-method: it reads and drops what is left of
// a declared body, so that it is never parsed as the next request, and
// reports whether the connection can carry another request. It cannot
// when the body is larger than maxDiscardedBody, malformed, or was read
// past its end through Rfile, or when the client is still waiting for a
// 100 Continue it never got. The response goes out before the discard, so
// a client that waits for it before sending the rest is not stalled; the
// rest must then arrive within the server's ReadHeaderTimeout (else its
// IdleTimeout), as the next request's head would.
func (c *conn) finishBody() bool {
	if c.cr.err != nil {
		return false // a read failed (ReadBodyTimeout): the connection ends
	}
	br := &c.body
	if br.Mode() == wire.BodyNone || br.Done() && br.Err() == nil && c.consumed() == br.Raw() {
		return true
	}
	consumed := c.consumed()
	switch br.Mode() {
	case wire.BodyLength:
		total := br.Remain() + br.Raw() // the declared length
		left := total - consumed
		switch {
		case left == 0:
			return true
		case left < 0 || left > maxDiscardedBody || c.expectPending:
			return false
		}
		if !c.startDiscard() {
			return false
		}
		n, err := io.CopyN(io.Discard, c.br, left)
		c.cr.deadline = time.Time{}
		return err == nil && n == left
	case wire.BodyChunked:
		if consumed != br.Raw() || br.Err() != nil {
			return false // read through Rfile, or malformed
		}
		if c.expectPending || !c.startDiscard() {
			return false
		}
		// At most maxDiscardedBody bytes of data; maxChunkOverhead bounds
		// the framing read along with them.
		n, err := io.CopyN(io.Discard, br, maxDiscardedBody+1)
		c.cr.deadline = time.Time{}
		return err == io.EOF && n <= maxDiscardedBody
	}
	return true
}

// consumed returns how many bytes of the connection were read, through
// Body or Rfile, since the body began.
func (c *conn) consumed() int64 {
	return c.cr.n - int64(c.br.Buffered()) - c.bodyStart
}

// startDiscard sends the response written so far and sets the deadline
// for the rest of the body; it reports false if the response could not
// be sent.
func (c *conn) startDiscard() bool {
	if err := c.bw.Flush(); err != nil {
		return false
	}
	c.cr.endBody()
	if s := c.srv; s != nil {
		if d := cmp.Or(s.ReadHeaderTimeout, s.IdleTimeout); d > 0 {
			c.cr.deadline = time.Now().Add(d)
		}
	}
	return true
}

// hasBody reports whether the request declares a body, by Content-Length
// or chunked framing.
func (c *conn) hasBody() bool { return c.body.Mode() != wire.BodyNone }

// declaredLength returns the Content-Length of the request's body, or -1
// when it has none or is chunked.
func (c *conn) declaredLength() int64 {
	if c.body.Mode() != wire.BodyLength {
		return -1
	}
	return c.body.Remain() + c.body.Raw()
}
