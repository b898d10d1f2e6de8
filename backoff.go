package httpserver

import (
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// The pauses of an accept loop whose Accept fails, and the quiet time
// that ends a burst of failures.
const (
	minAcceptPause = 5 * time.Millisecond
	maxAcceptPause = 250 * time.Millisecond
	acceptBurstGap = time.Second
)

// acceptBackoff paces the accept loop while Accept fails, most often
// because the process is out of file descriptors (EMFILE, ENFILE): the
// pending connection stays in the listen backlog, so retrying at once
// would spin. The pause doubles from 5 ms to at most 250 ms, so the
// server costs next to nothing while it lasts and serves again within a
// quarter of a second once descriptors are free. The first failure of a
// burst is logged; a burst ends when Accept has not failed for a second
// (a server that is short of descriptors alternates accepted connections
// and failures: that is one burst).
//
// Owned by the accept loop.
type acceptBackoff struct {
	pause       time.Duration // 0 when the last Accept succeeded
	lastFailure time.Time
}

// failed records a failed Accept, logging err on Stderr if it begins a
// burst, and returns how long to pause.
func (b *acceptBackoff) failed(s *HTTPServer, err error) time.Duration {
	now := time.Now()
	if now.Sub(b.lastFailure) > acceptBurstGap {
		var line strings.Builder
		line.WriteString("httpserver: accept failed, retrying (not logged again until accepts succeed for a second): ")
		pystr.WriteEscaped(&line, err.Error())
		line.WriteByte('\n')
		w, lw := s.stderr()
		lw.write(w, line.String())
	}
	b.lastFailure = now
	b.pause = max(minAcceptPause, min(2*b.pause, maxAcceptPause))
	return b.pause
}

// accepted records an accepted connection: the next failure pauses
// briefly again.
func (b *acceptBackoff) accepted() { b.pause = 0 }
