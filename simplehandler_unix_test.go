//go:build unix

package httpserver_test

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSimpleHandlerRefusesSpecialFiles checks that a FIFO, a socket and a
// device get 404 without being opened (opening the FIFO would block the
// handler for good, as it does Python's), and that a FIFO named
// index.html does not stand for its directory.
func TestSimpleHandlerRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "fifodir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifodir", "index.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", filepath.Join(dir, "null")); err != nil {
		t.Fatal(err)
	}
	if l, err := net.Listen("unix", filepath.Join(dir, "sock")); err == nil {
		defer l.Close()
	} else {
		t.Logf("no unix socket: %v", err)
	}
	addr := startSimpleServer(t, simpleClass(dir, nil))
	for _, path := range []string{"/fifo", "/null", "/sock"} {
		got := exchangeRaw(t, addr, "GET "+path+" HTTP/1.0\r\n\r\n")
		if want := "HTTP/1.0 404 File not found\r\n"; !bytes.HasPrefix(got, []byte(want)) {
			t.Errorf("GET %s: %q, want it to start with %q", path, got, want)
		}
	}
	got := exchangeRaw(t, addr, "GET /fifodir/ HTTP/1.0\r\n\r\n")
	if !bytes.HasPrefix(got, []byte("HTTP/1.0 200 OK\r\n")) || !bytes.Contains(got, []byte(`<li><a href="index.html">index.html</a></li>`)) {
		t.Errorf("GET /fifodir/: %q, want the listing", got)
	}
}
