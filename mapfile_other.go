//go:build !linux

package httpserver

import "os"

// mapFile maps nothing here: kept files are read with pread.
func mapFile(f *os.File, size int) []byte { return nil }

// unmapFile undoes mapFile.
func unmapFile(mem []byte) {}

// copyMapped is never called here (mapFile maps nothing).
func copyMapped(dst, src []byte) (int, error) { return copy(dst, src), nil }
