//go:build unix

package httpserver

import "syscall"

// peekable: the platform can wait for a socket to turn readable without
// reading from it.
const peekable = true

// peekReady is the syscall.RawConn read function of awaitReadable: it
// reports whether the socket fd is readable (a byte is there, end of
// input, or an error), looking at its next byte without taking it. It
// returns false only when a read would wait.
func peekReady(fd uintptr) bool {
	var b [1]byte
	_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK)
	return err != syscall.EAGAIN && err != syscall.EINTR
}
