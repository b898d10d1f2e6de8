package httpserver

import (
	"sync/atomic"
	"time"
)

// The connections' clock. time.Now reads two clocks, the wall clock and
// the monotonic one, where what a connection times per request (when it
// fell idle, its flush-and-wait rescue) needs only the second:
// time.Since reads that one alone when given a time that carries a
// monotonic reading, as clockBase does. Inside a testing/synctest bubble
// times carry none, and the same arithmetic runs on the bubble's clock.

// clockBase is the origin of monoNow's readings.
var clockBase = time.Now()

// monoNow returns the time on the monotonic clock, in nanoseconds after
// clockBase; never 0, which callers keep for "not yet".
func monoNow() int64 {
	if m := int64(time.Since(clockBase)); m != 0 {
		return m
	}
	return 1
}

// monoTime returns the time of monoNow's reading m, for deadlines and
// comparisons (its wall clock reading is clockBase's, moved by m).
func monoTime(m int64) time.Time { return clockBase.Add(time.Duration(m)) }

// cachedDate is one second's time, laid out.
type cachedDate struct {
	start, end int64 // monoNow's readings: when the second began (or was first read), ended
	loc        *time.Location
	text       string
}

// perSecond returns the current time in loc laid out by layout, formatted
// once a second and shared through cache. Within the second it reads only
// the monotonic clock: a wall clock set meanwhile shows from the next
// second on. (A clock of a synctest bubble, read in the same process as
// the real one, lies outside the real second, and the reverse.)
func perSecond(cache *atomic.Pointer[cachedDate], loc *time.Location, layout string) string {
	if c := cache.Load(); c != nil && c.loc == loc {
		if m := monoNow(); c.start <= m && m < c.end {
			return c.text
		}
	}
	now := time.Now()
	start := int64(now.Sub(clockBase))
	end := start + int64(time.Second) - int64(now.Nanosecond())
	c := &cachedDate{start, end, loc, now.In(loc).Format(layout)}
	cache.Store(c)
	return c.text
}
