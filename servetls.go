package httpserver

import (
	"crypto/tls"
	"errors"
	"net"
)

// ServeTLS serves TLS connections from l with config, as Serve serves
// plain ones: each connection's handshake runs before VerifyRequest and
// the handler, within the limits HTTPSServer describes, and the handler
// sees the session in its TLS field. It is for a certificate the program
// holds in memory (a test certificate, one from an ACME client, a
// GetCertificate callback) on a listener it already has; NewHTTPSServer
// loads one from files.
//
// config is used as given and must not be modified after the call. It
// must hold a certificate (Certificates, GetCertificate or
// GetConfigForClient). Its NextProtos should offer "http/1.1" and never
// "h2", as the handlers speak HTTP/1.x only; unlike TLSOptions, a client
// offering none of them is refused by the handshake.
//
// Like Serve, ServeTLS refuses a server that already has a listener, so
// it cannot change the TLS configuration of a server being served.
func (s *HTTPServer) ServeTLS(l net.Listener, config *tls.Config) error {
	return s.serveTLSOn(l, config, false)
}

func (s *HTTPServer) serveTLSOn(l net.Listener, config *tls.Config, threading bool) error {
	if config == nil || len(config.Certificates) == 0 && config.GetCertificate == nil && config.GetConfigForClient == nil {
		return errors.New("httpserver: ServeTLS: the TLS configuration has no certificate")
	}
	s.mu.Lock()
	if s.listener != nil && s.listener != l || s.serving {
		s.mu.Unlock()
		return errors.New("httpserver: ServeTLS: the server already has a listener")
	}
	s.tlsConfig = config
	s.mu.Unlock()
	return s.serve(l, threading)
}

// ServeTLS serves TLS on l from the threading server; see
// HTTPServer.ServeTLS.
func (s *ThreadingHTTPServer) ServeTLS(l net.Listener, config *tls.Config) error {
	return s.serveTLSOn(l, config, true)
}

// ServeTLS serves TLS on l from the threading server; see
// HTTPServer.ServeTLS.
func (s *ThreadingHTTPSServer) ServeTLS(l net.Listener, config *tls.Config) error {
	return s.serveTLSOn(l, config, true)
}
