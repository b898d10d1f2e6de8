//go:build !unix

package fdlimit

import "testing"

// Raise does nothing where the system has no RLIMIT_NOFILE (Windows,
// Plan 9, WebAssembly): there is no soft limit to raise, so the test runs
// and meets whatever limit the system has.
func Raise(t testing.TB, n uint64) {}
