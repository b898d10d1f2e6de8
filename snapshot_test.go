//go:build linux

package httpserver

import (
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests pin every rule of snapshot.go: each fails if a field of the
// key, the allow-list, the age rule or the byte bound is removed (see
// testdata/README.md, "Mutation checks").

// trustedDir returns a new directory on a file system of the allow-list:
// the test's temporary directory, or one under /dev/shm. It skips where
// neither is (a container whose /tmp is overlayfs and without /dev/shm).
func trustedDir(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("descriptors and listings are kept on Linux only")
	}
	dir := t.TempDir()
	if onTrustedFS(t, dir) {
		return dir
	}
	dir, err := os.MkdirTemp("/dev/shm", "httpserver-test-")
	if err != nil || !onTrustedFS(t, dir) {
		t.Skip("no writable file system of the allow-list (t.TempDir and /dev/shm are not): nothing is kept there")
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func onTrustedFS(t *testing.T, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return trustedFS(f)
}

// keepingHandler returns a SimpleHandler on dir whose server keeps
// descriptors and listings of files changed minAge ago or more.
func keepingHandler(dir string, minAge time.Duration) *SimpleHandler {
	h := &SimpleHandler{Directory: dir}
	h.Server = &HTTPServer{}
	h.Server.snapshots().minAge = minAge
	return h
}

// TestListingSnapshotUsedWhileUnchanged: a directory on a trusted file
// system is read once while its ctime stays.
func TestListingSnapshotUsedWhileUnchanged(t *testing.T) {
	dir := trustedDir(t)
	writeTestFile(t, filepath.Join(dir, "one.txt"), "")
	h := keepingHandler(dir, 0)
	first := listNames(t, h, dir)
	if h.Server.snapshots().dir(mustKey(t, dir)) == nil {
		t.Fatal("no snapshot of an unchanged directory on a trusted file system")
	}
	again, err := h.listEntries(dir)
	if err != nil || !slices.Equal(names(again), first) || &again[0] != &h.Server.snapshots().dir(mustKey(t, dir))[0] {
		t.Error("the second listing did not come from the snapshot")
	}
}

// TestListingSnapshotCtime: an entry added, and one added with the
// directory's mtime set back, show at once.
func TestListingSnapshotCtime(t *testing.T) {
	dir := trustedDir(t)
	h := keepingHandler(dir, 0)
	listNames(t, h, dir)
	writeTestFile(t, filepath.Join(dir, "new.txt"), "")
	if got := listNames(t, h, dir); !slices.Equal(got, []string{"new.txt"}) {
		t.Errorf("after adding new.txt: %v", got)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "hidden.txt"), "")
	if err := os.Chtimes(dir, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if got := listNames(t, h, dir); !slices.Equal(got, []string{"hidden.txt", "new.txt"}) {
		t.Errorf("after adding hidden.txt and setting the directory's mtime back: %v", got)
	}
}

// TestListingSnapshotInode: the path names another directory of the same
// ctime (a symbolic link switched): the other directory is listed.
func TestListingSnapshotInode(t *testing.T) {
	dir := trustedDir(t)
	d1, d2, link := filepath.Join(dir, "d1"), filepath.Join(dir, "d2"), filepath.Join(dir, "view")
	sameCtime(t, func() {
		for _, d := range []string{d1, d2} {
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		writeTestFile(t, filepath.Join(d1, "in-d1"), "")
		writeTestFile(t, filepath.Join(d2, "in-d2"), "")
	}, d1, d2)
	if err := os.Symlink("d1", link); err != nil {
		t.Fatal(err)
	}
	h := keepingHandler(dir, 0)
	listNames(t, h, link+"/")
	switchLink(t, link, "d2")
	if got := listNames(t, h, link+"/"); !slices.Equal(got, []string{"in-d2"}) {
		t.Errorf("after the link moved to d2: %v", got)
	}
}

// TestListingSnapshotDevice: a snapshot is not used for a directory of the
// same inode and ctime on another device (forged key).
func TestListingSnapshotDevice(t *testing.T) {
	dir := trustedDir(t)
	c := &snapshotCache{minAge: 0, maxBytes: maxSnapshotBytes}
	key := mustKey(t, dir)
	other := key
	other.id.dev ^= 1
	c.putDir(other, []listEntry{{name: "x"}}, time.Now())
	if c.dir(key) != nil {
		t.Error("a snapshot of another device's directory was used")
	}
}

// TestListingSnapshotRules: nothing is kept of a directory changed within
// minAge, or of one off the allow-list; /proc, whose times never move,
// lists the processes of the moment.
func TestListingSnapshotRules(t *testing.T) {
	dir := trustedDir(t)
	h := keepingHandler(dir, time.Hour)
	listNames(t, h, dir)
	if h.Server.snapshots().dir(mustKey(t, dir)) != nil {
		t.Error("a directory changed within minAge was snapshotted")
	}

	proc := keepingHandler("/proc", 0)
	listNames(t, proc, "/proc/")
	if proc.Server.snapshots().dir(mustKey(t, "/proc")) != nil {
		t.Error("/proc was snapshotted")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	if !slices.Contains(listNames(t, proc, "/proc/"), pid) {
		t.Errorf("/proc/ lacks the new process %s", pid)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if slices.Contains(listNames(t, proc, "/proc/"), pid) {
		t.Errorf("/proc/ still lists the ended process %s", pid)
	}
}

// TestListingSymlinkTargetsRechecked: whether a symbolic link's entry ends
// with "/" depends on its target, which can change type without the
// listed directory changing: a listing from the snapshot shows the
// target's type of the moment.
func TestListingSymlinkTargetsRechecked(t *testing.T) {
	root := trustedDir(t)
	dir, other := filepath.Join(root, "listed"), filepath.Join(root, "other")
	for _, d := range []string{dir, filepath.Join(other, "target")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../other/target", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	srv, err := NewThreadingHTTPServer("127.0.0.1:0", func() Handler { return &SimpleHandler{Directory: root} })
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = io.Discard
	srv.snapshots().minAge = 0
	go srv.ServeForever()
	t.Cleanup(func() { srv.Shutdown(); srv.ServerClose() })
	list := func() string {
		resp, err := http.Get("http://" + srv.ServerAddress.String() + "/listed/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := list(); !strings.Contains(got, `<a href="link/">link@</a>`) {
		t.Fatalf("link to a directory:\n%s", got)
	}
	if srv.snapshots().dir(mustKey(t, dir)) == nil {
		t.Fatal("the listed directory was not snapshotted")
	}
	if err := os.Remove(filepath.Join(other, "target")); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(other, "target"), "")
	if got := list(); !strings.Contains(got, `<a href="link">link@</a>`) {
		t.Errorf("after the link's target became a file:\n%s", got)
	}
}

// TestNoListingSnapshotsWithStayInDirectory: with StayInDirectory the
// os.Root decides what a path reaches, so listings are read each time.
func TestNoListingSnapshotsWithStayInDirectory(t *testing.T) {
	dir := trustedDir(t)
	h := keepingHandler(dir, 0)
	h.StayInDirectory = true
	defer h.Finish()
	listNames(t, h, dir)
	if h.Server.snapshots().dir(mustKey(t, dir)) != nil {
		t.Error("a listing was snapshotted with StayInDirectory")
	}
}

// TestListingSnapshotBound puts snapshots of random sizes, again and again
// for the same directories: the bytes counted are always the sum of the
// snapshots held, and never over the bound.
func TestListingSnapshotBound(t *testing.T) {
	const bound = 64 << 10
	c := &snapshotCache{minAge: 0, maxBytes: bound}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 30000 {
		entries := make([]listEntry, r.IntN(100))
		for j := range entries {
			entries[j] = listEntry{name: "n", href: "n", display: "n"}
		}
		key := fileKey{id: fileID{dev: 1, ino: uint64(r.IntN(40))}, ctime: int64(i)}
		c.putDir(key, entries, time.Now())
		var sum int64
		for _, s := range c.dirs {
			sum += entriesSize(s.entries)
		}
		if c.bytes != sum || c.bytes > bound {
			t.Fatalf("after %d puts: %d bytes counted, %d held, bound %d", i+1, c.bytes, sum, bound)
		}
	}
	huge := make([]listEntry, bound/64)
	c.putDir(fileKey{id: fileID{ino: 99}}, huge, time.Now())
	if c.dir(fileKey{id: fileID{ino: 99}}) != nil {
		t.Error("a snapshot larger than the bound was kept")
	}
}

// listNames lists path through h and returns the names.
func listNames(t *testing.T, h *SimpleHandler, path string) []string {
	t.Helper()
	entries, err := h.listEntries(path)
	if err != nil {
		t.Fatal(err)
	}
	return names(entries)
}

func names(entries []listEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.name)
	}
	return out
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameCtime runs make, which creates the files paths, until they have the
// same ctime (they were written in one tick of the file system's clock),
// removing them between tries; it skips if the clock never allows it.
func sameCtime(t *testing.T, make func(), paths ...string) {
	t.Helper()
	for range 100 {
		make()
		k0 := mustKey(t, paths[0])
		same := true
		for _, p := range paths[1:] {
			same = same && mustKey(t, p).ctime == k0.ctime
		}
		if same {
			return
		}
		for _, p := range paths {
			os.RemoveAll(p)
		}
	}
	t.Skip("could not write two files within one tick of the file-system clock")
}

// switchLink points the symbolic link at target, replacing it by a rename.
func switchLink(t *testing.T, link, target string) {
	t.Helper()
	tmp := link + ".tmp"
	if err := os.Symlink(target, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
}

func mustKey(t *testing.T, path string) fileKey {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	key, ok := keyOf(fi)
	if !ok {
		t.Fatalf("no key for %s", path)
	}
	return key
}

// TestKeyOf checks that the key holds the device, inode and ctime a stat
// gives.
func TestKeyOf(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a")
	writeTestFile(t, p, "x")
	var st syscall.Stat_t
	if err := syscall.Stat(p, &st); err != nil {
		t.Fatal(err)
	}
	want := fileKey{id: fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}, ctime: st.Ctim.Nano()}
	if got := mustKey(t, p); got != want {
		t.Errorf("keyOf = %+v, want %+v", got, want)
	}
}
