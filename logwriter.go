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
	// logStall is how long writing one batch of lines to Stderr may take
	// before the log counts as stalled: the callers waiting for the batch
	// go on, and later callers queue their lines without waiting until
	// the log has caught up.
	logStall = 100 * time.Millisecond
)

// logWriter is the path from a server's handlers to its Stderr. Lines are
// written in order, each in one Write, by a goroutine of the logWriter's
// own, so that a log that blocks (a stalled terminal, a pipe nobody
// reads, a full disk) never blocks a response: a caller waits for its
// line to be written, as Python's synchronous writes would, but only
// while the log keeps up. Lines queued together are written as a batch;
// once a batch has taken longer than logStall, its callers go on, and
// callers queue their lines and return at once until the queue has
// drained. What does not fit in maxLogQueue is dropped and counted, and
// the count is written where the lines are missing once the log moves
// again ("httpserver: 12 log lines dropped"). A failed write is dropped.
//
// The goroutine runs while lines are queued and ends when none are left;
// flush waits for it. The zero value is ready to use and must not be
// copied after first use. Safe for concurrent use.
type logWriter struct {
	mu      sync.Mutex
	cond    sync.Cond  // on mu: released moved on or the goroutine ended
	queue   []logEntry // lines of the next batch, oldest first
	spare   []logEntry // the previous batch's array, for reuse
	queued  int        // bytes of the lines not yet written
	seq     uint64     // lines queued so far
	release uint64     // callers of lines up to this one may go on
	running bool       // the writing goroutine is running
	stalled bool       // a batch took longer than logStall; cleared when the queue drains
	dropped int        // lines dropped while only the batch being written was queued

	// The batch being written: its last line and when it began.
	batchEnd   uint64
	batchStart time.Time
	stallTimer *time.Timer
}

// logEntry is one queued line.
type logEntry struct {
	w       io.Writer
	line    string
	dropped int // lines dropped after this one while the queue was full
}

// write queues line for w and waits for it to be written, unless the log
// is stalled; see logWriter.
func (l *logWriter) write(w io.Writer, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.queued > 0 && l.queued+len(line) > maxLogQueue {
		if n := len(l.queue); n > 0 {
			l.queue[n-1].dropped++
		} else {
			l.dropped++
		}
		return
	}
	l.queue = append(l.queue, logEntry{w: w, line: line})
	l.queued += len(line)
	l.seq++
	mine := l.seq
	if !l.running {
		l.running = true
		if l.cond.L == nil {
			l.cond.L = &l.mu
		}
		go l.run()
	}
	for !l.stalled && l.release < mine {
		l.cond.Wait()
	}
}

// run writes batches of queued lines until none are left.
func (l *logWriter) run() {
	l.mu.Lock()
	for len(l.queue) > 0 {
		batch := l.queue
		l.queue, l.spare = l.spare[:0], nil
		l.batchEnd, l.batchStart = l.seq, time.Now()
		if l.stallTimer == nil {
			l.stallTimer = time.AfterFunc(logStall, l.stall)
		} else {
			l.stallTimer.Reset(logStall)
		}
		for i := range batch {
			e := batch[i]
			batch[i] = logEntry{}
			n := e.dropped
			if i == len(batch)-1 {
				// Lines dropped while no other was queued came after
				// the batch.
				n += l.dropped
				l.dropped = 0
			}
			l.mu.Unlock()
			io.WriteString(e.w, e.line) // a failed write is dropped
			if n > 0 {
				io.WriteString(e.w, "httpserver: "+strconv.Itoa(n)+" log lines dropped\n")
			}
			l.mu.Lock()
			l.queued -= len(e.line)
		}
		l.stallTimer.Stop()
		l.release = l.batchEnd
		l.cond.Broadcast()
		l.spare = batch[:0]
	}
	l.stalled = false
	l.running = false
	l.cond.Broadcast()
	l.mu.Unlock()
}

// stall runs when a batch has taken logStall: its callers go on, and
// later ones do not wait.
func (l *logWriter) stall() {
	l.mu.Lock()
	// The timer may fire as a batch ends and the next begins.
	if l.running && time.Since(l.batchStart) >= logStall {
		l.stalled = true
		l.release = l.batchEnd
		l.cond.Broadcast()
	}
	l.mu.Unlock()
}

// flush waits until every queued line is written, or max passes.
func (l *logWriter) flush(max time.Duration) {
	deadline := time.Now().Add(max)
	l.mu.Lock()
	for l.running && time.Now().Before(deadline) {
		l.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		l.mu.Lock()
	}
	l.mu.Unlock()
}
