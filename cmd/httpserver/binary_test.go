package main

import (
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The command built once for the tests that run it as a user would.
var (
	binaryOnce sync.Once
	binaryDir  string
	binaryPath string // set once built
)

// TestMain removes the built command after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// cliBinary returns the path of the command, built by buildCLI for the
// first test that asks; a later test is skipped when that build failed
// or was skipped (the first test says why).
func cliBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "httpserver-cli-")
		if err != nil {
			t.Fatal(err)
		}
		binaryDir = dir
		bin := filepath.Join(dir, "httpserver")
		buildCLI(t, bin) // may skip or fail this test
		binaryPath = bin
	})
	if binaryPath == "" {
		t.Skip("the command was not built (the first test that asked says why)")
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
