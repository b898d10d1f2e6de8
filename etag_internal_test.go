//go:build linux

package httpserver

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// etagOf returns the ETag of the file at path, from a fresh stat.
func etagOf(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(appendETag(nil, fi))
}

// TestETagChanges checks that the ETag changes whenever the bytes can
// have changed, each case pinning one part of it.
func TestETagChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a")
	writeTestFile(t, p, "AAAA")
	tag := etagOf(t, p)
	if again := etagOf(t, p); again != tag {
		t.Errorf("unchanged file: %s then %s", tag, again)
	}

	// Rewritten with the same size, then with the mtime set back: the
	// ctime tells.
	fi, _ := os.Stat(p)
	writeTestFile(t, p, "BBBB")
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if now := etagOf(t, p); now == tag {
		t.Errorf("same-size rewrite with the mtime restored kept the tag %s", tag)
	}

	// Another file of the same size and ctime (a link switched): the
	// inode tells.
	a, b, link := filepath.Join(dir, "x"), filepath.Join(dir, "y"), filepath.Join(dir, "link")
	sameCtime(t, func() {
		writeTestFile(t, a, "XXXX")
		writeTestFile(t, b, "YYYY")
	}, a, b)
	os.Symlink("x", link)
	tag = etagOf(t, link)
	switchLink(t, link, "y")
	if now := etagOf(t, link); now == tag {
		t.Errorf("another file of the same size and ctime has the same tag %s", tag)
	}
}

// TestETagSize: a rewrite to another size within one tick of a coarse
// file-system clock keeps the ctime; the size tells. Kernels with
// fine-grained timestamps (Linux 6.13 and later on ext4, xfs, btrfs,
// tmpfs) never give a file the same ctime twice once it was read.
func TestETagSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a")
	for range 200 {
		writeTestFile(t, p, "AAAA")
		tag := etagOf(t, p)
		k1 := mustKey(t, p)
		writeTestFile(t, p, "AAAAA")
		if mustKey(t, p).ctime != k1.ctime {
			time.Sleep(time.Millisecond)
			continue
		}
		if now := etagOf(t, p); now == tag {
			t.Fatalf("a rewrite to another size in the same tick kept the tag %s", tag)
		}
		return
	}
	t.Skip("this file system's clock gave every write its own ctime: a coarse clock is what this case needs")
}
