package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// stalledWriter is a stdout that never takes a byte, as a terminal
// stopped with Ctrl-S.
type stalledWriter struct{ release chan struct{} }

func (w *stalledWriter) Write(p []byte) (int, error) {
	<-w.release
	return len(p), nil
}

// TestStalledStdout runs the command with a stdout that blocks: it
// serves all the same, and Ctrl-C stops it promptly.
func TestStalledStdout(t *testing.T) {
	out := &stalledWriter{release: make(chan struct{})}
	defer close(out.release)
	port := freePort(t)
	stop := make(chan os.Signal, 1)
	done := make(chan int, 1)
	stderr := new(syncbuf.Buffer)
	go func() {
		done <- serve("httpserver", []string{"-b", "127.0.0.1", "-d", siteDir(t), strconv.Itoa(port)}, out, stderr, stop)
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitListening(t, base[len("http://"):])
	resp, body := get(t, &http.Client{Timeout: 5 * time.Second}, base+"/hello.txt")
	if resp.StatusCode != 200 || body != "Hello, world!\n" {
		t.Fatalf("GET with stdout stalled: %d %q", resp.StatusCode, body)
	}
	start := time.Now()
	stop <- os.Interrupt
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d, want 0", code)
		}
		t.Logf("exited %v after SIGINT with stdout stalled", time.Since(start))
	case <-time.After(10 * time.Second):
		t.Fatal("no exit within 10s of SIGINT with stdout stalled")
	}
}
