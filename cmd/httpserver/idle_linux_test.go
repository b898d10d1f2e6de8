package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver/internal/fdlimit"
)

var idleConns = flag.Int("idle-conns", 10000, "kept-alive idle connections TestIdleConnectionsMemory opens")

// TestIdleConnectionsMemory runs the command (its binary, with
// --max-connections raised) and holds 10,000 kept-alive connections idle
// on it, each after one request: each must cost the server at most
// 8 KiB of resident memory, and a new client must meanwhile be answered
// within 100 ms.
func TestIdleConnectionsMemory(t *testing.T) {
	bin := cliBinary(t)
	n := *idleConns
	fdlimit.Raise(t, uint64(n)+64)
	cmd := exec.Command(bin, "-b", "127.0.0.1", "-d", siteDir(t), "-p", "HTTP/1.1",
		"--max-connections", strconv.Itoa(2*n), "0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	// The command raises its own soft limit to the hard one at start.
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := servingLine.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("Serving line %q: %v", line, err)
	}
	addr := "127.0.0.1:" + m[3]
	req := []byte("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	open := func() net.Conn {
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		c.Write(req)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		c.SetDeadline(time.Time{})
		return c
	}
	open().Close() // warm up
	time.Sleep(500 * time.Millisecond)
	before := vmRSS(t, cmd.Process.Pid)

	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	start := time.Now()
	for range n {
		conns = append(conns, open())
	}
	opened := time.Since(start)
	// The steady state: the least RSS over a few seconds once the idle
	// connections have given their buffers back (the sweeper, every 250
	// ms).
	time.Sleep(2 * time.Second)
	after := vmRSS(t, cmd.Process.Pid)
	for range 6 {
		time.Sleep(500 * time.Millisecond)
		after = min(after, vmRSS(t, cmd.Process.Pid))
	}
	perConn := float64(after-before) / float64(n)
	t.Logf("%d idle kept-alive connections (opened in %v): RSS %d KiB -> %d KiB, %.2f KiB each",
		n, opened.Round(time.Millisecond), before, after, perConn)
	// Issue 14 asks for at most 8 KiB. Measured 6.3-6.8 KiB since idle
	// connections park (park.go), 7.8-8.2 before; 9.4 before the idle
	// connections gave their buffers back, 13 when they kept their files.
	if perConn > 8 {
		t.Errorf("%.2f KiB per idle connection, want at most 8", perConn)
	}

	var worst time.Duration
	for range 20 {
		start := time.Now()
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/hello.txt")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		worst = max(worst, time.Since(start))
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("a new client meanwhile: slowest of 20 answered in %v", worst)
	if worst > 100*time.Millisecond {
		t.Errorf("a new client took %v with %d idle connections open, want under 100ms", worst, n)
	}
	alive := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				alive++
			}
		}
	}
	if alive != n {
		t.Errorf("%d of %d idle connections still open, want all", alive, n)
	}
}

// vmRSS returns the resident set size of process pid, in KiB.
func vmRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range bytes.Split(status, []byte("\n")) {
		if v, ok := strings.CutPrefix(string(l), "VmRSS:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return kib
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
