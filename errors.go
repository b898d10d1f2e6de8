package httpserver

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/httpserver-go/httpserver/internal/wire"
)

// Errors the package returns. Match them with errors.Is.
var (
	// ErrServerClosed is returned by ServeForever and Serve after Shutdown
	// or ServerClose, as http.ErrServerClosed.
	ErrServerClosed = errors.New("httpserver: server closed")

	// ErrInvalidHeader is returned by SendHeader for a name that is not an
	// HTTP token or a value holding CR, LF or NUL; nothing is written.
	ErrInvalidHeader = errors.New("httpserver: invalid header field")

	// ErrMalformedBody is returned by BaseHandler.Body for a chunked body
	// that breaks its framing: a bad chunk size or extension, chunk data
	// not followed by CRLF, a malformed or oversized trailer section, or
	// far more framing than data. The connection closes after the request.
	ErrMalformedBody = wire.ErrMalformedBody

	// The HTTPS constructors return these, each inside a *TLSFileError
	// naming the file, for a certificate or key they cannot use.

	// ErrNotCertificate: the certificate file holds no PEM CERTIFICATE
	// block, or one that does not parse.
	ErrNotCertificate = errors.New("httpserver: not a certificate")
	// ErrNoPrivateKey: the key file (or the certificate file, when
	// TLSOptions.KeyFile is empty) holds no PEM private key block; a DER
	// key file gives this too.
	ErrNoPrivateKey = errors.New("httpserver: no private key")
	// ErrUnsupportedKey: the private key is of a type or encryption
	// scheme the server cannot use (DSA, OpenSSH format, X25519, PKCS#8
	// encryption other than PBES2), or is damaged.
	ErrUnsupportedKey = errors.New("httpserver: unsupported or malformed private key")
	// ErrKeyMismatch: the private key does not belong to the first
	// certificate of the chain.
	ErrKeyMismatch = errors.New("httpserver: private key does not match the certificate")
	// ErrIncorrectPassword: TLSOptions.Password does not decrypt the key.
	ErrIncorrectPassword = errors.New("httpserver: incorrect password for the private key")
	// ErrPasswordRequired: the key is encrypted and TLSOptions.Password
	// is empty.
	ErrPasswordRequired = errors.New("httpserver: the private key is encrypted and no password was given")

	// ReadHtpasswd returns these, each inside a *HtpasswdError naming the
	// file and the line, for a users file it cannot use.

	// ErrHtpasswdSyntax: a line is not "user:hash", names a user a second
	// time, or holds a bcrypt hash that does not parse.
	ErrHtpasswdSyntax = errors.New("httpserver: malformed htpasswd line")
	// ErrUnsupportedHash: a user's password hash is not bcrypt (Apache's
	// MD5, SHA-1, crypt and plain text are refused).
	ErrUnsupportedHash = errors.New("httpserver: password hash is not bcrypt (make it with htpasswd -B)")
	// ErrNoUsers: the file names no user, so nobody could log in.
	ErrNoUsers = errors.New("httpserver: no users in the htpasswd file")
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

// TLSFileError reports a certificate or key file the HTTPS constructors
// cannot use: Path is the file as named in TLSOptions, Err one of the
// errors above or the operating system's error from reading it (so a
// missing file matches fs.ErrNotExist).
type TLSFileError struct {
	Path string
	Err  error
}

func (e *TLSFileError) Error() string {
	return "httpserver: " + e.Path + ": " + strings.TrimPrefix(e.Err.Error(), "httpserver: ")
}

func (e *TLSFileError) Unwrap() error { return e.Err }

// HtpasswdError reports an htpasswd file ReadHtpasswd cannot use: Path is
// the file as named, Line the line at fault (0 for the whole file), Err
// one of the errors above or the operating system's error from reading
// the file (so a missing file matches fs.ErrNotExist).
type HtpasswdError struct {
	Path string
	Line int
	Err  error
}

func (e *HtpasswdError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	err := e.Err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is already named
	}
	return "httpserver: " + where + ": " + strings.TrimPrefix(err.Error(), "httpserver: ")
}

func (e *HtpasswdError) Unwrap() error { return e.Err }
