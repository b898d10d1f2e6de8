package httpserver

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// The bounds of the log path.
const (
	// maxLogQueue bounds the bytes of log lines waiting to be written;
	// lines that do not fit are dropped and counted.
	maxLogQueue = 256 << 10
	// logStall is how long one write to Stderr may take before the log
	// counts as stalled: from then on callers queue their lines and go on
	// without waiting for them to be written.
	logStall = 100 * time.Millisecond
	// logWaitMax bounds how long a caller waits for its line in any case
	// (a log that is slow rather than stalled, with many lines queued).
	logWaitMax = time.Second
)

// logWriter is the path from a server's handlers to its Stderr. Lines are
// written in order, each in one Write, by a goroutine of the logWriter's
// own, so that a log that blocks (a stalled terminal, a pipe nobody
// reads, a full disk) never blocks a response: a caller waits for its
// line to be written, as Python's synchronous writes would, but only
// while the log keeps up; once a write has taken longer than logStall,
// callers queue their lines and return at once. What does not fit in
// maxLogQueue is dropped and counted, and the count is written where the
// lines are missing once the log moves again ("httpserver: 12 log lines
// dropped"). A failed write is dropped.
//
// The goroutine runs while lines are queued and ends when none are left;
// flush waits for it. The zero value is ready to use and must not be
// copied after first use. Safe for concurrent use.
type logWriter struct {
	mu         sync.Mutex
	queue      []logEntry    // lines waiting, oldest first
	spare      []logEntry    // the previous batch's array, for reuse
	queued     int           // bytes of the lines not yet written
	running    bool          // the writing goroutine is running
	idle       chan struct{} // closed when the running goroutine ends
	writeStart time.Time     // when the write in progress began; zero if none
	dropped    int           // lines dropped while only the batch being written was queued
}

// logEntry is one queued line.
type logEntry struct {
	w       io.Writer
	line    string
	done    chan struct{} // closed once the line is written; nil if nobody waits
	dropped int           // lines dropped after this one while the queue was full
}

// write queues line for w and waits for it to be written, unless the log
// is stalled; see logWriter.
func (l *logWriter) write(w io.Writer, line string) {
	l.mu.Lock()
	if l.queued > 0 && l.queued+len(line) > maxLogQueue {
		if n := len(l.queue); n > 0 {
			l.queue[n-1].dropped++
		} else {
			l.dropped++
		}
		l.mu.Unlock()
		return
	}
	var done chan struct{}
	if !l.stalled(time.Now()) {
		done = make(chan struct{})
	}
	l.queue = append(l.queue, logEntry{w: w, line: line, done: done})
	l.queued += len(line)
	if !l.running {
		l.running = true
		l.idle = make(chan struct{})
		go l.run(l.idle)
	}
	l.mu.Unlock()
	if done != nil {
		l.wait(done, logWaitMax)
	}
}

// stalled reports whether the write in progress has lasted longer than
// logStall. l.mu must be held.
func (l *logWriter) stalled(now time.Time) bool {
	return !l.writeStart.IsZero() && now.Sub(l.writeStart) > logStall
}

// wait waits until done is closed, the log stalls, or max passes.
func (l *logWriter) wait(done <-chan struct{}, max time.Duration) {
	deadline := time.Now().Add(max)
	t := time.NewTimer(logStall)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			l.mu.Lock()
			stalled := l.stalled(now)
			l.mu.Unlock()
			if stalled || now.After(deadline) {
				return
			}
			t.Reset(logStall)
		}
	}
}

// run writes the queued lines until none are left, then closes idle.
func (l *logWriter) run(idle chan struct{}) {
	l.mu.Lock()
	for len(l.queue) > 0 {
		batch := l.queue
		l.queue, l.spare = l.spare[:0], nil
		for i := range batch {
			e := batch[i]
			batch[i] = logEntry{}
			l.writeStart = time.Now()
			l.mu.Unlock()
			io.WriteString(e.w, e.line) // a failed write is dropped
			if e.done != nil {
				close(e.done)
			}
			l.mu.Lock()
			l.queued -= len(e.line)
			n := e.dropped
			if i == len(batch)-1 {
				// Lines dropped while no other was queued came after
				// the batch.
				n += l.dropped
				l.dropped = 0
			}
			if n > 0 {
				l.mu.Unlock()
				io.WriteString(e.w, "httpserver: "+strconv.Itoa(n)+" log lines dropped\n")
				l.mu.Lock()
			}
			l.writeStart = time.Time{}
		}
		l.spare = batch[:0]
	}
	l.running = false
	close(idle)
	l.mu.Unlock()
}

// flush waits until every queued line is written, or the log stalls, or
// max passes.
func (l *logWriter) flush(max time.Duration) {
	l.mu.Lock()
	running, idle := l.running, l.idle
	l.mu.Unlock()
	if running {
		l.wait(idle, max)
	}
}
