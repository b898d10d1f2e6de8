//go:build !linux

package httpserver

import "os"

// keyOf cannot tell a file's status-change time here, so nothing is
// snapshotted: every request reads the file system.
func keyOf(fi os.FileInfo) (statKey, bool) { return statKey{}, false }
