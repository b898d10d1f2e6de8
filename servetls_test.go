package httpserver_test

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
	"github.com/httpserver-go/httpserver/internal/testcert"
)

// memoryTLSConfig makes a key and a self-signed certificate in memory and
// returns a server configuration holding them, and the certificate.
func memoryTLSConfig(t *testing.T) (*tls.Config, *tls.Certificate) {
	t.Helper()
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	pair := tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}
	return &tls.Config{Certificates: []tls.Certificate{pair}, NextProtos: []string{"http/1.1"}}, &pair
}

// TestServeTLS checks that ServeTLS serves TLS with a certificate held in
// memory on a listener the program made, on servers made as struct
// literals, with the handler seeing the session; and that the threading
// servers stay threading (a client that never starts its handshake does
// not hold up the next one).
func TestServeTLS(t *testing.T) {
	config, pair := memoryTLSConfig(t)
	content := contentDir(t, false)
	kinds := []struct {
		name      string
		threading bool
		make      func() (*httpserver.HTTPServer, func(net.Listener, *tls.Config) error)
	}{
		{"HTTPServer", false, func() (*httpserver.HTTPServer, func(net.Listener, *tls.Config) error) {
			s := &httpserver.HTTPServer{}
			return s, s.ServeTLS
		}},
		{"ThreadingHTTPServer", true, func() (*httpserver.HTTPServer, func(net.Listener, *tls.Config) error) {
			s := &httpserver.ThreadingHTTPServer{}
			return &s.HTTPServer, s.ServeTLS
		}},
		{"ThreadingHTTPSServer", true, func() (*httpserver.HTTPServer, func(net.Listener, *tls.Config) error) {
			s := &httpserver.ThreadingHTTPSServer{}
			return &s.HTTPServer, s.ServeTLS
		}},
	}
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv, serveTLS := kind.make()
			srv.RequestHandlerClass = tlsFilesClass(content)
			var stderr syncbuf.Buffer
			srv.Stderr = &stderr
			served := make(chan error, 1)
			go func() { served <- serveTLS(l, config) }()
			defer func() {
				srv.Shutdown()
				if err := within(t, served, "ServeTLS after Shutdown"); !errors.Is(err, httpserver.ErrServerClosed) {
					t.Errorf("ServeTLS = %v, want ErrServerClosed", err)
				}
				srv.ServerClose()
			}()
			if kind.threading {
				dial(t, l.Addr().String()) // silent until the test ends
			}
			c := tlsClient(t, pair.Leaf)
			c.Timeout = 5 * time.Second // well under the 10 s handshake limit
			if got, _ := fetch(t, c, "https://"+l.Addr().String()+"/hello.txt"); got != helloReply {
				t.Errorf("GET /hello.txt (-want +got):\n%s", cmp.Diff(helloReply, got))
			}
			c.CloseIdleConnections()
			if got := stderr.String(); !strings.Contains(got, `"GET /hello.txt HTTP/1.1" 200 -`) {
				t.Errorf("Stderr = %q, want the request's log line", got)
			}
		})
	}
}

// TestServeTLSRefuses checks the misuses ServeTLS reports instead of
// serving: no configuration, one without a certificate, and a server
// that already has a listener.
func TestServeTLSRefuses(t *testing.T) {
	config, _ := memoryTLSConfig(t)
	bound, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", tlsFilesClass(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer bound.ServerClose()
	cases := []struct {
		name   string
		srv    *httpserver.ThreadingHTTPServer
		config *tls.Config
		want   string
	}{
		{"nil config", &httpserver.ThreadingHTTPServer{}, nil, "httpserver: ServeTLS: the TLS configuration has no certificate"},
		{"no certificate", &httpserver.ThreadingHTTPServer{}, &tls.Config{NextProtos: []string{"http/1.1"}}, "httpserver: ServeTLS: the TLS configuration has no certificate"},
		{"bound server", bound, config, "httpserver: ServeTLS: the server already has a listener"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			done := make(chan error, 1)
			go func() { done <- tc.srv.ServeTLS(l, tc.config) }()
			if err := within(t, done, "ServeTLS refusing"); err == nil || err.Error() != tc.want {
				t.Errorf("ServeTLS = %v, want %q", err, tc.want)
			}
		})
	}
}
