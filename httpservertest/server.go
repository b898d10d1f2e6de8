package httpservertest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/httpserver-go/httpserver"
)

// Server is a ThreadingHTTPServer serving a handler class on a loopback
// port, for tests, as httptest.Server serves an http.Handler. Make it
// with NewServer, NewTLSServer or NewUnstartedServer, and Close it when
// the test is done. Its methods are safe to call from several goroutines
// once it is started, except Start and StartTLS, which must be called
// once, before the others.
type Server struct {
	// URL is the server's base URL, "http://127.0.0.1:PORT" (or
	// "http://[::1]:PORT"), "https://" after StartTLS, with no trailing
	// slash. It is empty until the server starts.
	URL string
	// Listener is the listening socket, open from NewUnstartedServer on.
	// It stays a plain TCP listener after StartTLS: the server runs the
	// TLS handshake on each connection. A test may replace it with its own
	// listener before starting the server; Close closes it.
	Listener net.Listener
	// TLS is the server's TLS configuration, set by StartTLS. A test may
	// set it before StartTLS: StartTLS uses a copy and adds what it lacks
	// (the test certificate when it has none, NextProtos "http/1.1").
	TLS *tls.Config
	// Config is the server. Set its fields (limits, Stderr, hooks,
	// RequestHandlerClass) before Start or StartTLS and leave them alone
	// afterwards; do not replace it, nor call its serving methods: Start,
	// StartTLS and Close do. See the package documentation for where its
	// log goes when Stderr is nil.
	Config *httpserver.HTTPServer

	// Immutable after NewUnstartedServer.
	srv    *httpserver.ThreadingHTTPServer // Config is &srv.HTTPServer
	client *http.Client

	// Set by Start or StartTLS, before the server serves.
	certificate *x509.Certificate // the one Client and Dial trust
	dialConfig  *tls.Config       // Dial's TLS configuration, nil for plain
	served      chan struct{}     // closed when the server stops serving

	closeOnce sync.Once
}

// NewServer starts a server for class on a loopback port and returns it.
// The caller must Close it.
func NewServer(class httpserver.HandlerClass) *Server {
	s := NewUnstartedServer(class)
	s.Start()
	return s
}

// NewTLSServer starts a server for class speaking TLS on a loopback port
// and returns it. The caller must Close it.
func NewTLSServer(class httpserver.HandlerClass) *Server {
	s := NewUnstartedServer(class)
	s.StartTLS()
	return s
}

// NewUnstartedServer returns a server for class that is listening but not
// yet serving: a client that connects waits until Start or StartTLS. The
// test sets Config's fields, then starts it. The caller must Close it.
func NewUnstartedServer(class httpserver.HandlerClass) *Server {
	srv := &httpserver.ThreadingHTTPServer{}
	srv.RequestHandlerClass = class
	srv.DaemonThreads, srv.BlockOnClose = true, true // as NewThreadingHTTPServer
	return &Server{
		Listener: newLocalListener(),
		Config:   &srv.HTTPServer,
		srv:      srv,
		client:   &http.Client{Transport: &http.Transport{}},
	}
}

// Start starts serving a server from NewUnstartedServer over plain HTTP.
// It panics if the server was already started or Config replaced.
func (s *Server) Start() {
	s.checkUnstarted()
	s.start(nil)
}

// StartTLS starts serving a server from NewUnstartedServer over TLS, with
// the process's test certificate unless TLS names another. It panics if
// the server was already started or Config replaced.
func (s *Server) StartTLS() {
	s.checkUnstarted()
	var config *tls.Config
	if s.TLS != nil {
		config = s.TLS.Clone()
	} else {
		config = new(tls.Config)
	}
	if config.NextProtos == nil {
		config.NextProtos = []string{"http/1.1"}
	}
	if len(config.Certificates) == 0 && config.GetCertificate == nil && config.GetConfigForClient == nil {
		cert, err := localhostCert()
		if err != nil {
			panic("httpservertest: making the test certificate: " + err.Error())
		}
		config.Certificates = []tls.Certificate{cert}
	}
	if len(config.Certificates) > 0 {
		leaf, err := x509.ParseCertificate(config.Certificates[0].Certificate[0])
		if err != nil {
			panic("httpservertest: StartTLS: " + err.Error())
		}
		pool := x509.NewCertPool()
		pool.AddCert(leaf)
		s.certificate = leaf
		if tr, ok := s.client.Transport.(*http.Transport); ok {
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
		}
		s.dialConfig = &tls.Config{RootCAs: pool}
	} else {
		s.dialConfig = new(tls.Config) // trusts what the system trusts
	}
	s.TLS = config
	s.start(config)
}

// checkUnstarted panics unless the server may be started.
func (s *Server) checkUnstarted() {
	if s.served != nil {
		panic("httpservertest: server already started")
	}
	if s.Config != &s.srv.HTTPServer {
		panic("httpservertest: Config was replaced; set its fields instead")
	}
}

// start serves the listener, over TLS with config when it is non-nil,
// and returns once the server accepts connections.
func (s *Server) start(config *tls.Config) {
	quietLog(s.Config)
	scheme := "http://"
	if config != nil {
		scheme = "https://"
	}
	s.URL = scheme + s.Listener.Addr().String()
	l, ready := serveListener(s.Listener)
	s.served = make(chan struct{})
	var err error
	go func() {
		defer close(s.served)
		if config != nil {
			err = s.srv.ServeTLS(l, config)
		} else {
			err = s.srv.Serve(l)
		}
	}()
	select {
	case <-ready:
	case <-s.served:
		panic("httpservertest: the server did not start: " + err.Error())
	}
}

// closeWarning is how long Close waits for handlers before it says on
// os.Stderr what it is waiting for.
const closeWarning = 5 * time.Second

// Close stops the server: it stops accepting, closes every connection,
// including those whose request is still being handled (their handlers
// see reads and writes fail), waits for every handler to return, closes
// the listener and the Client's idle connections. A handler that does not
// return (one blocked on a channel the test never closes) holds Close;
// after 5 seconds Close says so on os.Stderr. Close must not be called
// from a handler. Calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		// First, so that the client, not the server, ends them.
		s.client.CloseIdleConnections()
		if s.served != nil {
			s.Config.Shutdown()
			<-s.served
			s.Config.CloseConnections()
			s.waitForHandlers()
		}
		s.Config.ServerClose()
		s.Listener.Close()
	})
}

// waitForHandlers waits until every connection has ended, after Close
// closed them all.
func (s *Server) waitForHandlers() {
	ctx, cancel := context.WithTimeout(context.Background(), closeWarning)
	defer cancel()
	if s.Config.ShutdownContext(ctx) == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "httpservertest: Close of %s has waited %v for handlers that have not returned\n", s.URL, closeWarning)
	s.Config.ShutdownContext(context.Background())
}

// CloseClientConnections closes every connection to the server, idle or
// with a request in progress, and leaves the server serving: a client
// sees the server hang up and may connect again.
func (s *Server) CloseClientConnections() {
	s.Config.CloseConnections()
}

// Certificate returns the certificate the server presents after StartTLS
// (the first of TLS.Certificates), or nil for a plain server.
func (s *Server) Certificate() *x509.Certificate {
	return s.certificate
}

// Client returns an HTTP client for the server, the same one at each
// call: after StartTLS it trusts the server's certificate, and Close
// closes its idle connections. It keeps connections alive as
// http.DefaultClient does, so a handler class that speaks HTTP/1.1 serves
// several requests on one connection. Use URL as the base of its
// requests.
func (s *Server) Client() *http.Client {
	return s.client
}

// dialTimeout bounds Dial, handshake included.
const dialTimeout = 10 * time.Second

// Dial opens a raw connection to the server, for a test that sends exact
// bytes and reads exactly what comes back: plain TCP, or after StartTLS
// a TLS connection whose handshake is done, trusting the server's
// certificate. The caller closes it; Close and CloseClientConnections
// close the server's end.
func (s *Server) Dial() (net.Conn, error) {
	d := &net.Dialer{Timeout: dialTimeout}
	addr := s.Listener.Addr().String()
	if s.dialConfig == nil {
		return d.Dial("tcp", addr)
	}
	td := &tls.Dialer{NetDialer: d, Config: s.dialConfig}
	return td.Dial("tcp", addr)
}
