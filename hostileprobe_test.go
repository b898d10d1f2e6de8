package httpserver_test

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/httpserver-go/httpserver"
)

// hostileProbe is the handler of the hardening suite (framing, bodies,
// limits, logs). Every do-method answers 200 with a text/plain body that
// says which request it served and what it read, so a test sees which
// response belongs to which request, and that no body was taken for a
// request.
type hostileProbe struct{ httpserver.BaseHandler }

// reply answers 200 with text as the body.
func (h *hostileProbe) reply(text string) {
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", strconv.Itoa(len(text)))
	h.EndHeaders()
	h.Wfile.WriteString(text)
}

// replyRead answers with what a do-method read, and the error that ended
// the reading, if any.
func (h *hostileProbe) replyRead(data []byte, err error) {
	text := fmt.Sprintf("%s %s %d", h.Command, h.Path, len(data))
	if len(data) <= 64 {
		text += " " + strconv.Quote(string(data))
	}
	if err != nil {
		text += " error: " + err.Error()
	}
	h.reply(text)
}

// readCount is the X-Read header: how many bytes DoPUT and DoRAW read.
func (h *hostileProbe) readCount() int64 {
	n, _ := strconv.ParseInt(h.Headers.Get("X-Read"), 10, 64)
	return n
}

// DoGET leaves any body unread: "GET <path>".
func (h *hostileProbe) DoGET() { h.reply("GET " + h.Path) }

// DoPOST reads the whole body through Body.
func (h *hostileProbe) DoPOST() {
	data, err := io.ReadAll(h.Body)
	h.replyRead(data, err)
}

// DoPUT reads the first X-Read bytes of the body through Body.
func (h *hostileProbe) DoPUT() {
	data, err := io.ReadAll(io.LimitReader(h.Body, h.readCount()))
	h.replyRead(data, err)
}

// DoRAW reads X-Read bytes through Rfile, as a Python handler reads
// rfile, whatever the framing says.
func (h *hostileProbe) DoRAW() {
	data := make([]byte, h.readCount())
	n, err := io.ReadFull(h.Rfile, data)
	h.replyRead(data[:n], err)
}

// DoLOG logs the X-Log header as a handler logs what a client sent.
func (h *hostileProbe) DoLOG() {
	h.LogMessage("client said %s", h.Headers.Get("X-Log"))
	h.reply("LOG " + h.Path)
}

// DoPANIC panics with an error whose message spans two lines and holds
// the path and the X-Panic header.
func (h *hostileProbe) DoPANIC() {
	panic(errors.New("cannot serve\n" + h.Path + " for " + h.Headers.Get("X-Panic")))
}

// HandleExpect100 goes on without sending 100 Continue when the request
// has X-Silent-Expect, as a handler that never answers the expectation.
func (h *hostileProbe) HandleExpect100() bool {
	if h.Headers.Has("X-Silent-Expect") {
		return true
	}
	return h.BaseHandler.HandleExpect100()
}

// hostileClass makes an HTTP/1.1 hostileProbe.
func hostileClass() httpserver.Handler {
	h := &hostileProbe{}
	h.ProtocolVersion = "HTTP/1.1"
	return h
}
