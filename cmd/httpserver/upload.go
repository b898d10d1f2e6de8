package main

import (
	"net"
	"strconv"
	"strings"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/pystr"
)

// handlerClass returns the class the command serves: SimpleHandler, as
// Python's, or UploadHandler with --upload; with --auth-file, either one
// answers only the requests that carry a user's credentials.
func handlerClass(c *config, auth *httpserver.BasicAuth) httpserver.HandlerClass {
	simple := func() httpserver.SimpleHandler {
		return httpserver.SimpleHandler{
			BaseHandler:          httpserver.BaseHandler{ProtocolVersion: c.protocol},
			Directory:            c.directory,
			DefaultContentType:   c.contentType,
			ExtraResponseHeaders: c.headers,
			StayInDirectory:      c.stayInDirectory,
			FilesAsCPython:       c.filesAsCPython,
		}
	}
	upload := func() httpserver.UploadHandler {
		return httpserver.UploadHandler{
			SimpleHandler:  simple(),
			MaxUploadSize:  c.maxUploadSize,
			AllowOverwrite: c.allowOverwrite,
		}
	}
	switch {
	case c.upload && auth != nil:
		return func() httpserver.Handler { return &guardedUpload{upload(), auth} }
	case c.upload:
		return func() httpserver.Handler { h := upload(); return &h }
	case auth != nil:
		return func() httpserver.Handler { return &guardedSimple{simple(), auth} }
	}
	return func() httpserver.Handler { h := simple(); return &h }
}

// guardedSimple is SimpleHandler behind Basic authentication: every
// request, whatever its method, needs a user's credentials.
type guardedSimple struct {
	httpserver.SimpleHandler
	auth *httpserver.BasicAuth
}

func (h *guardedSimple) Do(command string) bool { return guard(h.auth, h, h.SimpleHandler.Do, command) }

// guardedUpload is UploadHandler behind Basic authentication. A client
// that asks for 100 Continue is refused before it sends its body.
type guardedUpload struct {
	httpserver.UploadHandler
	auth *httpserver.BasicAuth
}

func (h *guardedUpload) Do(command string) bool { return guard(h.auth, h, h.UploadHandler.Do, command) }

// guard runs do(command), the dispatch of the handler self, if the
// request carries a user's credentials; otherwise auth has answered 401.
func guard(auth *httpserver.BasicAuth, self httpserver.Handler, do func(string) bool, command string) bool {
	if _, ok := auth.Authorize(self); !ok {
		return true
	}
	return do(command)
}

func (h *guardedUpload) HandleExpect100() bool {
	if _, ok := h.auth.Authorize(h); !ok {
		return false
	}
	return h.UploadHandler.HandleExpect100()
}

// byteSize makes the action of an option taking a number of bytes: a
// non-negative integer, optionally followed by K, M, G or T (any case)
// for KiB, MiB, GiB or TiB.
func byteSize(flag string, dst func(*config) *int64) func(*config, []string) error {
	return func(c *config, v []string) error {
		s := strings.TrimSpace(v[0])
		shift := 0
		if s != "" {
			if i := strings.IndexByte("KMGT", upper(s[len(s)-1])); i >= 0 {
				shift = 10 * (i + 1)
				s = s[:len(s)-1]
			}
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > (1<<62)>>shift {
			return &usageError{"argument " + flag + ": invalid size value: " + pystr.ReprUTF8(v[0])}
		}
		*dst(c) = n << shift
		return nil
	}
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// isLoopback reports whether the server listens on a loopback address
// only.
func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
