//go:build unix

package fdlimit

import (
	"syscall"
	"testing"
)

// headroom is what the test binary itself may hold open beside the n
// descriptors a test asks for: the listener, log files, the runtime's.
const headroom = 256

// Raise makes sure the process can open n more descriptors: it raises
// the soft RLIMIT_NOFILE to n plus some headroom when it is lower, and
// puts it back at the end of t. It skips t when the hard limit is too low
// or the limits cannot be read or set, as a machine may not allow.
func Raise(t testing.TB, n uint64) {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	// The fields are uint64 on most systems and int64 on FreeBSD and
	// DragonFly; no limit a test meets comes near 1<<63.
	cur, hard := uint64(lim.Cur), uint64(lim.Max)
	if cur >= n+headroom {
		return
	}
	if hard < n+headroom {
		t.Skipf("needs %d file descriptors; the hard limit is %d", n+headroom, hard)
	}
	old := lim
	setLimit(&lim.Cur, n+headroom)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// setLimit stores v in a field of syscall.Rlimit, whichever integer type
// the system gives it.
func setLimit[T int64 | uint64](field *T, v uint64) { *field = T(v) }
