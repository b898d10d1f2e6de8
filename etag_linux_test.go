package httpserver_test

import (
	"strconv"
	"syscall"
	"testing"
)

// statHasCtime: the package reads the status-change time here.
const statHasCtime = true

// statETag returns the ETag the package documents for the file at path,
// from a stat of it: "INODE-SIZE-CTIME" in hex.
func statETag(t *testing.T, path string) string {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return `"` + strconv.FormatUint(st.Ino, 16) + "-" + strconv.FormatUint(uint64(st.Size), 16) + "-" +
		strconv.FormatUint(uint64(st.Ctim.Nano()), 16) + `"`
}
