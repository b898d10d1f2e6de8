package httpservertest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/httpserver-go/httpserver"
)

// quietLog keeps a passing test's output clean: unless the test chose
// where the server's log goes, it is discarded, and a panic in a handler,
// a bug in the test, is printed on os.Stderr.
func quietLog(s *httpserver.HTTPServer) {
	if s.Stderr != nil {
		return
	}
	s.Stderr = io.Discard
	if s.HandleError == nil {
		s.HandleError = reportPanic
	}
}

// reportPanic is the HandleError of a server whose log is discarded: it
// prints a panic with its stack and drops I/O errors, which tests that
// hang up on the server cause on purpose.
func reportPanic(_ net.Conn, clientAddress net.Addr, err error) {
	var pe *httpserver.PanicError
	if errors.As(err, &pe) {
		fmt.Fprintf(os.Stderr, "httpservertest: panic serving %v: %v\n%s", clientAddress, pe.Value, pe.Stack)
	}
}
