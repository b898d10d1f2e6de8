package httpserver

import (
	"io"
	"os"
	"runtime/debug"
	"syscall"
)

// mapFile maps the first size bytes of f read-only and shared, or returns
// nil if it cannot.
func mapFile(f *os.File, size int) []byte {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	var mem []byte
	rc.Control(func(fd uintptr) {
		mem, err = syscall.Mmap(int(fd), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	})
	if err != nil {
		return nil
	}
	return mem
}

// unmapFile undoes mapFile.
func unmapFile(mem []byte) { syscall.Munmap(mem) }

// copyMapped copies src, part of a mapping, into dst. Reading a page the
// file no longer reaches (it was truncated since the stat) faults; the
// fault is reported as io.EOF, as pread reports the end of a file that
// shrank, instead of crashing the process.
func copyMapped(dst, src []byte) (n int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			n, err = 0, io.EOF
		}
	}()
	return copy(dst, src), nil
}
