package httpserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// TestFlushWaitSavesARead counts the server's read(2) calls under strace
// while a client sends kept-alive requests one after the other: the wait
// for the next request reads nothing, so the reads that find nothing
// (EAGAIN) are few, not one per request as with a read that waits.
func TestFlushWaitSavesARead(t *testing.T) {
	if os.Getenv("HTTPSERVER_FLUSHWAIT_CHILD") == "1" {
		// The server: its address on stdout, then it serves until stdin
		// closes.
		ts := serve(t, func() httpserver.Handler {
			return &pathHandler{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
		})
		fmt.Println(ts.addr)
		io.Copy(io.Discard, os.Stdin)
		return
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("no strace (.ci/run installs it)")
	}
	trace := filepath.Join(t.TempDir(), "strace.out")
	// --seccomp-bpf stops the server at its reads only: its writes, and
	// what it does between a write and the read that follows, run at
	// full speed, as without strace.
	cmd := exec.Command(strace, "--seccomp-bpf", "-f", "-e", "trace=read", "-o", trace,
		os.Args[0], "-test.run=^TestFlushWaitSavesARead$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HTTPSERVER_FLUSHWAIT_CHILD=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Wait()
		if strings.Contains(stderr.String(), "ptrace") || strings.Contains(stderr.String(), "Operation not permitted") {
			t.Skipf("strace not allowed here: %s", stderr.String())
		}
		t.Fatalf("the server under strace gave no address: %v\n%s", err, stderr.String())
	}

	const requests = 200
	c := dialRaw(t, strings.TrimSpace(addr))
	br := bufio.NewReader(c.nc)
	for range requests {
		// The client takes a moment before its next request, as a real
		// one does, so that a read that waits would find nothing yet. (A
		// spin: a sleep this short may last a millisecond.)
		for start := time.Now(); time.Since(start) < 300*time.Microsecond; {
		}
		c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		if body, err := io.ReadAll(resp.Body); err != nil || string(body) != "/hello" {
			t.Fatalf("body %q, %v", body, err)
		}
	}
	c.nc.Close()
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the server: %v\n%s", err, stderr.String())
	}

	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	// (A call strace saw interrupted by another thread's is split into
	// "read(…<unfinished …>" and "<… read resumed>…" lines.)
	requestReads := strings.Count(string(data), `"GET /hello HTTP/1.1`)
	empty := len(regexp.MustCompile(`(?m)^\d+ +(read\(|<\.\.\. read resumed>).* = -1 EAGAIN`).FindAll(data, -1))
	if requestReads != requests {
		t.Fatalf("strace shows %d reads of a request, want %d:\n%.3000s", requestReads, requests, data)
	}
	t.Logf("%d requests: %d reads of a request, %d that found nothing", requests, requestReads, empty)
	// A wait that outlasts flushWaitRescue (a slow machine) ends in an
	// ordinary read, which may find nothing: allow some.
	if empty > requests/10 {
		t.Errorf("%d reads found nothing (EAGAIN) for %d requests, want few:\n%.3000s", empty, requests, data)
	}
}
