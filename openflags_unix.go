//go:build unix

package httpserver

import "syscall"

// openFlags are added to O_RDONLY when SendHead opens a file: a FIFO or
// device swapped in after the type check must not block the open or
// become the controlling terminal.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
