package httpserver_test

import (
	"os"
	"strconv"
	"syscall"
	"testing"
)

// statETag returns the ETag the package documents for the file at path:
// "INODE-SIZE-CTIME" in hex, from a stat of it (Linux), or "SIZE-MTIME"
// elsewhere.
func statETag(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	hex := func(v int64) string { return strconv.FormatUint(uint64(v), 16) }
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && statHasCtime {
		return `"` + strconv.FormatUint(uint64(st.Ino), 16) + "-" + hex(fi.Size()) + "-" + hex(statCtime(st)) + `"`
	}
	return `"` + hex(fi.Size()) + "-" + hex(fi.ModTime().UnixNano()) + `"`
}
