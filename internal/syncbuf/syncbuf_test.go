package syncbuf

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFirstLine checks that the first line is delivered once it is
// complete, whether it arrives in pieces or before anyone asks, and only
// once.
func TestFirstLine(t *testing.T) {
	var b Buffer
	first := b.FirstLine()
	b.Write([]byte("Serving HTTP "))
	select {
	case l := <-first:
		t.Fatalf("got %q before the line was complete", l)
	default:
	}
	b.Write([]byte("on 127.0.0.1 ...\nsecond\n"))
	b.Write([]byte("third\n"))
	select {
	case l := <-first:
		if l != "Serving HTTP on 127.0.0.1 ...\n" {
			t.Errorf("first line %q", l)
		}
	case <-time.After(time.Second):
		t.Fatal("no first line")
	}
	select {
	case l := <-first:
		t.Errorf("a second line was delivered: %q", l)
	default:
	}

	var late Buffer
	late.Write([]byte("done\nmore"))
	if l := <-late.FirstLine(); l != "done\n" {
		t.Errorf("first line asked for after the write: %q", l)
	}
}

// TestConcurrentWrites checks that writes from many goroutines all land
// whole (run with -race).
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				b.Write([]byte("line\n"))
			}
		})
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("line\n", 800) {
		t.Errorf("got %d bytes, want %d whole lines", len(got), 800)
	}
}
