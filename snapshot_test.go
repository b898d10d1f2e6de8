package httpserver

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// testMinAge replaces snapshotMinAge in these tests: long enough for the
// file system's coarse clock to have ticked (a few ms on Linux), short
// enough to wait for.
const testMinAge = 100 * time.Millisecond

// snapshotServer serves dir through SimpleHandler with snapshots that a
// file qualifies for after testMinAge, and returns a function that makes
// one HTTP/1.0 request and returns the raw response.
func snapshotServer(t *testing.T, dir string, configure ...func(*SimpleHandler)) (*HTTPServer, func(path string) string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("snapshots are taken on Linux only")
	}
	class := func() Handler {
		h := &SimpleHandler{Directory: dir}
		for _, c := range configure {
			c(h)
		}
		return h
	}
	srv, err := NewThreadingHTTPServer("127.0.0.1:0", class)
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = io.Discard
	srv.snapshots().minAge = testMinAge
	go srv.ServeForever()
	t.Cleanup(func() { srv.Shutdown(); srv.ServerClose() })
	get := func(path string) string {
		c, err := net.Dial("tcp", srv.ServerAddress.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET "+path+" HTTP/1.0\r\n\r\n")
		resp, err := io.ReadAll(c)
		if err != nil {
			t.Fatal(err)
		}
		return string(resp)
	}
	return &srv.HTTPServer, get
}

func body(resp string) string {
	_, b, _ := strings.Cut(resp, "\r\n\r\n")
	return b
}

// settle waits until what was just written qualifies for a snapshot.
func settle() { time.Sleep(testMinAge + 20*time.Millisecond) }

func TestSnapshotFileChangesShowAtOnce(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.txt")
	os.WriteFile(f, []byte("version 1\n"), 0o644)
	settle()
	srv, get := snapshotServer(t, dir)

	if got := body(get("/a.txt")); got != "version 1\n" {
		t.Fatalf("first GET = %q", got)
	}
	if srv.snapshots().file(f, mustKey(t, f)) == nil {
		t.Fatal("a stable small file was not snapshotted")
	}
	if got := body(get("/a.txt")); got != "version 1\n" {
		t.Fatalf("GET from the snapshot = %q", got)
	}

	// Rewritten in place with the same size: served new at once.
	os.WriteFile(f, []byte("version 2\n"), 0o644)
	if got := body(get("/a.txt")); got != "version 2\n" {
		t.Errorf("after an in-place rewrite: %q, want version 2", got)
	}
	settle()
	get("/a.txt") // snapshots version 2
	// Replaced by a rename: served new at once.
	tmp := filepath.Join(dir, ".tmp")
	os.WriteFile(tmp, []byte("version 3\n"), 0o644)
	os.Rename(tmp, f)
	if got := body(get("/a.txt")); got != "version 3\n" {
		t.Errorf("after a rename over it: %q, want version 3", got)
	}
	settle()
	get("/a.txt")
	// Modes change the ctime: gone is gone.
	os.Chmod(f, 0o600)
	if got := get("/a.txt"); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") || body(got) != "version 3\n" {
		t.Errorf("after chmod: %q", got)
	}
	os.Remove(f)
	if got := get("/a.txt"); !strings.HasPrefix(got, "HTTP/1.0 404 File not found\r\n") {
		t.Errorf("after removal: %q, want 404", got)
	}
}

func TestSnapshotNotTakenOfRecentOrLargeFiles(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.txt")
	large := filepath.Join(dir, "large.bin")
	os.WriteFile(large, bytes.Repeat([]byte("x"), maxSnapshotFile+1), 0o644)
	settle()
	os.WriteFile(fresh, []byte("new"), 0o644)
	srv, get := snapshotServer(t, dir)
	get("/fresh.txt")
	get("/large.bin")
	if srv.snapshots().file(fresh, mustKey(t, fresh)) != nil {
		t.Error("a file changed within the minimum age was snapshotted")
	}
	if srv.snapshots().file(large, mustKey(t, large)) != nil {
		t.Error("a file over maxSnapshotFile was snapshotted")
	}
	if got := body(get("/large.bin")); len(got) != maxSnapshotFile+1 {
		t.Errorf("large file body is %d bytes", len(got))
	}
}

func TestSnapshotListingChangesShowAtOnce(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "one.txt"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "target"), 0o755)
	os.Symlink("target", filepath.Join(dir, "link"))
	settle()
	srv, get := snapshotServer(t, dir)

	first := body(get("/"))
	if !strings.Contains(first, `<a href="link/">link@</a>`) || !strings.Contains(first, `<a href="one.txt">one.txt</a>`) {
		t.Fatalf("first listing:\n%s", first)
	}
	if srv.snapshots().dir(dir+"/", mustKey(t, dir)) == nil {
		t.Fatal("a stable directory was not snapshotted")
	}
	if again := body(get("/")); again != first {
		t.Fatalf("listing from the snapshot differs:\n%s\nwant\n%s", again, first)
	}

	// A link's target turning from a directory into a file does not
	// touch the listed directory: the listing must still show it.
	os.Remove(filepath.Join(dir, "target"))
	os.WriteFile(filepath.Join(dir, "target"), nil, 0o644)
	got := body(get("/"))
	if !strings.Contains(got, `<a href="link">link@</a>`) {
		t.Errorf("after the link's target became a file:\n%s", got)
	}
	settle()
	get("/")
	// A new entry shows at once.
	os.WriteFile(filepath.Join(dir, "two.txt"), nil, 0o644)
	if got := body(get("/")); !strings.Contains(got, `<a href="two.txt">two.txt</a>`) {
		t.Errorf("a new file is missing from the listing:\n%s", got)
	}
}

func TestNoSnapshotsWithStayInDirectory(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.txt")
	os.WriteFile(f, []byte("x"), 0o644)
	settle()
	srv, get := snapshotServer(t, dir, func(h *SimpleHandler) { h.StayInDirectory = true })
	get("/a.txt")
	get("/")
	if srv.snapshots().file(f, mustKey(t, f)) != nil || srv.snapshots().dir(dir+"/", mustKey(t, dir)) != nil {
		t.Error("snapshots were taken with StayInDirectory")
	}
}

func mustKey(t *testing.T, path string) statKey {
	t.Helper()
	_, key, ok, err := statPath(path)
	if err != nil || !ok {
		t.Fatalf("stat %s: %v", path, err)
	}
	return key
}
