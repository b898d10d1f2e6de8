//go:build linux && !race && !msan && !asan

package httpserver

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

// rawIO reports whether flushAndWait reads and writes its socket with
// rawRead and rawWrite. On a socket the runtime's poller keeps
// non-blocking, called from inside the poller's wait (syscall.RawConn),
// such a system call returns at once, and making it raw saves the
// scheduler's bookkeeping around it: on the machine these were measured
// on, about 180 ns a call, a sixth of the call. Under the race detector
// and the sanitizers they are off: the runtime's own reads and writes
// tell those what the kernel read and wrote, and raw calls would not.
const rawIO = true

// rawRead reads from fd into p: it returns what it read, errWouldBlock
// when nothing was there, io.EOF at the end of input, or the failed call.
func rawRead(fd uintptr, p []byte) (int, error) {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
		switch {
		case e == syscall.EINTR:
			continue
		case e == syscall.EAGAIN:
			return 0, errWouldBlock
		case e != 0:
			return 0, os.NewSyscallError("read", e)
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return int(n), nil
	}
}

// rawWrite writes p to fd, and returns how much of it went: what did not
// (the socket's buffer is full, or the call failed) is left for the
// socket's own Write, which waits, and reports the error as it does.
func rawWrite(fd uintptr, p []byte) int {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
		switch {
		case e == syscall.EINTR:
			continue
		case e != 0:
			return 0
		}
		return int(n)
	}
}
