package main

import (
	"io"
	"time"
)

// sayWait bounds how long the command waits for one of its messages to
// be written.
const sayWait = time.Second

// say writes s to w, but waits at most sayWait for it: a stdout that
// blocks (a stopped terminal, a pipe nobody reads) must keep the server
// neither from serving nor from exiting. A write still blocked then is
// left to finish, or not, on its own goroutine; the process does not wait
// for it when it exits. A failed write is ignored, as the server's log
// lines are.
func say(w io.Writer, s string) {
	done := make(chan struct{})
	go func() {
		io.WriteString(w, s)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(sayWait):
	}
}
