package httpserver_test

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// blockedLog is a Stderr that blocks every Write until released, as a
// terminal stopped with Ctrl-S or a pipe nobody reads; then it records.
type blockedLog struct {
	release chan struct{}
	once    sync.Once
	buf     syncbuf.Buffer
	writes  chan struct{} // one value per Write begun
}

func newBlockedLog() *blockedLog {
	return &blockedLog{release: make(chan struct{}), writes: make(chan struct{}, 1<<16)}
}

func (l *blockedLog) Write(p []byte) (int, error) {
	l.writes <- struct{}{}
	<-l.release
	return l.buf.Write(p)
}

func (l *blockedLog) unblock() { l.once.Do(func() { close(l.release) }) }

// TestStalledLogDoesNotBlockResponses checks that a Stderr that blocks
// delays no response by more than a moment: requests on one connection
// are answered one after another while the log is stuck, and once it
// moves again every line arrives, in order. When more is logged than the
// queue holds, the lines that did not fit are replaced by a count.
func TestStalledLogDoesNotBlockResponses(t *testing.T) {
	tests := []struct {
		name     string
		requests int
		pad      int // bytes of path per request, to fill the queue
		dropped  bool
	}{
		{"queued", 40, 0, false},
		{"overflowing the queue", 120, 4 << 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := newBlockedLog()
			t.Cleanup(log.unblock)
			ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.Stderr = log })
			c := dialRaw(t, ts.addr)
			var worst time.Duration
			for i := range tt.requests {
				path := fmt.Sprintf("/r%d-%s", i, strings.Repeat("p", tt.pad))
				start := time.Now()
				c.send(getReq(path))
				if got := summarize(readResponse(t, c)); got != okAnswer("GET "+path) {
					t.Fatalf("request %d: %q", i, got)
				}
				worst = max(worst, time.Since(start))
			}
			t.Logf("%d requests with the log blocked; slowest answered in %v", tt.requests, worst)
			if worst > time.Second {
				t.Errorf("a request took %v with the log blocked, want well under a second", worst)
			}
			select {
			case <-log.writes:
			default:
				t.Fatal("the server never wrote to its Stderr")
			}
			log.unblock()
			c.nc.Close()
			ts.stop()
			lines := strings.Split(strings.TrimSuffix(log.buf.String(), "\n"), "\n")
			logged, dropped := 0, 0
			want := 0
			for _, l := range lines {
				if n, ok := strings.CutPrefix(l, "httpserver: "); ok {
					k, err := strconv.Atoi(strings.TrimSuffix(n, " log lines dropped"))
					if err != nil {
						t.Fatalf("unexpected line %q", l)
					}
					dropped += k
					continue
				}
				m := requestNumber.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("unexpected line %q", l)
				}
				i, _ := strconv.Atoi(m[1])
				if i < want {
					t.Errorf("line of request %d after that of request %d", i, want-1)
				}
				want = i + 1
				logged++
			}
			t.Logf("%d lines logged, %d counted as dropped", logged, dropped)
			if logged+dropped != tt.requests {
				t.Errorf("%d lines logged and %d dropped, want %d in all", logged, dropped, tt.requests)
			}
			if (dropped > 0) != tt.dropped {
				t.Errorf("%d lines dropped, want drops: %v", dropped, tt.dropped)
			}
		})
	}
}

var requestNumber = regexp.MustCompile(`^127\.0\.0\.1 - - \[[^]]+\] "GET /r(\d+)-p* HTTP/1\.1" 200 -$`)

// failingLog is a Stderr whose every write fails, as a closed pipe or a
// full disk.
type failingLog struct{ calls syncbuf.Buffer }

func (l *failingLog) Write(p []byte) (int, error) {
	l.calls.Write([]byte{'.'})
	return 0, errors.New("no space left on device")
}

// TestFailingLogIsDropped checks that log writes that fail are dropped
// and the server keeps answering.
func TestFailingLogIsDropped(t *testing.T) {
	log := &failingLog{}
	ts := serve(t, hostileClass, func(s *httpserver.HTTPServer) { s.Stderr = log })
	for range 3 {
		checkFreshGET(t, ts.addr)
	}
	ts.stop()
	if got := len(log.calls.String()); got != 3 {
		t.Errorf("%d writes to Stderr, want one per request (3)", got)
	}
}
