//go:build unix

package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestClosedOutputPipes runs the command with its stderr, or both its
// stdout and stderr, on a pipe whose reader has gone (`httpserver 2>&1 |
// head -1` after head exits): the writes fail, and the server still
// answers and stays up until SIGTERM, which it exits on with status 0.
// Without care a Go program dies of SIGPIPE on its first log line.
// (Unix only: Windows has neither SIGPIPE nor SIGTERM to send.)
func TestClosedOutputPipes(t *testing.T) {
	bin := cliBinary(t)
	for _, closeStdout := range []bool{false, true} {
		t.Run(fmt.Sprintf("stdout closed too: %v", closeStdout), func(t *testing.T) {
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			pr.Close() // the reader has gone
			defer pw.Close()
			port := freePort(t)
			cmd := exec.Command(bin, "-b", "127.0.0.1", "-d", siteDir(t), strconv.Itoa(port))
			cmd.Stderr = pw
			if closeStdout {
				cmd.Stdout = pw
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			base := fmt.Sprintf("http://127.0.0.1:%d", port)
			waitListening(t, base[len("http://"):])
			for i := range 3 {
				resp, body := get(t, &http.Client{Timeout: 5 * time.Second}, base+"/hello.txt")
				if resp.StatusCode != 200 || body != "Hello, world!\n" {
					t.Fatalf("request %d: %d %q", i, resp.StatusCode, body)
				}
			}
			select {
			case err := <-exited:
				t.Fatalf("the server exited after logging to a closed pipe: %v", err)
			case <-time.After(200 * time.Millisecond):
			}
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("exit after SIGTERM: %v, want status 0", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no exit within 10s of SIGTERM")
			}
		})
	}
}
