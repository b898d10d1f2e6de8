package httpserver

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStayInDirectoryRootPerConnection drives one kept-alive connection
// of three requests with StayInDirectory and checks that they share one
// os.Root, opened at the first request, and that Finish closes it.
func TestStayInDirectoryRootPerConnection(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := strings.Repeat("GET /a.txt HTTP/1.1\r\n\r\n", 3)
	conn := &scriptConn{in: strings.NewReader(in)}
	h := &rootRecorder{SimpleHandler: SimpleHandler{Directory: dir, StayInDirectory: true}}
	h.ProtocolVersion = "HTTP/1.1"
	h.self, h.Server, h.Conn, h.ClientAddress = h, &HTTPServer{Stderr: new(bytes.Buffer)}, conn, conn.RemoteAddr()
	h.Setup()
	if h.root != nil {
		t.Errorf("a root is open before the first request")
	}
	h.Handle()
	if got := strings.Count(conn.out.String(), "HTTP/1.1 200 OK\r\n"); got != 3 {
		t.Fatalf("%d responses 200, want 3: %q", got, conn.out.String())
	}
	if len(h.roots) != 3 || h.roots[0] == nil || h.roots[1] != h.roots[0] || h.roots[2] != h.roots[0] {
		t.Errorf("roots after each request %v, want one root for all three", h.roots)
	}
	h.Finish()
	if h.root != nil {
		t.Errorf("Finish left the root open")
	}
	if _, err := h.roots[0].Stat("a.txt"); err == nil {
		t.Errorf("the connection's root still works after Finish")
	}
}

// rootRecorder records the connection's root after each request.
type rootRecorder struct {
	SimpleHandler
	roots []*os.Root
}

func (h *rootRecorder) DoGET() {
	h.SimpleHandler.DoGET()
	h.roots = append(h.roots, h.root)
}

// TestStayInDirectoryNewDirectory checks that a handler whose Directory
// changes between requests gets a root on the new one.
func TestStayInDirectoryNewDirectory(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(two, "b.txt"), []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := &SimpleHandler{Directory: one, StayInDirectory: true}
	defer h.Finish()
	if _, err := h.stat(filepath.Join(one, "b.txt")); err == nil {
		t.Fatalf("b.txt found in %s", one)
	}
	h.Directory = two
	if _, err := h.stat(filepath.Join(two, "b.txt")); err != nil {
		t.Errorf("after Directory changed: %v", err)
	}
	if _, err := h.stat(filepath.Join(one, "b.txt")); err == nil {
		t.Errorf("a path in the old Directory is still reached")
	}
}
