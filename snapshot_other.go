//go:build !linux

package httpserver

import "os"

// keyOf cannot tell a file's status-change time here, so nothing is kept:
// every request opens its file and reads its directory.
func keyOf(fi os.FileInfo) (fileKey, bool) { return fileKey{}, false }

// trustedFS vouches for no file system here.
func trustedFS(f *os.File) bool { return false }
