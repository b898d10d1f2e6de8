//go:build linux

package httpserver

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// open is openFile on a fresh stat of path; it fails the test unless the
// file opens.
func (h *SimpleHandler) openForTest(t *testing.T, path string) (*os.File, bool) {
	t.Helper()
	fi, err := h.stat(path)
	if err != nil {
		t.Fatal(err)
	}
	src, _, ok := h.openFile(path, fi)
	if !ok {
		t.Fatalf("openFile(%s) failed", path)
	}
	return src.f, src.keep
}

func readAllAt(t *testing.T, f *os.File) string {
	t.Helper()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keptFile writes a.txt in a trusted directory and opens it through a
// handler that keeps it.
func keptFile(t *testing.T) (h *SimpleHandler, path string, f *os.File) {
	t.Helper()
	dir := trustedDir(t)
	path = filepath.Join(dir, "a.txt")
	writeTestFile(t, path, "x")
	h = keepingHandler(dir, 0)
	f, keep := h.openForTest(t, path)
	if !keep || h.fileState().kept.f != f {
		t.Fatal("a file on a trusted file system was not kept")
	}
	return h, path, f
}

// TestKeptFileReused: a file unchanged is served again through the same
// descriptor; Finish closes it.
func TestKeptFileReused(t *testing.T) {
	h, p, f1 := keptFile(t)
	if f2, _ := h.openForTest(t, p); f2 != f1 {
		t.Error("an unchanged file was opened again")
	}
	h.Finish()
	if h.fileState().kept.f != nil {
		t.Error("Finish left the file open")
	}
	if _, err := f1.Stat(); err == nil {
		t.Error("the kept descriptor is still open after Finish")
	}
}

// TestKeptFileCtime: a chmod (which can make Python's open fail) moves
// only the ctime: the file is opened again.
func TestKeptFileCtime(t *testing.T) {
	h, p, f1 := keptFile(t)
	before := mustKey(t, p)
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	after := mustKey(t, p)
	if after.id != before.id || after.ctime == before.ctime {
		t.Fatalf("chmod changed the identity or not the ctime: %+v -> %+v", before, after)
	}
	if f2, _ := h.openForTest(t, p); f2 == f1 {
		t.Error("after a chmod the kept descriptor was used")
	}
}

// TestKeptFileInode: the path names another file with the same ctime (two
// files written in the same clock tick, a symbolic link switched between
// them): the other file is served.
func TestKeptFileInode(t *testing.T) {
	dir := trustedDir(t)
	a, b, link := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "link")
	sameCtime(t, func() {
		writeTestFile(t, a, "AAAA")
		writeTestFile(t, b, "BBBB")
	}, a, b)
	if err := os.Symlink("a", link); err != nil {
		t.Fatal(err)
	}
	h := keepingHandler(dir, 0)
	h.openForTest(t, link)
	switchLink(t, link, "b")
	if f, _ := h.openForTest(t, link); readAllAt(t, f) != "BBBB" {
		t.Error("after the link moved to a file of the same ctime, the old file was served")
	}
}

// TestKeptFileDevice: a file of the same inode and ctime on another
// device is another file. (A test cannot make one; the key is forged.)
func TestKeptFileDevice(t *testing.T) {
	h, p, f1 := keptFile(t)
	h.fileState().kept.key.id.dev ^= 1
	if f2, _ := h.openForTest(t, p); f2 == f1 {
		t.Error("a descriptor kept for another device was used")
	}
}

// TestKeptFileRules: nothing is kept of a file changed within minAge, on
// a file system off the allow-list, or after the path is gone.
func TestKeptFileRules(t *testing.T) {
	dir := trustedDir(t)
	p := filepath.Join(dir, "a.txt")
	writeTestFile(t, p, "x")
	if _, keep := keepingHandler(dir, time.Hour).openForTest(t, p); keep {
		t.Error("a file changed within minAge was kept")
	}
	if _, keep := keepingHandler("/proc", 0).openForTest(t, "/proc/self/status"); keep {
		t.Error("a file on procfs was kept")
	}
	h := keepingHandler(dir, 0)
	f1, _ := h.openForTest(t, p)
	os.Remove(p)
	if _, _, ok := h.openFile(p, nil); ok || h.fileState().kept.f != nil {
		t.Error("a path that is gone did not close the kept file")
	}
	if _, err := f1.Stat(); err == nil {
		t.Error("the descriptor of the removed file is still open")
	}
}

// TestKeptFileOnePerConnection: a connection serving many files holds one
// descriptor and one mapping at most.
func TestKeptFileOnePerConnection(t *testing.T) {
	dir := trustedDir(t)
	h := keepingHandler(dir, 0)
	before := openDescriptors(t)
	for i := range 50 {
		p := filepath.Join(dir, strconv.Itoa(i))
		writeTestFile(t, p, "x")
		f, _ := h.openForTest(t, p)
		if h.fileState().kept.f != f {
			t.Fatal("the last file opened is not the one kept")
		}
	}
	if n := openDescriptors(t) - before; n > 1 {
		t.Errorf("%d more descriptors open after serving 50 files, want at most 1", n)
	}
	if n := mappingsOf(t, dir); n != 1 {
		t.Errorf("%d mappings of the served files, want 1", n)
	}
	h.Finish()
	if n := mappingsOf(t, dir); n != 0 {
		t.Errorf("%d mappings of the served files after Finish, want 0", n)
	}
}

func openDescriptors(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

// mappingsOf counts the process's mappings of files under dir.
func mappingsOf(t *testing.T, dir string) int {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	return strings.Count(string(maps), dir+"/")
}

// TestKeptFileMapped: a small kept file is sent from its mapping, which
// shows what another process writes through its own mapping, even a
// write that moves none of the file's times.
func TestKeptFileMapped(t *testing.T) {
	dir := trustedDir(t)
	p := filepath.Join(dir, "m.txt")
	writeTestFile(t, p, strings.Repeat(".", 4096))
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	theirs, err := syscall.Mmap(int(f.Fd()), 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(theirs)
	copy(theirs, "first")

	h := keepingHandler(dir, 0)
	defer h.Finish()
	send := func() (string, *os.File) {
		fi, err := h.stat(p)
		if err != nil {
			t.Fatal(err)
		}
		src, fi, ok := h.openFile(p, fi)
		if !ok || src.mem == nil {
			t.Fatalf("openFile: ok %v, mapped %v; want a mapped kept file", ok, src.mem != nil)
		}
		b := &fileBody{fileSource: src, n: fi.Size()}
		out, err := io.ReadAll(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(out[:6]), src.f
	}
	got1, f1 := send()
	copy(theirs, "second")
	got2, f2 := send()
	if got1 != "first." || got2 != "second" {
		t.Errorf("bodies %q then %q, want \"first.\" then \"second\"", got1, got2)
	}
	if f1 != f2 {
		t.Log("the second write moved the file's times (its page had been written back): the file was opened again")
	}
}

// TestCopyMappedAfterTruncation: sending from the mapping of a file
// truncated since the stat meets the end of the file, not a crash; the
// body tells what it did not send (DoGET then closes the connection).
func TestCopyMappedAfterTruncation(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.bin")
	writeTestFile(t, p, strings.Repeat("x", 8192))
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := mapFile(f, 8192)
	if mem == nil {
		t.Fatal("mapFile failed")
	}
	defer unmapFile(mem)
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	b := &fileBody{fileSource: fileSource{f: f, mem: mem, keep: true}, n: 8192}
	var out strings.Builder
	w := bufio.NewWriterSize(&out, 16<<10)
	if n, err := b.WriteTo(w); n != 0 || err != nil || b.unsent() != 8192 {
		t.Errorf("WriteTo after truncation = %d, %v, %d unsent; want 0, nil, 8192", n, err, b.unsent())
	}
}

// TestKeptFileReleasedWhenIdle: a kept-alive connection that waits long
// for its next request gives back the file it kept (its descriptor and
// mapping), and serves the file again after.
func TestKeptFileReleasedWhenIdle(t *testing.T) {
	dir := trustedDir(t)
	writeTestFile(t, filepath.Join(dir, "a.txt"), "kept")
	_, get := keptAlive(t, serveDir(t, dir, func(s *HTTPServer) { s.snapshots().minAge = 0 }))
	getKept := func() {
		t.Helper()
		if b := get("/a.txt"); b != "kept" {
			t.Fatalf("GET /a.txt: %q", b)
		}
	}
	getKept()
	if n := mappingsOf(t, dir); n != 1 {
		t.Fatalf("%d mappings of the file served, want 1 (kept)", n)
	}
	time.Sleep(700 * time.Millisecond)
	if n := mappingsOf(t, dir); n != 0 {
		t.Errorf("%d mappings of the file after the connection waited idle, want 0", n)
	}
	getKept()
}
