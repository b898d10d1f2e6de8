package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRun runs the example with a self-signed certificate, fetches its
// page trusting the certificate it printed, and stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"127.0.0.1:0"}, stdout)
		stdout.Close()
	}()
	lines := bufio.NewScanner(out)
	var certFile, url string
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "Try: curl --cacert "); ok {
			certFile, url, _ = strings.Cut(rest, " ")
			break
		}
	}
	go io.Copy(io.Discard, out) // the rest of the output
	if certFile == "" {
		t.Fatalf("no curl line; run = %v", <-done)
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, NextProtos: []string{"http/1.1"}}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hello over TLS 1.3, ALPN protocol \"http/1.1\".\n"; string(body) != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v", err)
	}
	if _, err := os.Stat(certFile); !os.IsNotExist(err) {
		t.Errorf("the temporary certificate is left behind: %v", err)
	}
}
