package httpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
	"github.com/httpserver-go/httpserver/internal/testcert"
	"github.com/youmark/pkcs8"
)

const tlsPassword = "correct horse"

// tlsFiles serves the files of dir, a plain listing of dir at "/", and a
// 404 error page for anything else. Every 200 response names the ALPN
// protocol the connection negotiated in X-ALPN.
type tlsFiles struct {
	httpserver.BaseHandler
	dir string
}

func tlsFilesClass(dir string) httpserver.HandlerClass {
	return func() httpserver.Handler {
		return &tlsFiles{BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}, dir: dir}
	}
}

func (h *tlsFiles) DoGET() {
	var body io.Reader
	var size int64
	if h.Path == "/" {
		var b strings.Builder
		entries, _ := os.ReadDir(h.dir)
		for _, e := range entries {
			b.WriteString(e.Name() + "\n")
		}
		body, size = strings.NewReader(b.String()), int64(b.Len())
	} else {
		f, err := os.Open(filepath.Join(h.dir, filepath.FromSlash(path.Clean(h.Path))))
		if err != nil {
			h.SendError(404, "File not found")
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			h.SendError(404, "File not found")
			return
		}
		body, size = f, fi.Size()
	}
	alpn := "(no TLS)"
	if h.TLS != nil {
		alpn = h.TLS.NegotiatedProtocol
	}
	h.SendResponse(200)
	h.SendHeader("Content-Type", "application/octet-stream")
	h.SendHeader("Content-Length", strconv.FormatInt(size, 10))
	h.SendHeader("X-ALPN", alpn)
	h.EndHeaders()
	io.Copy(h.Wfile, body) // an *os.File: the connection's ReadFrom path
}

// contentDir makes the directory tlsFiles serves: hello.txt, and big.bin
// when big is set.
func contentDir(t *testing.T, big bool) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "hello.txt"), []byte("hello over TLS\n"))
	if big {
		data := make([]byte, 8<<20)
		rand.Read(data)
		writeFile(t, filepath.Join(dir, "big.bin"), data)
	}
	return dir
}

func writeFile(t *testing.T, name string, parts ...[]byte) string {
	t.Helper()
	if err := os.WriteFile(name, bytes.Join(parts, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// serverKind is one of the two HTTPS server types, for tables that run on
// both.
type serverKind struct {
	name      string
	threading bool
}

var serverKinds = []serverKind{{"HTTPSServer", false}, {"ThreadingHTTPSServer", true}}

type servable interface {
	ServeForever() error
	Shutdown()
	ServerClose() error
}

// newTLSServer makes an HTTPS server of the kind asked for, without
// serving it.
func newTLSServer(threading bool, addr string, class httpserver.HandlerClass, opts httpserver.TLSOptions) (servable, *httpserver.HTTPServer, error) {
	if threading {
		s, err := httpserver.NewThreadingHTTPSServer(addr, class, opts)
		if err != nil {
			return nil, nil, err
		}
		return s, &s.HTTPServer, nil
	}
	s, err := httpserver.NewHTTPSServer(addr, class, opts)
	if err != nil {
		return nil, nil, err
	}
	return s, &s.HTTPServer, nil
}

// serveTLS makes an HTTPS server that logs nowhere, lets configure adjust
// it, and serves it until the test ends.
func serveTLS(t *testing.T, threading bool, opts httpserver.TLSOptions, class httpserver.HandlerClass, configure func(*httpserver.HTTPServer)) *httpserver.HTTPServer {
	t.Helper()
	srv, base, err := newTLSServer(threading, "127.0.0.1:0", class, opts)
	if err != nil {
		t.Fatal(err)
	}
	base.Stderr = io.Discard
	if configure != nil {
		configure(base)
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeForever() }()
	t.Cleanup(func() {
		srv.Shutdown()
		if err := <-done; !errors.Is(err, httpserver.ErrServerClosed) {
			t.Errorf("ServeForever = %v, want ErrServerClosed", err)
		}
		srv.ServerClose()
	})
	return base
}

// tlsClient returns an HTTP client that trusts roots and offers
// http/1.1 by ALPN. Its idle connections are closed when the test ends,
// before the server is shut down (a kept-alive connection holds the
// single-connection server).
func tlsClient(t *testing.T, roots ...*x509.Certificate) *http.Client {
	pool := x509.NewCertPool()
	for _, c := range roots {
		pool.AddCert(c)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, NextProtos: []string{"http/1.1"}}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func baseURL(s *httpserver.HTTPServer) string {
	return "https://" + s.ServerAddress.String()
}

// reply is what a test compares of a response.
type reply struct {
	Status int
	ALPN   string
	Body   string
}

// fetch GETs url and reports the response and whether it came over a
// reused connection.
func fetch(t *testing.T, c *http.Client, url string) (got reply, reused bool) {
	t.Helper()
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return reply{resp.StatusCode, resp.Header.Get("X-ALPN"), string(body)}, reused
}

// pairFiles writes a certificate file and, unless keyInCert, a key file
// into a new directory, and returns the options naming them.
func pairFiles(t *testing.T, cert, key []byte, keyInCert bool) httpserver.TLSOptions {
	t.Helper()
	dir := t.TempDir()
	opts := httpserver.TLSOptions{CertFile: filepath.Join(dir, "cert.pem")}
	if keyInCert {
		writeFile(t, opts.CertFile, cert, key)
		return opts
	}
	writeFile(t, opts.CertFile, cert)
	opts.KeyFile = writeFile(t, filepath.Join(dir, "key.pem"), key)
	return opts
}

var helloReply = reply{Status: 200, ALPN: "http/1.1", Body: "hello over TLS\n"}

// getHello fetches /hello.txt from srv, checks the reply, and reports
// whether the connection was reused.
func getHello(t *testing.T, c *http.Client, srv *httpserver.HTTPServer) (reused bool) {
	t.Helper()
	got, reused := fetch(t, c, baseURL(srv)+"/hello.txt")
	if diff := cmp.Diff(helloReply, got); diff != "" {
		t.Errorf("GET /hello.txt (-want +got):\n%s", diff)
	}
	return reused
}

// ecPair writes a new ECDSA key and its self-signed certificate to two
// files and returns the options naming them and the certificate.
func ecPair(t *testing.T) (httpserver.TLSOptions, *x509.Certificate) {
	t.Helper()
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	return pairFiles(t, testcert.CertPEM(cert), testcert.ECPEM(t, key), false), cert
}

func TestHTTPSServerKeyForms(t *testing.T) {
	rsaKey, ecKey, edKey := testcert.RSAKey(), testcert.NewECKey(t), testcert.NewEd25519Key(t)
	scrypt := &pkcs8.Opts{Cipher: pkcs8.AES128CBC, KDFOpts: pkcs8.ScryptOpts{SaltSize: 16, CostParameter: 1 << 10, BlockSize: 8, ParallelizationParameter: 1}}
	sha1DES := &pkcs8.Opts{Cipher: pkcs8.TripleDESCBC, KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 8, IterationCount: 2048, HMACHash: crypto.SHA1}}
	tests := []struct {
		name      string
		key       crypto.Signer
		keyPEM    []byte
		password  string
		keyInCert bool // KeyFile empty: the key follows the certificate
	}{
		{"RSA PKCS#1", rsaKey, testcert.PEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), "", false},
		{"RSA PKCS#8", rsaKey, testcert.PKCS8PEM(t, rsaKey), "", false},
		{"ECDSA SEC 1", ecKey, testcert.ECPEM(t, ecKey), "", false},
		{"ECDSA SEC 1 after EC PARAMETERS", ecKey, append(testcert.PEM("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), testcert.ECPEM(t, ecKey)...), "", false},
		{"ECDSA PKCS#8", ecKey, testcert.PKCS8PEM(t, ecKey), "", false},
		{"Ed25519 PKCS#8", edKey, testcert.PKCS8PEM(t, edKey), "", false},
		{"key in the certificate file", ecKey, testcert.ECPEM(t, ecKey), "", true},
		{"password given for a key that is not encrypted", ecKey, testcert.PKCS8PEM(t, ecKey), tlsPassword, false},
		{"RSA encrypted PKCS#8, PBKDF2-SHA256 AES-256-CBC", rsaKey, testcert.EncryptedPKCS8(t, rsaKey, tlsPassword, nil), tlsPassword, false},
		{"ECDSA encrypted PKCS#8, scrypt AES-128-CBC", ecKey, testcert.EncryptedPKCS8(t, ecKey, tlsPassword, scrypt), tlsPassword, false},
		{"Ed25519 encrypted PKCS#8, PBKDF2-SHA1 3DES", edKey, testcert.EncryptedPKCS8(t, edKey, tlsPassword, sha1DES), tlsPassword, false},
		{"encrypted PKCS#8 in the certificate file", ecKey, testcert.EncryptedPKCS8(t, ecKey, tlsPassword, nil), tlsPassword, true},
		{"RSA legacy PEM AES-256-CBC", rsaKey, testcert.LegacyPEM(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), tlsPassword, x509.PEMCipherAES256), tlsPassword, false},
		{"ECDSA legacy PEM DES-EDE3-CBC", ecKey, testcert.LegacyPEM(t, "EC PRIVATE KEY", must(x509.MarshalECPrivateKey(ecKey)), tlsPassword, x509.PEMCipher3DES), tlsPassword, false},
	}
	content := contentDir(t, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert := testcert.SelfSigned(t, tt.key)
			opts := pairFiles(t, testcert.CertPEM(cert), tt.keyPEM, tt.keyInCert)
			opts.Password = tt.password
			srv := serveTLS(t, true, opts, tlsFilesClass(content), nil)
			getHello(t, tlsClient(t, cert), srv)
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestHTTPSServerKeyBeforeCertificate checks a certificate file that holds
// the key first, then the certificate.
func TestHTTPSServerKeyBeforeCertificate(t *testing.T) {
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	dir := t.TempDir()
	opts := httpserver.TLSOptions{CertFile: writeFile(t, filepath.Join(dir, "both.pem"), testcert.ECPEM(t, key), testcert.CertPEM(cert))}
	srv := serveTLS(t, false, opts, tlsFilesClass(contentDir(t, false)), nil)
	getHello(t, tlsClient(t, cert), srv)
}

// TestHTTPSServerChain checks that the intermediates after the leaf are
// sent: the client trusts only the root.
func TestHTTPSServerChain(t *testing.T) {
	rootKey, midKey, leafKey := testcert.NewECKey(t), testcert.NewECKey(t), testcert.NewECKey(t)
	root := testcert.Issue(t, rootKey.Public(), nil, rootKey, true)
	mid := testcert.Issue(t, midKey.Public(), root, rootKey, true)
	leaf := testcert.Issue(t, leafKey.Public(), mid, midKey, false)
	content := contentDir(t, false)
	for _, tt := range []struct {
		name  string
		chain []*x509.Certificate
		ok    bool
	}{
		{"leaf and intermediate", []*x509.Certificate{leaf, mid}, true},
		{"leaf alone", []*x509.Certificate{leaf}, false}, // shows the first case needs the chain
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := pairFiles(t, testcert.CertPEM(tt.chain...), testcert.ECPEM(t, leafKey), false)
			srv := serveTLS(t, true, opts, tlsFilesClass(content), nil)
			_, err := tlsClient(t, root).Get(baseURL(srv) + "/hello.txt")
			var unknown x509.UnknownAuthorityError
			if tt.ok && err != nil || !tt.ok && !errors.As(err, &unknown) {
				t.Errorf("GET = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestHTTPSServerServes serves a file, a listing, an error page and a
// large body over TLS on keep-alive connections, on both servers.
func TestHTTPSServerServes(t *testing.T) {
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	content := contentDir(t, true)
	bigBody, err := os.ReadFile(filepath.Join(content, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	bigSum := sha256.Sum256(bigBody)
	for _, kind := range serverKinds {
		t.Run(kind.name, func(t *testing.T) {
			var conns atomic.Int32
			var connType atomic.Value
			srv := serveTLS(t, kind.threading, pairFiles(t, testcert.CertPEM(cert), testcert.PKCS8PEM(t, key), false), tlsFilesClass(content), func(s *httpserver.HTTPServer) {
				s.VerifyRequest = func(c net.Conn, _ net.Addr) bool {
					conns.Add(1)
					connType.Store(fmt.Sprintf("%T", c))
					return true
				}
			})
			c := tlsClient(t, cert)
			steps := []struct {
				path   string
				want   reply
				reused bool
			}{
				{"/hello.txt", helloReply, false},
				{"/", reply{200, "http/1.1", "big.bin\nhello.txt\n"}, true},
				{"/big.bin", reply{200, "http/1.1", fmt.Sprintf("sha256 %x", bigSum)}, true},
				{"/missing", reply{404, "", errorPage(404, "File not found", "Nothing matches the given URI")}, true},
				{"/hello.txt", helloReply, false}, // the error page closed the connection
			}
			for _, st := range steps {
				got, reused := fetch(t, c, baseURL(srv)+st.path)
				if st.path == "/big.bin" && len(got.Body) == len(bigBody) {
					got.Body = fmt.Sprintf("sha256 %x", sha256.Sum256([]byte(got.Body)))
				}
				if diff := cmp.Diff(st.want, got); diff != "" {
					t.Errorf("GET %s (-want +got):\n%s", st.path, diff)
				}
				if reused != st.reused {
					t.Errorf("GET %s: connection reused = %v, want %v", st.path, reused, st.reused)
				}
			}
			if n := conns.Load(); n != 2 {
				t.Errorf("VerifyRequest saw %d connections, want 2", n)
			}
			if got := connType.Load(); got != "*tls.Conn" {
				t.Errorf("VerifyRequest got a %v, want a *tls.Conn", got)
			}
		})
	}
}

// errorPage is the body of BaseHandler's default error page.
func errorPage(code int, message, explain string) string {
	r := strings.NewReplacer("%(code)d", strconv.Itoa(code), "%(code)s", strconv.Itoa(code), "%(message)s", message, "%(explain)s", explain)
	return r.Replace(httpserver.DefaultErrorMessageFormat)
}

// TestHTTPSServerALPN checks what the handler and the client see as the
// negotiated protocol. Python (OpenSSL) prefers the server's order and,
// when nothing overlaps, goes on without ALPN.
func TestHTTPSServerALPN(t *testing.T) {
	pair, cert := ecPair(t)
	content := contentDir(t, false)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	tests := []struct {
		name   string
		server []string
		client []string
		want   string
	}{
		{"default, client offers http/1.1", nil, []string{"http/1.1"}, "http/1.1"},
		{"default, client offers h2 and http/1.1", nil, []string{"h2", "http/1.1"}, "http/1.1"},
		{"default, client offers only h2", nil, []string{"h2"}, ""},
		{"default, client without ALPN", nil, nil, ""},
		{"custom, the server's preference wins", []string{"spam/1", "http/1.1"}, []string{"http/1.1", "spam/1"}, "spam/1"},
		{"custom, client offers http/1.1", []string{"spam/1", "http/1.1"}, []string{"http/1.1"}, "http/1.1"},
		{"ALPN off", []string{}, []string{"http/1.1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := pair
			opts.ALPNProtocols = tt.server
			srv := serveTLS(t, true, opts, tlsFilesClass(content), nil)
			conn, err := tls.Dial("tcp", srv.ServerAddress.String(), &tls.Config{RootCAs: pool, NextProtos: tt.client})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			io.WriteString(conn, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := [2]string{conn.ConnectionState().NegotiatedProtocol, resp.Header.Get("X-ALPN")}
			if want := [2]string{tt.want, tt.want}; got != want {
				t.Errorf("negotiated [client, handler] = %q, want %q", got, want)
			}
		})
	}
}

// closedByServer reads from c until the server closes it, and returns what
// arrived; it fails the test if the server keeps the connection open.
func closedByServer(t *testing.T, c net.Conn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open; read %q", got)
	}
	return got
}

// TestHTTPSServerHandshakeFailures checks that a client that fails the
// handshake costs only its own connection, gets no HTTP response, and is
// not logged (Python logs nothing either), on both servers.
func TestHTTPSServerHandshakeFailures(t *testing.T) {
	opts, cert := ecPair(t)
	content := contentDir(t, false)
	clients := []struct {
		name string
		do   func(t *testing.T, addr string)
	}{
		{"plain HTTP", func(t *testing.T, addr string) {
			c := dial(t, addr)
			io.WriteString(c, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
			if got := closedByServer(t, c); bytes.Contains(got, []byte("HTTP/")) {
				t.Errorf("a plain HTTP client got %q", got)
			}
		}},
		{"hang up", func(t *testing.T, addr string) {
			dial(t, addr).Close()
		}},
		{"garbage", func(t *testing.T, addr string) {
			c := dial(t, addr)
			c.Write(bytes.Repeat([]byte("\x16\x03\x01\x00\x05spam!"), 8))
			if got := closedByServer(t, c); bytes.Contains(got, []byte("HTTP/")) {
				t.Errorf("a garbage client got %q", got)
			}
		}},
		{"TLS 1.1 client", func(t *testing.T, addr string) {
			pool := x509.NewCertPool()
			pool.AddCert(cert)
			c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11})
			if err == nil {
				c.Close()
				t.Error("a TLS 1.1 handshake succeeded; Python's server refuses TLS < 1.2")
			}
		}},
	}
	for _, kind := range serverKinds {
		t.Run(kind.name, func(t *testing.T) {
			var stderr syncbuf.Buffer
			srv := serveTLS(t, kind.threading, opts, tlsFilesClass(content), func(s *httpserver.HTTPServer) {
				s.Stderr = &stderr
			})
			for _, cl := range clients {
				t.Run(cl.name, func(t *testing.T) {
					cl.do(t, srv.ServerAddress.String())
					c := tlsClient(t, cert)
					getHello(t, c, srv) // the server goes on serving
					c.CloseIdleConnections()
				})
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != len(clients) {
				t.Errorf("Stderr has %d lines, want %d (one per good request):\n%s", len(lines), len(clients), stderr.String())
			}
			for _, l := range lines {
				if !strings.Contains(l, `"GET /hello.txt HTTP/1.1" 200 -`) {
					t.Errorf("unexpected log line %q", l)
				}
			}
		})
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestThreadingHTTPSServerSilentClient checks that a client that connects
// and never starts the handshake does not hold up another client: the
// handshake runs on the connection's goroutine, not the accepting one.
func TestThreadingHTTPSServerSilentClient(t *testing.T) {
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, tlsFilesClass(contentDir(t, false)), nil)
	for range 3 {
		dial(t, srv.ServerAddress.String()) // silent until the test ends
	}
	c := tlsClient(t, cert)
	c.Timeout = 5 * time.Second // well under the 10 s handshake limit
	getHello(t, c, srv)
}

// TestHTTPSServerHandshakeTimeout checks that a silent client is
// disconnected when the handshake limit passes, and that on the
// single-connection server the next client is then served.
func TestHTTPSServerHandshakeTimeout(t *testing.T) {
	const limit = 200 * time.Millisecond
	opts, cert := ecPair(t)
	content := contentDir(t, false)
	for _, kind := range serverKinds {
		t.Run(kind.name, func(t *testing.T) {
			srv := serveTLS(t, kind.threading, opts, tlsFilesClass(content), func(s *httpserver.HTTPServer) {
				httpserver.SetHandshakeTimeout(s, limit)
			})
			start := time.Now()
			silent := dial(t, srv.ServerAddress.String())
			if got := closedByServer(t, silent); len(got) != 0 {
				t.Errorf("the silent client got %q", got)
			}
			if elapsed := time.Since(start); elapsed < limit {
				t.Errorf("the silent client was dropped after %v, before the %v limit", elapsed, limit)
			}
			getHello(t, tlsClient(t, cert), srv)
		})
	}
}

// TestHTTPSServerHandshakeDeadlineCleared checks that the handshake limit
// does not carry over to the requests: a kept-alive connection idle for
// longer than it still serves.
func TestHTTPSServerHandshakeDeadlineCleared(t *testing.T) {
	const limit = 100 * time.Millisecond
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, tlsFilesClass(contentDir(t, false)), func(s *httpserver.HTTPServer) {
		httpserver.SetHandshakeTimeout(s, limit)
	})
	c := tlsClient(t, cert)
	fetch(t, c, baseURL(srv)+"/hello.txt")
	time.Sleep(3 * limit) // what is tested is a deadline: let it pass
	if reused := getHello(t, c, srv); !reused {
		t.Error("the second GET did not reuse the connection")
	}
}

// TestHTTPSServerNeedsConstructor checks that an HTTPS server made as a
// struct literal, which has no certificate, refuses to serve rather than
// serve plain HTTP.
func TestHTTPSServerNeedsConstructor(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for name, serve := range map[string]func() error{
		"HTTPSServer.Serve":                 func() error { return new(httpserver.HTTPSServer).Serve(l) },
		"HTTPSServer.ServeForever":          new(httpserver.HTTPSServer).ServeForever,
		"HTTPSServer.HandleRequest":         new(httpserver.HTTPSServer).HandleRequest,
		"ThreadingHTTPSServer.Serve":        func() error { return new(httpserver.ThreadingHTTPSServer).Serve(l) },
		"ThreadingHTTPSServer.ServeForever": new(httpserver.ThreadingHTTPSServer).ServeForever,
	} {
		if err := serve(); err == nil || !strings.Contains(err.Error(), "NewHTTPSServer") {
			t.Errorf("%s = %v, want an error pointing to NewHTTPSServer", name, err)
		}
	}
}

// TestHTTPSServerErrors checks the error for every certificate and key
// problem: a distinct sentinel inside a *TLSFileError naming the file,
// returned before anything listens (the address is taken, so binding
// first would fail differently).
func TestHTTPSServerErrors(t *testing.T) {
	ecKey, otherKey, rsaKey := testcert.NewECKey(t), testcert.NewECKey(t), testcert.RSAKey()
	ecCert, rsaCert := testcert.CertPEM(testcert.SelfSigned(t, ecKey)), testcert.CertPEM(testcert.SelfSigned(t, rsaKey))
	ecDER := must(x509.MarshalECPrivateKey(ecKey))
	x25519 := must(ecdh.X25519().GenerateKey(rand.Reader))
	legacy := pemDecode(testcert.LegacyPEM(t, "EC PRIVATE KEY", ecDER, tlsPassword, x509.PEMCipherAES128))
	type files map[string][]byte
	tests := []struct {
		name     string
		files    files // cert.pem and key.pem, when present
		keyInCrt bool  // KeyFile empty
		password string
		want     error  // matched with errors.Is
		path     string // the file the error names
	}{
		{"certificate file missing", files{"key.pem": testcert.ECPEM(t, ecKey)}, false, "", fs.ErrNotExist, "cert.pem"},
		{"key file missing", files{"cert.pem": ecCert}, false, "", fs.ErrNotExist, "key.pem"},
		{"certificate file empty", files{"cert.pem": nil, "key.pem": testcert.ECPEM(t, ecKey)}, false, "", httpserver.ErrNotCertificate, "cert.pem"},
		{"certificate file holds a key", files{"cert.pem": testcert.ECPEM(t, ecKey), "key.pem": testcert.ECPEM(t, ecKey)}, false, "", httpserver.ErrNotCertificate, "cert.pem"},
		{"certificate in DER", files{"cert.pem": pemDecode(ecCert).Bytes, "key.pem": testcert.ECPEM(t, ecKey)}, false, "", httpserver.ErrNotCertificate, "cert.pem"},
		{"certificate damaged", files{"cert.pem": testcert.PEM("CERTIFICATE", []byte("spam")), "key.pem": testcert.ECPEM(t, ecKey)}, false, "", httpserver.ErrNotCertificate, "cert.pem"},
		{"key file holds a certificate", files{"cert.pem": ecCert, "key.pem": ecCert}, false, "", httpserver.ErrNoPrivateKey, "key.pem"},
		{"key in DER", files{"cert.pem": ecCert, "key.pem": ecDER}, false, "", httpserver.ErrNoPrivateKey, "key.pem"},
		{"no key beside the certificate", files{"cert.pem": ecCert}, true, "", httpserver.ErrNoPrivateKey, "cert.pem"},
		{"DSA key", files{"cert.pem": ecCert, "key.pem": testcert.PEM("DSA PRIVATE KEY", []byte("spam"))}, false, "", httpserver.ErrUnsupportedKey, "key.pem"},
		{"OpenSSH key", files{"cert.pem": ecCert, "key.pem": testcert.PEM("OPENSSH PRIVATE KEY", []byte("spam"))}, false, "", httpserver.ErrUnsupportedKey, "key.pem"},
		{"X25519 key", files{"cert.pem": ecCert, "key.pem": testcert.PKCS8PEM(t, x25519)}, false, "", httpserver.ErrUnsupportedKey, "key.pem"},
		{"PKCS#8 key damaged", files{"cert.pem": ecCert, "key.pem": testcert.PEM("PRIVATE KEY", []byte("spam"))}, false, "", httpserver.ErrUnsupportedKey, "key.pem"},
		{"SEC 1 key damaged", files{"cert.pem": ecCert, "key.pem": testcert.PEM("EC PRIVATE KEY", []byte("spam"))}, false, "", httpserver.ErrUnsupportedKey, "key.pem"},
		{"encrypted PKCS#8 key damaged", files{"cert.pem": ecCert, "key.pem": truncatedPKCS8(t, ecKey)}, false, tlsPassword, httpserver.ErrUnsupportedKey, "key.pem"},
		{"key of another certificate", files{"cert.pem": ecCert, "key.pem": testcert.ECPEM(t, otherKey)}, false, "", httpserver.ErrKeyMismatch, "key.pem"},
		{"key of another type", files{"cert.pem": rsaCert, "key.pem": testcert.ECPEM(t, ecKey)}, false, "", httpserver.ErrKeyMismatch, "key.pem"},
		{"wrong key beside the certificate", files{"cert.pem": append(slicesClone(ecCert), testcert.ECPEM(t, otherKey)...)}, true, "", httpserver.ErrKeyMismatch, "cert.pem"},
		{"encrypted PKCS#8, wrong password", files{"cert.pem": ecCert, "key.pem": testcert.EncryptedPKCS8(t, ecKey, tlsPassword, nil)}, false, "wrong", httpserver.ErrIncorrectPassword, "key.pem"},
		{"legacy PEM, wrong password", files{"cert.pem": ecCert, "key.pem": pem.EncodeToMemory(legacy)}, false, "wrong", httpserver.ErrIncorrectPassword, "key.pem"},
		{"legacy PEM, wrong password that passes the padding check", files{"cert.pem": ecCert, "key.pem": pem.EncodeToMemory(legacy)}, false, passesPadding(t, legacy), httpserver.ErrIncorrectPassword, "key.pem"},
		{"encrypted PKCS#8, no password", files{"cert.pem": ecCert, "key.pem": testcert.EncryptedPKCS8(t, ecKey, tlsPassword, nil)}, false, "", httpserver.ErrPasswordRequired, "key.pem"},
		{"legacy PEM, no password", files{"cert.pem": ecCert, "key.pem": pem.EncodeToMemory(legacy)}, false, "", httpserver.ErrPasswordRequired, "key.pem"},
		{"encrypted key beside the certificate, no password", files{"cert.pem": append(slicesClone(ecCert), testcert.EncryptedPKCS8(t, ecKey, tlsPassword, nil)...)}, true, "", httpserver.ErrPasswordRequired, "cert.pem"},
	}
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				writeFile(t, filepath.Join(dir, name), data)
			}
			opts := httpserver.TLSOptions{CertFile: filepath.Join(dir, "cert.pem"), Password: tt.password}
			if !tt.keyInCrt {
				opts.KeyFile = filepath.Join(dir, "key.pem")
			}
			for _, kind := range serverKinds {
				checkTLSError(t, kind, taken.Addr().String(), opts, tt.want, filepath.Join(dir, tt.path))
			}
		})
	}
}

// checkTLSError makes a server of kind with opts on addr, which is taken,
// and checks the error.
func checkTLSError(t *testing.T, kind serverKind, addr string, opts httpserver.TLSOptions, want error, path string) {
	t.Helper()
	srv, _, err := newTLSServer(kind.threading, addr, tlsFilesClass(t.TempDir()), opts)
	if err == nil {
		srv.ServerClose()
		t.Fatalf("%s: no error, want %v", kind.name, want)
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: %v; want an error matching %v", kind.name, err, want)
	}
	var fe *httpserver.TLSFileError
	if !errors.As(err, &fe) || fe.Path != path {
		t.Errorf("%s: %v; want a *TLSFileError for %s", kind.name, err, path)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("%s: %q does not name %s", kind.name, err, path)
	}
}

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }

func pemDecode(data []byte) *pem.Block {
	block, _ := pem.Decode(data)
	return block
}

// truncatedPKCS8 returns an encrypted PKCS#8 key whose ciphertext lost its
// last byte, as a damaged file would.
func truncatedPKCS8(t *testing.T, key any) []byte {
	t.Helper()
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		Data      []byte
	}
	if _, err := asn1.Unmarshal(pemDecode(testcert.EncryptedPKCS8(t, key, tlsPassword, nil)).Bytes, &info); err != nil {
		t.Fatal(err)
	}
	info.Data = info.Data[:len(info.Data)-1]
	return testcert.PEM("ENCRYPTED PRIVATE KEY", must(asn1.Marshal(info)))
}

// passesPadding finds a wrong password under which block's legacy PEM
// decryption ends in valid padding (about one in 256 does), so that only
// the key's parse can tell the password is wrong.
func passesPadding(t *testing.T, block *pem.Block) string {
	t.Helper()
	for i := range 1 << 16 {
		pw := "wrong " + strconv.Itoa(i)
		//lint:ignore SA1019 the test looks for what the legacy check lets through
		if _, err := x509.DecryptPEMBlock(block, []byte(pw)); err == nil {
			return pw
		}
	}
	t.Fatal("no password passed the padding check")
	return ""
}

// TestHTTPSServerOptionErrors checks the options that are wrong whatever
// the files hold.
func TestHTTPSServerOptionErrors(t *testing.T) {
	opts, _ := ecPair(t)
	tests := []struct {
		name string
		opts httpserver.TLSOptions
		want string
	}{
		{"no certificate file", httpserver.TLSOptions{KeyFile: opts.KeyFile}, "httpserver: TLSOptions.CertFile is required"},
		{"empty ALPN protocol", httpserver.TLSOptions{CertFile: opts.CertFile, KeyFile: opts.KeyFile, ALPNProtocols: []string{"http/1.1", ""}}, `httpserver: ALPN protocol "": must be 1 to 255 bytes`},
		{"ALPN protocol too long", httpserver.TLSOptions{CertFile: opts.CertFile, KeyFile: opts.KeyFile, ALPNProtocols: []string{strings.Repeat("x", 256)}}, "must be 1 to 255 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, kind := range serverKinds {
				srv, _, err := newTLSServer(kind.threading, "127.0.0.1:0", tlsFilesClass(t.TempDir()), tt.opts)
				if err == nil {
					srv.ServerClose()
				}
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v, want an error containing %q", kind.name, err, tt.want)
				}
			}
		})
	}
}

// TestHTTPSServerErrorText checks the messages a user reads.
func TestHTTPSServerErrorText(t *testing.T) {
	dir := t.TempDir()
	cert := filepath.Join(dir, "cert.pem")
	tests := []struct {
		err  error
		want string
	}{
		{&httpserver.TLSFileError{Path: cert, Err: fs.ErrNotExist}, "httpserver: " + cert + ": file does not exist"},
		{&httpserver.TLSFileError{Path: cert, Err: fmt.Errorf("%w: no PEM CERTIFICATE block", httpserver.ErrNotCertificate)}, "httpserver: " + cert + ": not a certificate: no PEM CERTIFICATE block"},
		{&httpserver.TLSFileError{Path: cert, Err: httpserver.ErrIncorrectPassword}, "httpserver: " + cert + ": incorrect password for the private key"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	_, err := httpserver.NewHTTPSServer("127.0.0.1:0", tlsFilesClass(dir), httpserver.TLSOptions{CertFile: cert})
	if want := "httpserver: " + cert + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("missing file: %v, want %q", err, want)
	}
}

// TestHTTPSServerOpenSSLKeys reads keys as the openssl command writes
// them today; skipped where openssl is not installed.
func TestHTTPSServerOpenSSLKeys(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	const pw = "PASS" // stands for the pass:... argument, which has a space
	const (
		rsaBase = "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out base.pem"
		ecBase  = "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out base.pem"
	)
	tests := []struct {
		name     string
		commands []string // run in order; the last writes key.pem
		label    string   // the PEM type of key.pem, to check the form
		want     error    // from the constructor with the right password
	}{
		{"genpkey RSA -aes-256-cbc", []string{"genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc -pass " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", nil},
		{"genpkey EC -aes-256-cbc", []string{"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", nil},
		{"genpkey ED25519 -aes-256-cbc", []string{"genpkey -algorithm ED25519 -aes-256-cbc -pass " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", nil},
		{"genrsa -aes256 -traditional", []string{"genrsa -aes256 -traditional -passout " + pw + " -out key.pem 2048"}, "RSA PRIVATE KEY", nil},
		{"genrsa -des3 -traditional", []string{"genrsa -des3 -traditional -passout " + pw + " -out key.pem 2048"}, "RSA PRIVATE KEY", nil},
		{"ec -aes256", []string{ecBase, "ec -in base.pem -aes256 -passout " + pw + " -out key.pem"}, "EC PRIVATE KEY", nil},
		{"pkcs8 -topk8 -v2 des3", []string{ecBase, "pkcs8 -topk8 -in base.pem -v2 des3 -passout " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", nil},
		{"pkcs8 -topk8 -scrypt", []string{ecBase, "pkcs8 -topk8 -in base.pem -scrypt -passout " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", nil},
		{"genpkey RSA, not encrypted", []string{rsaBase, "pkey -in base.pem -out key.pem"}, "PRIVATE KEY", nil},
		{"genrsa -traditional, not encrypted", []string{"genrsa -traditional -out key.pem 2048"}, "RSA PRIVATE KEY", nil},
		{"ecparam -genkey, not encrypted", []string{"ecparam -name prime256v1 -genkey -out key.pem"}, "EC PARAMETERS", nil},
		{"pkcs8 -v2prf hmacWithSHA512", []string{ecBase, "pkcs8 -topk8 -in base.pem -v2 aes256 -v2prf hmacWithSHA512 -passout " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", httpserver.ErrUnsupportedKey},
		{"pkcs8 -v1 PBE-SHA1-3DES", []string{ecBase, "pkcs8 -topk8 -in base.pem -v1 PBE-SHA1-3DES -passout " + pw + " -out key.pem"}, "ENCRYPTED PRIVATE KEY", httpserver.ErrUnsupportedKey},
	}
	content := contentDir(t, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, c := range tt.commands {
				args := strings.Fields(c)
				for i, a := range args {
					if a == pw {
						args[i] = "pass:" + tlsPassword
					}
				}
				openssl(t, dir, args...)
			}
			openssl(t, dir, "req", "-x509", "-new", "-key", "key.pem", "-passin", "pass:"+tlsPassword, "-subj", "/CN=localhost",
				"-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2", "-out", "cert.pem")
			keyPEM, err := os.ReadFile(filepath.Join(dir, "key.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if got := pemDecode(keyPEM).Type; got != tt.label {
				t.Fatalf("openssl wrote a %q block, want %q", got, tt.label)
			}
			opts := httpserver.TLSOptions{CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem"), Password: tlsPassword}
			if tt.want != nil {
				checkTLSError(t, serverKinds[1], "127.0.0.1:0", opts, tt.want, opts.KeyFile)
				return
			}
			cert, err := x509.ParseCertificate(pemDecode(must(os.ReadFile(opts.CertFile))).Bytes)
			if err != nil {
				t.Fatal(err)
			}
			srv := serveTLS(t, true, opts, tlsFilesClass(content), nil)
			getHello(t, tlsClient(t, cert), srv)
			if !strings.Contains(string(keyPEM), "ENCRYPTED") {
				return
			}
			for _, wrong := range []struct {
				password string
				want     error
			}{{"wrong", httpserver.ErrIncorrectPassword}, {"", httpserver.ErrPasswordRequired}} {
				opts.Password = wrong.password
				checkTLSError(t, serverKinds[0], "127.0.0.1:0", opts, wrong.want, opts.KeyFile)
			}
		})
	}
}

func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestHTTPSServerSimpleHandler serves a directory with SimpleHandler over
// TLS and fetches with net/http: a file, a listing, the directory
// redirect, an error page, keep-alive across them, and a file larger than
// the write buffer (sent by the pooled-buffer copy, as TLS rules out
// sendfile).
func TestHTTPSServerSimpleHandler(t *testing.T) {
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "hello.txt"), []byte("hello over TLS\n"))
	big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	writeFile(t, filepath.Join(dir, "big.bin"), big)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	class := func() httpserver.Handler {
		return &httpserver.SimpleHandler{
			BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
			Directory:   dir,
		}
	}
	for _, kind := range serverKinds {
		t.Run(kind.name, func(t *testing.T) {
			srv := serveTLS(t, kind.threading, pairFiles(t, testcert.CertPEM(cert), testcert.PKCS8PEM(t, key), false), class, nil)
			c := tlsClient(t, cert)
			get := func(path string) (*http.Response, string, bool) {
				t.Helper()
				var reused bool
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
				req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", baseURL(srv)+path, nil)
				resp, err := c.Do(req)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				return resp, string(b), reused
			}
			resp, body, _ := get("/hello.txt")
			if resp.StatusCode != 200 || body != "hello over TLS\n" || resp.Header.Get("Content-Type") != "text/plain" {
				t.Errorf("file: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			resp, body, reused := get("/")
			if resp.StatusCode != 200 || !strings.Contains(body, `<a href="hello.txt">hello.txt</a>`) || !strings.Contains(body, `<a href="sub/">sub/</a>`) {
				t.Errorf("listing: %d\n%s", resp.StatusCode, body)
			}
			if !reused {
				t.Error("the listing did not reuse the kept-alive connection")
			}
			resp, _, _ = get("/sub")
			if resp.Request.URL.Path != "/sub/" || resp.StatusCode != 200 {
				t.Errorf("directory redirect: ended at %s with %d, want /sub/ and 200", resp.Request.URL.Path, resp.StatusCode)
			}
			resp, body, reused = get("/big.bin")
			if resp.StatusCode != 200 || body != string(big) {
				t.Errorf("1 MiB file: status %d, %d bytes, intact %v", resp.StatusCode, len(body), body == string(big))
			}
			if !reused {
				t.Error("the large file did not reuse the kept-alive connection")
			}
			resp, body, _ = get("/missing")
			if resp.StatusCode != 404 || body != errorPage(404, "File not found", "Nothing matches the given URI") {
				t.Errorf("error page: %d %q", resp.StatusCode, body)
			}
		})
	}
}
