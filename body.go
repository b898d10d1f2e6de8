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

// checkFraming decides how the request's body is delimited, as RFC 9112
// §6 asks of a server, and answers what would let a request be read two
// ways (README.md, "Deliberate differences from Python", 3):
// Transfer-Encoding together with Content-Length, differing or malformed
// Content-Length values, a Transfer-Encoding whose last coding is not
// chunked, or one in an HTTP/1.0 request → 400; a coding other than
// chunked → 501. With Server.RequireHost, an HTTP/1.1 request needs
// exactly one valid Host. It reports false after answering; the
// connection then closes.
func (b *BaseHandler) checkFraming() bool {
	te := b.Headers.Values("Transfer-Encoding")
	cl := b.Headers.Values("Content-Length")
	switch {
	case len(te) > 0 && len(cl) > 0:
		b.refuse(400, "Both Transfer-Encoding and Content-Length")
		return false
	case len(te) > 0:
		all := joinValues(te)
		if !b.http11 {
			b.refuse(400, "Transfer-Encoding in an HTTP/1.0 request")
			return false
		}
		codings := wire.SplitList(all)
		if len(codings) == 0 || !equalFoldASCII(codings[len(codings)-1], "chunked") {
			b.refuse(400, "Bad Transfer-Encoding ("+pystr.Repr(all)+")")
			return false
		}
		for _, c := range codings[:len(codings)-1] {
			if equalFoldASCII(c, "chunked") {
				b.refuse(400, "Bad Transfer-Encoding ("+pystr.Repr(all)+")")
				return false
			}
		}
		if len(codings) > 1 {
			b.refuse(501, "Unsupported Transfer-Encoding ("+pystr.Repr(all)+")")
			return false
		}
		b.body.Reset(b.Rfile, wire.BodyChunked, 0)
	case len(cl) > 0:
		all := joinValues(cl)
		n := int64(-1)
		for _, v := range wire.SplitList(all) {
			m, ok := wire.ParseContentLength(v)
			if !ok || (n >= 0 && m != n) {
				b.refuse(400, "Bad Content-Length ("+pystr.Repr(all)+")")
				return false
			}
			n = m
		}
		if n < 0 {
			b.refuse(400, "Bad Content-Length ("+pystr.Repr(all)+")")
			return false
		}
		b.body.Reset(b.Rfile, wire.BodyLength, n)
	}
	if b.Server != nil && b.Server.RequireHost && b.http11 {
		hosts := b.Headers.Values("Host")
		switch {
		case len(hosts) == 0:
			b.refuse(400, "Missing Host header")
			return false
		case len(hosts) > 1:
			b.refuse(400, "Multiple Host headers")
			return false
		case !wire.ValidHost(hosts[0]):
			b.refuse(400, "Bad Host header ("+pystr.Repr(hosts[0])+")")
			return false
		}
	}
	return true
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
func (b *BaseHandler) finishBody() bool {
	br := &b.body
	if br.Mode() == wire.BodyNone || br.Done() && br.Err() == nil && b.consumed() == br.Raw() {
		return true
	}
	consumed := b.consumed()
	switch br.Mode() {
	case wire.BodyLength:
		total := br.Remain() + br.Raw() // the declared length
		left := total - consumed
		switch {
		case left == 0:
			return true
		case left < 0 || left > maxDiscardedBody || b.expectPending:
			return false
		}
		if !b.startDiscard() {
			return false
		}
		n, err := io.CopyN(io.Discard, b.Rfile, left)
		b.cr.deadline = time.Time{}
		return err == nil && n == left
	case wire.BodyChunked:
		if consumed != br.Raw() || br.Err() != nil {
			return false // read through Rfile, or malformed
		}
		if b.expectPending || !b.startDiscard() {
			return false
		}
		// At most maxDiscardedBody bytes of data; maxChunkOverhead bounds
		// the framing read along with them.
		n, err := io.CopyN(io.Discard, br, maxDiscardedBody+1)
		b.cr.deadline = time.Time{}
		return err == io.EOF && n <= maxDiscardedBody
	}
	return true
}

// consumed returns how many bytes of the connection were read, through
// Body or Rfile, since the body began.
func (b *BaseHandler) consumed() int64 {
	return b.cr.n - int64(b.Rfile.Buffered()) - b.bodyStart
}

// startDiscard sends the response written so far and sets the deadline
// for the rest of the body; it reports false if the response could not
// be sent.
func (b *BaseHandler) startDiscard() bool {
	if err := b.Wfile.Flush(); err != nil {
		return false
	}
	if s := b.Server; s != nil {
		if d := cmp.Or(s.ReadHeaderTimeout, s.IdleTimeout); d > 0 {
			b.cr.deadline = time.Now().Add(d)
		}
	}
	return true
}
