//go:build !race

package httpserver

// raceEnabled reports whether the race detector is on: it adds
// allocations of its own, so allocation guards do not apply.
const raceEnabled = false
