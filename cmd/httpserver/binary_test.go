package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The command built once for the tests that run it as a user would.
var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  string
	binaryDir  string
)

// TestMain removes the built command after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// cliBinary returns the path of the command, built on first use; it
// skips the test under -short, or where there is no go command.
func cliBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binaryOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binaryErr = "no go command to build the binary with"
			return
		}
		if binaryDir, err = os.MkdirTemp("", "httpserver-cli-"); err != nil {
			binaryErr = err.Error()
			return
		}
		bin := filepath.Join(binaryDir, "httpserver")
		if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
			binaryErr = "go build: " + err.Error() + "\n" + string(out)
			return
		}
		binaryPath = bin
	})
	if binaryPath == "" {
		if binaryErr == "no go command to build the binary with" {
			t.Skip(binaryErr)
		}
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// freePort returns a loopback port that was free a moment ago, for a
// server whose output cannot tell the port it chose.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits until something accepts connections on addr.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listening on %s after 10s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
