package httpserver

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// Password guessing is slowed, not locked out. A client address may fail
// freeGuesses password checks; from then on, until guessMemory passes
// without a failure from it, its checks run one per interval (BasicAuth's
// GuessInterval), and a check that would wait more than maxGuessQueue
// intervals is not made: the request gets 429 with Retry-After. A
// password verified before is recognised without a check, so a browser
// already signed in is never slowed, whoever else shares its address.
//
// An address is an IPv4 address or the /64 of an IPv6 one (what one
// subscriber gets). The throttle remembers at most maxGuessAddrs of them;
// beyond that, new addresses share one record, so a guesser who spreads
// over many addresses is slowed as one.
const (
	freeGuesses   = 5
	guessMemory   = 15 * time.Minute
	maxGuessQueue = 10
	maxGuessAddrs = 4096
)

// guessRecord is what the throttle knows of one address.
type guessRecord struct {
	failures int       // failed checks since the address was last forgiven
	last     time.Time // the last failed check
	next     time.Time // the earliest time of the next check
}

// guessThrottle spaces the password checks of the addresses that fail
// them. Its zero value is ready; it is safe for concurrent use.
type guessThrottle struct {
	mu       sync.Mutex
	addrs    map[netip.Prefix]*guessRecord // guarded by mu
	overflow guessRecord                   // guarded by mu: the addresses beyond maxGuessAddrs
}

// guessKey is the address the throttle counts a client under.
func guessKey(addr net.Addr) netip.Prefix {
	var ip netip.Addr
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	case nil:
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		}
	}
	ip = ip.Unmap()
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits) // an invalid ip gives the zero Prefix: one shared record
	return p
}

// record returns key's record, forgetting failures older than
// guessMemory. An address the table does not hold gets a record of its
// own if create is set and nil if not, unless the table is full: then it
// gets the shared overflow record. The caller holds g.mu.
func (g *guessThrottle) record(key netip.Prefix, now time.Time, create bool) *guessRecord {
	r, tracked := g.addrs[key]
	if !tracked {
		if len(g.addrs) >= maxGuessAddrs {
			for k, old := range g.addrs {
				if now.Sub(old.last) > guessMemory {
					delete(g.addrs, k)
				}
			}
		}
		switch {
		case len(g.addrs) >= maxGuessAddrs:
			r = &g.overflow
		case !create:
			return nil
		default:
			if g.addrs == nil {
				g.addrs = make(map[netip.Prefix]*guessRecord)
			}
			r = new(guessRecord)
			g.addrs[key] = r
		}
	}
	if now.Sub(r.last) > guessMemory {
		*r = guessRecord{}
	}
	return r
}

// reserve returns how long a check from key must wait before it runs,
// reserving its turn; if the wait would exceed maxGuessQueue intervals,
// ok is false and retry is how long until there is room.
func (g *guessThrottle) reserve(key netip.Prefix, now time.Time, interval time.Duration) (wait time.Duration, ok bool) {
	if interval <= 0 {
		return 0, true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.record(key, now, false)
	if r == nil || r.failures < freeGuesses {
		return 0, true
	}
	slot := r.next
	if slot.Before(now) {
		slot = now
	}
	wait = slot.Sub(now)
	if limit := maxGuessQueue * interval; wait > limit {
		return wait - limit, false
	}
	r.next = slot.Add(interval)
	return wait, true
}

// failed counts a failed check from key.
func (g *guessThrottle) failed(key netip.Prefix, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.record(key, now, true)
	r.failures++
	r.last = now
}
