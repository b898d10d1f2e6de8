//go:build unix

package fdlimit

import (
	"syscall"
	"testing"
)

func softLimit(t *testing.T) uint64 {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	return uint64(lim.Cur)
}

// TestRaise lowers the soft limit, then checks that Raise lifts it to
// what a subtest asks for and that the limit is back when the subtest
// ends.
func TestRaise(t *testing.T) {
	const low, n = 300, 1000
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	if uint64(lim.Max) < n+headroom {
		t.Skipf("the hard limit %d is below %d", uint64(lim.Max), n+headroom)
	}
	old := lim
	setLimit(&lim.Cur, low)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })

	t.Run("raised", func(t *testing.T) {
		Raise(t, n)
		if got := softLimit(t); got != n+headroom {
			t.Errorf("soft limit %d after Raise(%d), want %d", got, n, n+headroom)
		}
	})
	if got := softLimit(t); got != low {
		t.Errorf("soft limit %d after the subtest, want %d back", got, low)
	}
	t.Run("enough", func(t *testing.T) {
		Raise(t, low-headroom)
		if got := softLimit(t); got != low {
			t.Errorf("soft limit %d after Raise(%d), want %d untouched", got, low-headroom, low)
		}
	})
}
