package httpserver

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors the package returns. Match them with errors.Is.
var (
	// ErrServerClosed is returned by ServeForever and Serve after Shutdown
	// or ServerClose, as http.ErrServerClosed.
	ErrServerClosed = errors.New("httpserver: server closed")

	// ErrInvalidHeader is returned by SendHeader for a name that is not an
	// HTTP token or a value holding CR, LF or NUL; nothing is written.
	ErrInvalidHeader = errors.New("httpserver: invalid header field")
)

// PanicError carries a panic recovered from a handler to the server's
// HandleError hook: the Go form of the exception Python's socketserver
// passes to handle_error.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack at the panic, as debug.Stack
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// HeaderError is returned by SendHeader for a field it refuses. It wraps
// ErrInvalidHeader.
type HeaderError struct {
	Name, Value string
}

func (e *HeaderError) Error() string {
	return "httpserver: invalid header field " + strconv.Quote(e.Name) + ": " + strconv.Quote(e.Value)
}

func (e *HeaderError) Unwrap() error { return ErrInvalidHeader }
