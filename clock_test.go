package httpserver_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/httpserver-go/httpserver"
)

const imfFixdate = "Mon, 02 Jan 2006 15:04:05 GMT"

// TestDateFollowsTheClock checks that the current date, formatted once a
// second and read between times on the monotonic clock alone, turns with
// the wall clock's second: every value read is the second of the wall
// clock just before the call or just after, across several turns.
func TestDateFollowsTheClock(t *testing.T) {
	var b httpserver.BaseHandler
	seen := map[string]bool{}
	for end := time.Now().Add(2100 * time.Millisecond); time.Now().Before(end); time.Sleep(3 * time.Millisecond) {
		before := time.Now().UTC().Format(imfFixdate)
		got := b.DateTimeString(time.Time{})
		after := time.Now().UTC().Format(imfFixdate)
		if got != before && got != after {
			t.Fatalf("DateTimeString(zero) = %q between %q and %q", got, before, after)
		}
		seen[got] = true
	}
	if len(seen) < 3 {
		t.Errorf("saw %d seconds in 2.1 s, want 3", len(seen))
	}
}

// TestDateInsideSynctestBubble checks that a handler inside a
// testing/synctest bubble dates its responses by the bubble's clock, and
// one outside by the real clock, whichever read the date first: the two
// share the process's once-a-second date.
func TestDateInsideSynctestBubble(t *testing.T) {
	var b httpserver.BaseHandler
	outside := func() {
		t.Helper()
		before := time.Now().UTC().Format(imfFixdate)
		got := b.DateTimeString(time.Time{})
		if after := time.Now().UTC().Format(imfFixdate); got != before && got != after {
			t.Errorf("outside the bubble: DateTimeString(zero) = %q, want %q", got, after)
		}
	}
	outside()
	synctest.Test(t, func(t *testing.T) {
		for range 3 {
			want := time.Now().UTC().Format(imfFixdate)
			if got := b.DateTimeString(time.Time{}); got != want {
				t.Errorf("inside the bubble: DateTimeString(zero) = %q, want %q", got, want)
			}
			time.Sleep(700 * time.Millisecond)
		}
	})
	outside()
}
