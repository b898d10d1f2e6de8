//go:build !unix

package httpserver

// peekable: the platform can wait for a socket to turn readable without
// reading from it. Not here: connections do not park (park.go).
const peekable = false

func peekReady(fd uintptr) bool { return true }
