package httpserver

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestGuessThrottle walks one address through the throttle on a clock of
// its own: free failures, checks spaced an interval apart, the queue's
// bound with its retry time, and forgiveness after guessMemory.
func TestGuessThrottle(t *testing.T) {
	const iv = time.Second
	var g guessThrottle
	key := guessKey(&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 40000})
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	for i := range freeGuesses {
		if wait, ok := g.reserve(key, now, iv); wait != 0 || !ok {
			t.Fatalf("check %d: wait %v, ok %v; want a free check", i+1, wait, ok)
		}
		g.failed(key, now)
	}
	// Guessing as fast as it can: the checks queue an interval apart, up
	// to maxGuessQueue intervals ahead.
	for i := range maxGuessQueue + 1 {
		wait, ok := g.reserve(key, now, iv)
		if want := time.Duration(i) * iv; wait != want || !ok {
			t.Fatalf("queued check %d: wait %v, ok %v; want %v, true", i+1, wait, ok, want)
		}
	}
	if retry, ok := g.reserve(key, now, iv); ok || retry != iv {
		t.Fatalf("past the queue: retry %v, ok %v; want %v, false", retry, ok, iv)
	}
	// As the queue drains, room comes back.
	later := now.Add(3 * iv)
	if wait, ok := g.reserve(key, later, iv); !ok || wait != (maxGuessQueue-2)*iv {
		t.Fatalf("three intervals later: wait %v, ok %v; want %v, true", wait, ok, (maxGuessQueue-2)*iv)
	}
	// Another address is not slowed.
	other := guessKey(&net.TCPAddr{IP: net.ParseIP("192.0.2.8")})
	if wait, ok := g.reserve(other, now, iv); wait != 0 || !ok {
		t.Errorf("another address: wait %v, ok %v; want a free check", wait, ok)
	}
	// Off: nothing waits.
	if wait, ok := g.reserve(key, now, 0); wait != 0 || !ok {
		t.Errorf("with the throttle off: wait %v, ok %v", wait, ok)
	}
	// Forgiven once guessMemory has passed since the last failure, not
	// before: two checks at one instant are spaced while it is slowed.
	g.failed(key, later)
	for _, tt := range []struct {
		at     time.Time
		second time.Duration // the wait of the second check
	}{
		{later.Add(guessMemory), iv},
		{later.Add(guessMemory + time.Second), 0},
	} {
		g.reserve(key, tt.at, iv)
		if wait, ok := g.reserve(key, tt.at, iv); wait != tt.second || !ok {
			t.Errorf("%v after the last failure, a second check: wait %v, ok %v; want %v", tt.at.Sub(later), wait, ok, tt.second)
		}
	}
}

// TestGuessKey checks what counts as one client: an IPv4 address with
// any port, the same address mapped into IPv6, and an IPv6 /64.
func TestGuessKey(t *testing.T) {
	key := func(s string) netip.Prefix {
		return guessKey(net.TCPAddrFromAddrPort(netip.MustParseAddrPort(s)))
	}
	same := [][2]string{
		{"192.0.2.1:1000", "192.0.2.1:2000"},
		{"192.0.2.1:1000", "[::ffff:192.0.2.1]:1000"},
		{"[2001:db8:1:2::1]:1000", "[2001:db8:1:2:ffff::9]:2000"},
	}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%s and %s counted apart: %v, %v", p[0], p[1], key(p[0]), key(p[1]))
		}
	}
	apart := [][2]string{
		{"192.0.2.1:1000", "192.0.2.2:1000"},
		{"[2001:db8:1:2::1]:1000", "[2001:db8:1:3::1]:1000"},
	}
	for _, p := range apart {
		if key(p[0]) == key(p[1]) {
			t.Errorf("%s and %s counted as one: %v", p[0], p[1], key(p[0]))
		}
	}
	// The adapter's address, parsed from http.Request.RemoteAddr, and an
	// address of another kind.
	if got, want := guessKey(parseRemoteAddr("192.0.2.1:5")), key("192.0.2.1:6"); got != want {
		t.Errorf("RemoteAddr: %v, want %v", got, want)
	}
	if got := guessKey(&net.UnixAddr{Name: "@", Net: "unix"}); got != (netip.Prefix{}) {
		t.Errorf("a Unix address: %v, want the shared zero key", got)
	}
}

// TestGuessThrottleFull fills the table: a new address then shares the
// overflow record, so guessing from many addresses is slowed as from
// one, until old records are forgotten and make room.
func TestGuessThrottleFull(t *testing.T) {
	const iv = time.Second
	var g guessThrottle
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	addr := func(i int) netip.Prefix {
		return guessKey(&net.TCPAddr{IP: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i))})
	}
	for i := range maxGuessAddrs {
		g.failed(addr(i), now)
	}
	// Each new address fails once, into the overflow: after freeGuesses
	// of them, the next new address waits.
	for i := range freeGuesses {
		if wait, ok := g.reserve(addr(maxGuessAddrs+i), now, iv); wait != 0 || !ok {
			t.Fatalf("new address %d: wait %v, ok %v", i, wait, ok)
		}
		g.failed(addr(maxGuessAddrs+i), now)
	}
	g.reserve(addr(2*maxGuessAddrs), now, iv)
	if wait, _ := g.reserve(addr(2*maxGuessAddrs+1), now, iv); wait != iv {
		t.Errorf("a new address with the table full waits %v, want %v (the overflow's turn)", wait, iv)
	}
	// Once the old records are forgotten, a new address has its own.
	later := now.Add(guessMemory + time.Second)
	g.failed(addr(3*maxGuessAddrs), later)
	if n := len(g.addrs); n != 1 {
		t.Errorf("%d records after the old ones were forgotten, want 1", n)
	}
	if wait, ok := g.reserve(addr(3*maxGuessAddrs+1), later, iv); wait != 0 || !ok {
		t.Errorf("a new address after the table emptied: wait %v, ok %v", wait, ok)
	}
}

// TestBasicAuthBcryptBound checks that no more than GOMAXPROCS bcrypt
// comparisons run at once, however many requests check a password.
func TestBasicAuthBcryptBound(t *testing.T) {
	a := aliceAuth(t, bcrypt.MinCost)
	var running, most atomic.Int32
	a.compare = func(hash, password []byte) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return bcrypt.CompareHashAndPassword(hash, password)
	}
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() { a.check("alice", string(rune('a'+i))) })
	}
	wg.Wait()
	if limit := int32(cap(a.bcrypts)); most.Load() > limit || limit < 1 {
		t.Errorf("%d comparisons ran at once, want at most %d", most.Load(), limit)
	}
}
