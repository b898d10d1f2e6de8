//go:build !unix

package httpserver

// openFlags are added to O_RDONLY when SendHead opens a file; none are
// needed here.
const openFlags = 0
