//go:build !linux

package httpserver_test

import (
	"os"
	"strconv"
	"testing"
)

// statHasCtime: the package does not read the status-change time here.
const statHasCtime = false

// statETag returns the ETag the package documents for the file at path,
// from a stat of it: "SIZE-MTIME" in hex.
func statETag(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return `"` + strconv.FormatUint(uint64(fi.Size()), 16) + "-" + strconv.FormatUint(uint64(fi.ModTime().UnixNano()), 16) + `"`
}
