package httpserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/youmark/pkcs8"
)

// TLSOptions names the certificate, key and protocols of an HTTPS server:
// the keyword arguments of Python's HTTPSServer.
type TLSOptions struct {
	// CertFile is the PEM file holding the server's certificate chain,
	// leaf first, then any intermediates, as certfile. Required. It may
	// hold the private key too.
	CertFile string
	// KeyFile is the PEM file holding the private key, as keyfile; ""
	// means the key is in CertFile, as keyfile=None. The key may be
	// PKCS#1 ("RSA PRIVATE KEY"), SEC 1 ("EC PRIVATE KEY") or PKCS#8
	// ("PRIVATE KEY": RSA, ECDSA or Ed25519), unencrypted or encrypted:
	// PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2 with PBKDF2 using HMAC-SHA1
	// or HMAC-SHA256, or scrypt, and AES or 3DES, as OpenSSL writes it)
	// or legacy PEM encryption ("Proc-Type: 4,ENCRYPTED", as openssl
	// genrsa -traditional writes it).
	KeyFile string
	// Password decrypts an encrypted key, as password; "" means none. It
	// is ignored when the key is not encrypted. Python also accepts a
	// callable; a Go program reads the password itself before it calls
	// the constructor.
	Password string
	// ALPNProtocols are the application protocols the server offers in
	// the TLS handshake, most preferred first, as alpn_protocols. Nil
	// means ["http/1.1"], as alpn_protocols=None; an empty non-nil slice
	// turns ALPN off. A client that offers none of them is served without
	// ALPN, as OpenSSL does, instead of being refused. The handler sees
	// the choice in TLS.NegotiatedProtocol. The handlers speak HTTP/1.x
	// only: offering "h2" makes HTTP/2 clients fail.
	ALPNProtocols []string
}

// HTTPSServer is an HTTPServer that speaks TLS, as Python's
// http.server.HTTPSServer: any handler class runs over it unchanged, and
// sees the TLS session in its TLS field. Like HTTPServer it serves one
// connection at a time; ThreadingHTTPSServer serves each on its own
// goroutine.
//
// Each connection's TLS handshake runs before VerifyRequest and the
// handler. A handshake that fails (plain HTTP sent to the HTTPS port, a
// client that hangs up or sends garbage) closes that connection and logs
// nothing, as in Python. Unlike Python's, the handshake must finish within
// 10 seconds (or ReadHeaderTimeout, if shorter), so a client that connects
// and stays silent cannot hold the server forever; on HTTPSServer it does
// hold up the other clients for that long, as the handshake runs in the
// serving loop.
//
// Make it with NewHTTPSServer: one made as a struct literal has no
// certificate, and refuses to serve.
type HTTPSServer struct {
	HTTPServer
}

// ThreadingHTTPSServer serves each connection on its own goroutine, as
// Python's ThreadingHTTPSServer (ThreadingMixIn + HTTPSServer). Unlike
// Python's, where the handshake runs in the accepting thread, the TLS
// handshake runs on the connection's goroutine, so a slow handshake never
// holds up accepting other clients.
type ThreadingHTTPSServer struct {
	HTTPSServer
}

// defaultHandshakeTimeout bounds the TLS handshake of each connection on
// the HTTPS servers; a client that has not completed it by then is
// disconnected. Python has no such limit.
const defaultHandshakeTimeout = 10 * time.Second

// NewHTTPSServer loads and checks the certificate chain and private key
// named by opts, then binds addr and listens, as HTTPSServer(
// server_address, RequestHandlerClass, certfile=..., keyfile=...,
// password=..., alpn_protocols=...). Unlike Python, which binds first, it
// returns a certificate or key problem before anything listens: a
// *TLSFileError naming the file, wrapping ErrNotCertificate,
// ErrNoPrivateKey, ErrUnsupportedKey, ErrKeyMismatch,
// ErrIncorrectPassword, ErrPasswordRequired or the error from reading the
// file (a missing file matches fs.ErrNotExist).
//
// The server accepts TLS 1.2 and 1.3, and does not ask for client
// certificates, as Python's default server context.
func NewHTTPSServer(addr string, class HandlerClass, opts TLSOptions) (*HTTPSServer, error) {
	s := &HTTPSServer{}
	if err := s.listenTLS(addr, class, opts); err != nil {
		return nil, err
	}
	return s, nil
}

// NewThreadingHTTPSServer is NewHTTPSServer for a ThreadingHTTPSServer,
// with DaemonThreads and BlockOnClose true as in Python.
func NewThreadingHTTPSServer(addr string, class HandlerClass, opts TLSOptions) (*ThreadingHTTPSServer, error) {
	s := &ThreadingHTTPSServer{}
	s.threading, s.DaemonThreads, s.BlockOnClose = true, true, true
	if err := s.listenTLS(addr, class, opts); err != nil {
		return nil, err
	}
	return s, nil
}

// listenTLS loads the certificate and key, and only then binds addr.
func (s *HTTPServer) listenTLS(addr string, class HandlerClass, opts TLSOptions) error {
	cfg, err := opts.serverConfig()
	if err != nil {
		return err
	}
	s.RequestHandlerClass, s.tlsConfig = class, cfg
	return s.bind(addr)
}

// errNoCertificate is returned by the serving methods of an HTTPSServer
// that was not made by its constructor.
var errNoCertificate = errors.New("httpserver: HTTPSServer has no certificate: make it with NewHTTPSServer")

// ServeForever serves over TLS; see HTTPServer.ServeForever.
func (s *HTTPSServer) ServeForever() error { return s.serveTLSForever(false) }

// Serve serves over TLS on l; see HTTPServer.Serve.
func (s *HTTPSServer) Serve(l net.Listener) error { return s.serveTLS(l, false) }

// HandleRequest handles one connection over TLS; see
// HTTPServer.HandleRequest.
func (s *HTTPSServer) HandleRequest() error { return s.handleTLSRequest(false) }

// ServeForever serves on the threading server; see HTTPServer.ServeForever.
func (s *ThreadingHTTPSServer) ServeForever() error { return s.serveTLSForever(true) }

// Serve serves on l from the threading server; see HTTPServer.Serve.
func (s *ThreadingHTTPSServer) Serve(l net.Listener) error { return s.serveTLS(l, true) }

// HandleRequest handles one connection on its own goroutine; see
// HTTPServer.HandleRequest.
func (s *ThreadingHTTPSServer) HandleRequest() error { return s.handleTLSRequest(true) }

// The HTTPS servers refuse to serve without the certificate their
// constructor loads.

func (s *HTTPSServer) serveTLSForever(threading bool) error {
	if s.tlsConfig == nil {
		return errNoCertificate
	}
	return s.serveForever(threading)
}

func (s *HTTPSServer) serveTLS(l net.Listener, threading bool) error {
	if s.tlsConfig == nil {
		return errNoCertificate
	}
	return s.serve(l, threading)
}

func (s *HTTPSServer) handleTLSRequest(threading bool) error {
	if s.tlsConfig == nil {
		return errNoCertificate
	}
	return s.handleRequest(threading)
}

// handshake runs the TLS handshake of a new connection, within
// defaultHandshakeTimeout (or the limit a test sets), or ReadHeaderTimeout
// when that is shorter (the first request must arrive within it of the
// accept anyway), then clears the deadline so that the handler's own
// timeouts govern the rest.
func (s *HTTPServer) handshake(nc net.Conn) (*tls.Conn, error) {
	limit := defaultHandshakeTimeout
	if s.handshakeTimeout > 0 {
		limit = s.handshakeTimeout
	}
	if s.ReadHeaderTimeout > 0 {
		limit = min(limit, s.ReadHeaderTimeout)
	}
	nc.SetDeadline(time.Now().Add(limit))
	tconn := tls.Server(nc, s.tlsConfig)
	if err := tconn.Handshake(); err != nil {
		return nil, err
	}
	if err := nc.SetDeadline(time.Time{}); err != nil {
		return nil, err
	}
	return tconn, nil
}

// serverConfig loads the certificate and key and builds the server's TLS
// configuration, as create_default_context(Purpose.CLIENT_AUTH) followed
// by load_cert_chain and set_alpn_protocols.
func (o TLSOptions) serverConfig() (*tls.Config, error) {
	protos := o.ALPNProtocols
	if protos == nil {
		protos = []string{"http/1.1"}
	}
	for _, p := range protos {
		if len(p) == 0 || len(p) > 255 {
			return nil, fmt.Errorf("httpserver: ALPN protocol %q: must be 1 to 255 bytes", p)
		}
	}
	cert, err := o.loadCertificate()
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		NextProtos:   slices.Clone(protos),
		MinVersion:   tls.VersionTLS12,
	}
	if len(protos) > 0 {
		// Go refuses a client whose protocols share none with the
		// server's; OpenSSL (so Python) goes on without ALPN.
		noALPN := cfg.Clone()
		noALPN.NextProtos = nil
		cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			for _, p := range hello.SupportedProtos {
				if slices.Contains(protos, p) {
					return nil, nil
				}
			}
			if len(hello.SupportedProtos) == 0 {
				return nil, nil
			}
			return noALPN, nil
		}
	}
	return cfg, nil
}

// loadCertificate reads and checks the certificate chain and the private
// key, as SSLContext.load_cert_chain(certfile, keyfile, password).
func (o TLSOptions) loadCertificate() (tls.Certificate, error) {
	if o.CertFile == "" {
		return tls.Certificate{}, errors.New("httpserver: TLSOptions.CertFile is required")
	}
	certPEM, err := readTLSFile(o.CertFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	chain, leaf, err := parseCertificates(certPEM)
	if err != nil {
		return tls.Certificate{}, &TLSFileError{Path: o.CertFile, Err: err}
	}
	keyPath, keyPEM := o.CertFile, certPEM
	if o.KeyFile != "" {
		keyPath = o.KeyFile
		if keyPEM, err = readTLSFile(o.KeyFile); err != nil {
			return tls.Certificate{}, err
		}
	}
	key, err := parsePrivateKey(keyPEM, o.Password)
	if err != nil {
		return tls.Certificate{}, &TLSFileError{Path: keyPath, Err: err}
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(leaf.PublicKey) {
		return tls.Certificate{}, &TLSFileError{Path: keyPath, Err: fmt.Errorf("%w in %s", ErrKeyMismatch, o.CertFile)}
	}
	return tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}, nil
}

// readTLSFile reads a certificate or key file, reporting a failure as a
// *TLSFileError that keeps the operating system's error (so a missing file
// matches fs.ErrNotExist).
func readTLSFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &TLSFileError{Path: path, Err: err}
	}
	return data, nil
}

// parseCertificates returns the DER of every CERTIFICATE block in data, in
// order, and the first one parsed. Other blocks (a key) are skipped.
func parseCertificates(data []byte) (chain [][]byte, leaf *x509.Certificate, err error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: certificate %d: %v", ErrNotCertificate, len(chain)+1, err)
		}
		if leaf == nil {
			leaf = c
		}
		chain = append(chain, block.Bytes)
	}
	if leaf == nil {
		return nil, nil, fmt.Errorf("%w: no PEM CERTIFICATE block", ErrNotCertificate)
	}
	return chain, leaf, nil
}

// keyLabels are the PEM types of the private keys parsePrivateKey reads
// (besides "ENCRYPTED PRIVATE KEY").
var keyLabels = []string{"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"}

// parsePrivateKey decodes the first private key block of data, decrypting
// it with password where it is encrypted.
func parsePrivateKey(data []byte, password string) (crypto.Signer, error) {
	var block *pem.Block
	for {
		block, data = pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("%w: no PEM private key block", ErrNoPrivateKey)
		}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			break
		}
	}
	var key any
	var err error
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		if password == "" {
			return nil, ErrPasswordRequired
		}
		key, err = decryptPKCS8(block.Bytes, password)
	case !slices.Contains(keyLabels, block.Type):
		return nil, fmt.Errorf("%w: PEM type %q", ErrUnsupportedKey, block.Type)
	case block.Headers["Proc-Type"] == "4,ENCRYPTED":
		if password == "" {
			return nil, ErrPasswordRequired
		}
		key, err = decryptLegacyPEM(block, password)
	default:
		key, err = parseKeyDER(block.Type, block.Bytes)
		if err != nil {
			err = fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
		}
	}
	if err != nil {
		return nil, err
	}
	switch k := key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return k.(crypto.Signer), nil
	}
	return nil, fmt.Errorf("%w: a %T cannot sign TLS handshakes", ErrUnsupportedKey, key)
}

// parseKeyDER parses an unencrypted key of the given PEM type.
func parseKeyDER(label string, der []byte) (any, error) {
	switch label {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(der)
	default:
		return x509.ParsePKCS8PrivateKey(der)
	}
}

// decryptPKCS8 decrypts and parses a PKCS#8 EncryptedPrivateKeyInfo.
func decryptPKCS8(der []byte, password string) (key any, err error) {
	// The library's CBC decryption panics on a ciphertext that is not a
	// whole number of blocks, which only a damaged file has.
	defer func() {
		if r := recover(); r != nil {
			key, err = nil, fmt.Errorf("%w: damaged encrypted key: %v", ErrUnsupportedKey, r)
		}
	}()
	key, _, err = pkcs8.ParsePrivateKey(der, []byte(password))
	if err != nil {
		// The library decrypts, then reports a key that does not parse
		// with this text: what a wrong password gives. Its other errors
		// are about the file's form.
		if err.Error() == "pkcs8: incorrect password" {
			return nil, ErrIncorrectPassword
		}
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return key, nil
}

// decryptLegacyPEM decrypts and parses a PEM block with OpenSSL's legacy
// "Proc-Type: 4,ENCRYPTED" encryption. A wrong password usually fails the
// padding check; when it passes by chance, the key does not parse, which
// is reported the same way.
func decryptLegacyPEM(block *pem.Block, password string) (any, error) {
	// The format is deprecated because it does not authenticate the
	// ciphertext (a padding oracle for whoever can submit ciphertexts);
	// that does not apply to decrypting the server's own key file, and
	// OpenSSL still writes it.
	//lint:ignore SA1019 reading keys that OpenSSL writes with -traditional
	der, err := x509.DecryptPEMBlock(block, []byte(password))
	if errors.Is(err, x509.IncorrectPasswordError) {
		return nil, ErrIncorrectPassword
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	key, err := parseKeyDER(block.Type, der)
	if err != nil {
		return nil, ErrIncorrectPassword
	}
	return key, nil
}
