package httpserver_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestUploadDiskFull fills a 1 MiB tmpfs: the upload gets 507 and leaves
// nothing behind, and the next upload that fits works.
func TestUploadDiskFull(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mountSmallTmpfs(t, dir)
	ts := serve(t, uploadClass(dir, nil))
	// Four times what the file system holds: once the write fails the
	// server answers and, closing, drains what the client still sends
	// (closeConn), so the client reads the 507 instead of meeting a reset
	// mid-body.
	big := strings.Repeat("x", 4<<20)
	if got := send(t, "PUT", "http://"+ts.addr+"/big", strings.NewReader(big)); got.status != 507 {
		t.Errorf("PUT of 4 MiB: status %d, want 507", got.status)
	}
	body, ctype := multipartForm(t, formFile{field: "files", filename: "a.txt", content: "a"},
		formFile{field: "files", filename: "big", content: big})
	if got := send(t, "POST", "http://"+ts.addr+"/", body, "Content-Type", ctype); got.status != 507 {
		t.Errorf("POST of 4 MiB: status %d, want 507", got.status)
	}
	checkTree(t, dir, map[string]string{})
	if got := send(t, "PUT", "http://"+ts.addr+"/small", strings.NewReader("fits")); got.status != 201 {
		t.Errorf("PUT that fits: status %d, want 201", got.status)
	}
	ts.stop()
	checkTree(t, dir, map[string]string{"small": "fits"})
}

// mountSmallTmpfs mounts a 1 MiB tmpfs on dir for the rest of the test,
// or skips the test where mounting is not permitted.
func mountSmallTmpfs(t *testing.T, dir string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}
