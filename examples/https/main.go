// Command https serves a small page over HTTPS with a ThreadingHTTPSServer,
// the Go form of Python's
//
//	ThreadingHTTPSServer(("127.0.0.1", 4443), Hello, certfile="cert.pem",
//	                     keyfile="key.pem", password=...)
//
// Usage:
//
//	go run ./examples/https [-cert cert.pem] [-key key.pem] [-password-file pw.txt] [addr]
//
// Without -cert it makes a self-signed certificate for 127.0.0.1 and
// localhost in a temporary directory and prints how to fetch the page with
// curl, trusting that certificate. The page shows the TLS version and the
// protocol negotiated by ALPN.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpserver-go/httpserver"
)

// Hello answers GET with a page describing the connection's TLS session.
type Hello struct{ httpserver.BaseHandler }

func (h *Hello) DoGET() {
	body := fmt.Sprintf("Hello over %s, ALPN protocol %q.\n",
		tls.VersionName(h.TLS.Version), h.TLS.NegotiatedProtocol)
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain; charset=utf-8")
	h.SendHeader("Content-Length", strconv.Itoa(len(body)))
	h.EndHeaders()
	h.Wfile.WriteString(body)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err) // e.g. httpserver: key.pem: incorrect password for the private key
		os.Exit(1)
	}
}

// run serves until ctx ends.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("https", flag.ContinueOnError)
	certFile := flags.String("cert", "", "certificate chain file (PEM); none: make a self-signed one")
	keyFile := flags.String("key", "", "private key file (PEM); none: the key is in the -cert file")
	passwordFile := flags.String("password-file", "", "file holding the key's password (surrounding whitespace ignored)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	addr := "127.0.0.1:4443"
	if flags.NArg() > 0 {
		addr = flags.Arg(0)
	}

	opts := httpserver.TLSOptions{CertFile: *certFile, KeyFile: *keyFile}
	if *passwordFile != "" {
		data, err := os.ReadFile(*passwordFile)
		if err != nil {
			return err
		}
		opts.Password = strings.TrimSpace(string(data)) // as python -m http.server
	}
	if opts.CertFile == "" {
		dir, err := os.MkdirTemp("", "https-example-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if opts.CertFile, err = selfSigned(dir); err != nil {
			return err
		}
		opts.KeyFile = ""
	}

	srv, err := httpserver.NewThreadingHTTPSServer(addr, httpserver.Class[Hello](), opts)
	if err != nil {
		return err
	}
	defer srv.ServerClose()
	url := "https://" + srv.ServerAddress.String() + "/"
	host, _, _ := net.SplitHostPort(srv.ServerAddress.String())
	fmt.Fprintf(stdout, "Serving HTTPS on %s port %d (%s) ...\n", host, srv.ServerPort, url)
	if *certFile == "" {
		fmt.Fprintf(stdout, "Try: curl --cacert %s %s\n", opts.CertFile, url)
	}

	go func() {
		<-ctx.Done()
		srv.Shutdown()
	}()
	if err := srv.ServeForever(); !errors.Is(err, httpserver.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "\nKeyboard interrupt received, exiting.")
	return nil
}

// selfSigned writes an ECDSA key and a self-signed certificate for
// 127.0.0.1, ::1 and localhost into one PEM file in dir, as the CertFile
// of a TLSOptions without KeyFile, and returns its path.
func selfSigned(dir string) (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	path := filepath.Join(dir, "cert.pem")
	return path, os.WriteFile(path, data, 0o600)
}
