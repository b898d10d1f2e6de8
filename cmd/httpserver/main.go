// Command httpserver serves a directory over HTTP the way
// `python -m http.server` does: same options, same output, same responses.
//
//	go run ./cmd/httpserver                 # the current directory on port 8000
//	httpserver -b 127.0.0.1 -d ./site 8080  # a directory, one address
//	httpserver --tls-cert cert.pem --tls-key key.pem 8443
//
// Run it with -h for every option. Unlike Python's, it has timeouts and
// limits against slow or hostile clients on by default; see the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/pystr"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command: it parses args, serves until SIGINT or
// SIGTERM, and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	// A log or stdout on a pipe whose reader has gone must not kill the
	// server: writes to it fail (and are dropped) instead.
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return serve(filepath.Base(os.Args[0]), args, stdout, stderr, sigs)
}

// config holds the parsed command line.
type config struct {
	bind            string
	directory       string
	protocol        string
	contentType     string
	tlsCert         string
	tlsKey          string
	tlsPasswordFile string
	port            int
	headers         []httpserver.HeaderField

	// Beyond Python: protection against slow and hostile clients.
	readHeaderTimeout  time.Duration
	readBodyTimeout    time.Duration
	idleTimeout        time.Duration
	writeTimeout       time.Duration
	maxHeaderBytes     int
	maxConnections     int
	overloadRetryAfter time.Duration
	maxMethodLength    int
	noHostCheck        bool
	stayInDirectory    bool
	filesAsCPython     bool

	// Beyond Python: uploads and authentication.
	upload         bool
	authFile       string
	maxUploadSize  int64
	allowOverwrite bool
}

// Defaults of the limits Python does not have; every one can be changed,
// and 0 turns it off.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadBodyTimeout   = 60 * time.Second
	defaultIdleTimeout       = 60 * time.Second
	defaultWriteTimeout      = 60 * time.Second
	defaultMaxHeaderBytes    = 1 << 20
	defaultMaxConnections    = 1024
	defaultMaxMethodLength   = 32
)

func newParser(prog string) *parser {
	str := func(dst func(*config) *string) func(*config, []string) error {
		return func(c *config, v []string) error { *dst(c) = v[0]; return nil }
	}
	return &parser{prog: prog, options: []*option{
		{flags: []string{"-h", "--help"}, help: "show this help message and exit",
			set: func(*config, []string) error { return helpRequested{} }},
		{flags: []string{"-b", "--bind"}, metavar: []string{"ADDRESS"},
			help: "bind to this address (default: all interfaces)",
			set:  str(func(c *config) *string { return &c.bind })},
		{flags: []string{"-d", "--directory"}, metavar: []string{"DIRECTORY"},
			help: "serve this directory (default: current directory)",
			set:  str(func(c *config) *string { return &c.directory })},
		{flags: []string{"-p", "--protocol"}, metavar: []string{"VERSION"},
			help: "conform to this HTTP version (default: HTTP/1.0)",
			set:  str(func(c *config) *string { return &c.protocol })},
		{flags: []string{"--content-type"}, metavar: []string{"CONTENT_TYPE"},
			help: "default content type for unknown extensions (default: application/octet-stream)",
			set:  str(func(c *config) *string { return &c.contentType })},
		{flags: []string{"--tls-cert"}, metavar: []string{"PATH"},
			help: "path to the TLS certificate chain file",
			set:  str(func(c *config) *string { return &c.tlsCert })},
		{flags: []string{"--tls-key"}, metavar: []string{"PATH"},
			help: "path to the TLS key file",
			set:  str(func(c *config) *string { return &c.tlsKey })},
		{flags: []string{"--tls-password-file"}, metavar: []string{"PATH"},
			help: "path to the password file for the TLS key",
			set:  str(func(c *config) *string { return &c.tlsPasswordFile })},
		{flags: []string{"-H", "--header"}, metavar: []string{"HEADER", "VALUE"},
			help: "Add a custom response header (can be specified multiple times)",
			set: func(c *config, v []string) error {
				c.headers = append(c.headers, httpserver.HeaderField{Name: v[0], Value: v[1]})
				return nil
			}},
		// Options Python does not have. Their names share no prefix with
		// Python's, so every abbreviation Python accepts still works.
		{flags: []string{"--read-header-timeout"}, metavar: []string{"SECONDS"},
			help: "close a connection whose request line and headers take longer (default: 10; 0: never)",
			set:  seconds("--read-header-timeout", func(c *config) *time.Duration { return &c.readHeaderTimeout })},
		{flags: []string{"--read-body-timeout"}, metavar: []string{"SECONDS"},
			help: "close a connection whose request body stalls: reading it may wait this long for each 64 KiB (default: 60; 0: never)",
			set:  seconds("--read-body-timeout", func(c *config) *time.Duration { return &c.readBodyTimeout })},
		{flags: []string{"--idle-timeout"}, metavar: []string{"SECONDS"},
			help: "close a kept-alive connection idle this long (default: 60; 0: never)",
			set:  seconds("--idle-timeout", func(c *config) *time.Duration { return &c.idleTimeout })},
		{flags: []string{"--write-timeout"}, metavar: []string{"SECONDS"},
			help: "close a connection whose client reads nothing for this long (default: 60; 0: never)",
			set:  seconds("--write-timeout", func(c *config) *time.Duration { return &c.writeTimeout })},
		{flags: []string{"--max-header-bytes"}, metavar: []string{"N"},
			help: "largest request line and headers together (default: 1048576; 0: no limit)",
			set:  count("--max-header-bytes", func(c *config) *int { return &c.maxHeaderBytes })},
		{flags: []string{"--max-connections"}, metavar: []string{"N"},
			help: "most connections served at once; idle kept-alive ones make way for new clients, others wait (default: 1024; 0: no limit)",
			set:  count("--max-connections", func(c *config) *int { return &c.maxConnections })},
		{flags: []string{"--overload-retry-after"}, metavar: []string{"SECONDS"},
			help: "answer clients beyond --max-connections at once with 503 and this Retry-After, instead of letting them wait (default: 0: they wait)",
			set:  seconds("--overload-retry-after", func(c *config) *time.Duration { return &c.overloadRetryAfter })},
		{flags: []string{"--max-method-length"}, metavar: []string{"N"},
			help: "longest request method (default: 32; 0: no limit)",
			set:  count("--max-method-length", func(c *config) *int { return &c.maxMethodLength })},
		{flags: []string{"--no-host-check"},
			help: "accept HTTP/1.1 requests without exactly one valid Host header, as Python does",
			set:  func(c *config, _ []string) error { c.noHostCheck = true; return nil }},
		{flags: []string{"--stay-in-directory"},
			help: "refuse paths whose symbolic links lead outside the served directory",
			set:  func(c *config, _ []string) error { c.stayInDirectory = true; return nil }},
		{flags: []string{"--files-as-cpython"},
			help: "serve files exactly as Python does: no Range, ETag or Accept-Ranges, and no conditional requests but If-Modified-Since",
			set:  func(c *config, _ []string) error { c.filesAsCPython = true; return nil }},
		{flags: []string{"--upload"},
			help: "accept uploads: PUT to a file's URL, or POST a form to a directory's (listings get an upload form)",
			set:  func(c *config, _ []string) error { c.upload = true; return nil }},
		{flags: []string{"--auth-file"}, metavar: []string{"FILE"},
			help: "require HTTP Basic authentication for every request, by the users of this htpasswd file (bcrypt: htpasswd -B)",
			set:  str(func(c *config) *string { return &c.authFile })},
		{flags: []string{"--max-upload-size"}, metavar: []string{"BYTES"},
			help: "largest upload, in bytes, or with a K, M, G or T suffix (default: 0: no limit)",
			set:  byteSize("--max-upload-size", func(c *config) *int64 { return &c.maxUploadSize })},
		{flags: []string{"--allow-overwrite"},
			help: "let uploads replace existing files",
			set:  func(c *config, _ []string) error { c.allowOverwrite = true; return nil }},
	}}
}

// seconds makes the action of an option taking a number of seconds.
func seconds(flag string, dst func(*config) *time.Duration) func(*config, []string) error {
	return func(c *config, v []string) error {
		f, err := strconv.ParseFloat(strings.TrimSpace(v[0]), 64)
		if err != nil || f < 0 || f > 1e9 || f != f {
			return &usageError{"argument " + flag + ": invalid seconds value: " + pystr.ReprUTF8(v[0])}
		}
		*dst(c) = time.Duration(f * float64(time.Second))
		return nil
	}
}

// count makes the action of an option taking a non-negative integer.
func count(flag string, dst func(*config) *int) func(*config, []string) error {
	return func(c *config, v []string) error {
		n, valid, overflow := pystr.Int(strings.TrimSpace(v[0]), 64)
		if !valid || overflow || n < 0 || n > 1<<40 {
			return &usageError{"argument " + flag + ": invalid count value: " + pystr.ReprUTF8(v[0])}
		}
		*dst(c) = int(n)
		return nil
	}
}

// setPort converts the positional port as argparse's type=int would, and
// refuses what no socket can bind (Python lets the C resolver wrap ports
// above 65535 around, or fail with a traceback).
func (c *config) setPort(s string) error {
	n, valid, overflow := pystr.Int(strings.TrimSpace(s), 64)
	if !valid || overflow {
		return &usageError{"argument port: invalid int value: " + pystr.ReprUTF8(s)}
	}
	if n < 0 || n > 65535 {
		return &usageError{fmt.Sprintf("argument port: %d is not a valid port (0-65535)", n)}
	}
	c.port = int(n)
	return nil
}

// serve is run with the program name and the stop signals supplied, so
// tests can drive it in-process.
func serve(prog string, args []string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	p := newParser(prog)
	width := terminalWidth()
	usageFail := func(msg string) int {
		fmt.Fprint(stderr, p.usage(width))
		fmt.Fprintf(stderr, "%s: error: %s\n", prog, msg)
		return 2
	}
	cwd, _ := os.Getwd()
	c := &config{
		directory: cwd, protocol: "HTTP/1.0", contentType: "application/octet-stream", port: 8000,
		readHeaderTimeout: defaultReadHeaderTimeout, readBodyTimeout: defaultReadBodyTimeout, idleTimeout: defaultIdleTimeout,
		writeTimeout: defaultWriteTimeout, maxHeaderBytes: defaultMaxHeaderBytes,
		maxConnections: defaultMaxConnections, maxMethodLength: defaultMaxMethodLength,
	}
	if err := p.parse(args, c); err != nil {
		var ue *usageError
		switch {
		case errors.Is(err, helpRequested{}):
			fmt.Fprint(stdout, p.help(width))
			return 0
		case errors.As(err, &ue):
			return usageFail(ue.msg)
		}
		return usageFail(err.Error())
	}
	if c.tlsCert == "" && c.tlsKey != "" {
		return usageFail("--tls-key requires --tls-cert to be set")
	}
	var password string
	if c.tlsPasswordFile != "" {
		if c.tlsCert == "" {
			return usageFail("--tls-password-file requires --tls-cert to be set")
		}
		data, err := os.ReadFile(c.tlsPasswordFile)
		if err != nil {
			return usageFail("Failed to read TLS password file: " + pyOSError(err, c.tlsPasswordFile))
		}
		password = strings.TrimFunc(string(data), pystr.IsUnicodeSpace)
	}
	if !c.upload && (c.maxUploadSize != 0 || c.allowOverwrite) {
		flag := "--max-upload-size"
		if c.allowOverwrite {
			flag = "--allow-overwrite"
		}
		return usageFail(flag + " requires --upload to be set")
	}
	var auth *httpserver.BasicAuth
	if c.authFile != "" {
		var err error
		if auth, err = httpserver.ReadHtpasswd(c.authFile); err != nil {
			// A file to fix, not a command line: one line, no usage.
			fmt.Fprintf(stderr, "%s: error: argument --auth-file: %s\n", prog, strings.TrimPrefix(err.Error(), "httpserver: "))
			return 2
		}
	}

	srv, err := listen(c, handlerClass(c, auth), password)
	if err != nil {
		// The library's errors carry its own "httpserver: " prefix.
		fmt.Fprintf(stderr, "%s: %s\n", prog, strings.TrimPrefix(err.Error(), "httpserver: "))
		return 1
	}
	srv.Stderr = stderr
	srv.ReadHeaderTimeout = c.readHeaderTimeout
	srv.ReadBodyTimeout = c.readBodyTimeout
	srv.IdleTimeout = c.idleTimeout
	srv.WriteTimeout = c.writeTimeout
	srv.MaxHeaderBytes = c.maxHeaderBytes
	srv.MaxConns = c.maxConnections
	srv.OverloadRetryAfter = c.overloadRetryAfter
	srv.MaxMethodLength = c.maxMethodLength
	srv.RequireHost = !c.noHostCheck

	scheme := "HTTP"
	if c.tlsCert != "" {
		scheme = "HTTPS"
	}
	host, port := hostPort(srv.ServerAddress)
	urlHost := host
	if strings.Contains(host, ":") {
		urlHost = "[" + host + "]"
	}
	url := fmt.Sprintf("%s://%s:%d/", strings.ToLower(scheme), urlHost, port)
	var green, cyan, reset string
	if httpserver.CanColorize(stdout) {
		green, cyan, reset = "\x1b[32m", "\x1b[36m", "\x1b[0m"
	}
	if c.upload && auth == nil && !isLoopback(srv.ServerAddress) {
		fmt.Fprintf(stderr, "%s: warning: uploads are on without --auth-file: anyone who can reach %s can write to %s\n", prog, url, c.directory)
	}
	say(stdout, fmt.Sprintf("%sServing %s on %s port %d%s (%s%s%s) ...\n", green, scheme, host, port, reset, cyan, url, reset))

	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	select {
	case err := <-served:
		srv.ServerClose()
		if errors.Is(err, httpserver.ErrServerClosed) {
			return 0
		}
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	case sig := <-stop:
		if sig == os.Interrupt {
			say(stdout, "\nKeyboard interrupt received, exiting.\n")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	srv.ShutdownContext(ctx)
	<-served
	srv.ServerClose()
	return 0
}

// drainTimeout bounds how long a stopping server waits for responses in
// progress.
const drainTimeout = 5 * time.Second

// listen makes the server: ThreadingHTTPServer, or ThreadingHTTPSServer
// with --tls-cert, serving class on the address Python's CLI would bind.
func listen(c *config, class httpserver.HandlerClass, password string) (*httpserver.HTTPServer, error) {
	newServer := func(addr string) (*httpserver.HTTPServer, error) {
		if c.tlsCert != "" {
			s, err := httpserver.NewThreadingHTTPSServer(addr, class, httpserver.TLSOptions{
				CertFile: c.tlsCert, KeyFile: c.tlsKey, Password: password,
			})
			if err != nil {
				return nil, err
			}
			return &s.HTTPServer, nil
		}
		s, err := httpserver.NewThreadingHTTPServer(addr, class)
		if err != nil {
			return nil, err
		}
		return &s.HTTPServer, nil
	}
	port := strconv.Itoa(c.port)
	if c.bind == "" {
		// All interfaces: an IPv6 socket that takes IPv4 too, where the
		// machine has IPv6.
		s, err := newServer(net.JoinHostPort("::", port))
		if err == nil || !errors.Is(err, syscall.EAFNOSUPPORT) && !errors.Is(err, syscall.EADDRNOTAVAIL) {
			return s, bindError(err, "::", c.port)
		}
		s, err = newServer(net.JoinHostPort("0.0.0.0", port))
		return s, bindError(err, "0.0.0.0", c.port)
	}
	host := c.bind
	if net.ParseIP(strings.SplitN(host, "%", 2)[0]) == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil || len(addrs) == 0 {
			return nil, fmt.Errorf("cannot resolve bind address %s: %v", pystr.ReprUTF8(c.bind), lookupReason(err))
		}
		host = addrs[0].String()
	}
	s, err := newServer(net.JoinHostPort(host, port))
	return s, bindError(err, host, c.port)
}

// bindError names the address in a failure to listen; errors of the TLS
// files already name their file.
func bindError(err error, host string, port int) error {
	var opErr *net.OpError
	if err == nil || !errors.As(err, &opErr) {
		return err
	}
	reason := opErr.Err
	var se *os.SyscallError
	if errors.As(reason, &se) {
		reason = se.Err
	}
	return fmt.Errorf("cannot listen on %s port %d: %v", host, port, reason)
}

func lookupReason(err error) string {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Err
	}
	if err == nil {
		return "no address"
	}
	return err.Error()
}

func hostPort(a net.Addr) (string, int) {
	if t, ok := a.(*net.TCPAddr); ok {
		host := t.IP.String()
		if t.Zone != "" {
			host += "%" + t.Zone
		}
		return host, t.Port
	}
	return a.String(), 0
}

// pyOSError formats an error reading path as Python's OSError prints:
// "[Errno 2] No such file or directory: '/nonexistent'".
func pyOSError(err error, path string) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	text := errno.Error()
	if r, size := utf8.DecodeRuneInString(text); size > 0 {
		text = strings.ToUpper(string(r)) + text[size:]
	}
	return fmt.Sprintf("[Errno %d] %s: %s", int(errno), text, pystr.ReprUTF8(path))
}
