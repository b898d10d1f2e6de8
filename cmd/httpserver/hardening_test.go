package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver/internal/fdlimit"
)

// hostileRequest sends req on a new connection to port and reads the
// responses (status lines) that want lists, then checks that the server
// closes the connection (wantClose) or keeps it open.
func hostileRequest(t *testing.T, port int, req string, want []string, wantClose bool) {
	t.Helper()
	c := dialSend(t, port, req)
	defer c.Close()
	br := bufio.NewReader(c)
	var got []string
	for range want {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got = append(got, resp.Proto+" "+resp.Status)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("responses mismatch (-want +got):\n%s", diff)
	}
	if wantClose {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
	} else {
		c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
	}
	n, err := br.Read(make([]byte, 1))
	switch closed := err == io.EOF || errors.Is(err, syscall.ECONNRESET); {
	case n > 0:
		t.Errorf("more bytes after the responses")
	case wantClose && !closed:
		t.Errorf("connection not closed after the responses: %v", err)
	case !wantClose && closed:
		t.Errorf("connection closed after the responses, want it kept open")
	}
}

// freshGET checks that a plain request on a new connection is served.
func freshGET(t *testing.T, port int) {
	t.Helper()
	if got := rawRequest(t, port, "GET /hello.txt HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\nHello, world!\n") {
		t.Errorf("a normal GET on a fresh connection: %q", got)
	}
}

// TestHostileRequests sends the command-line server (HTTP/1.1, default
// limits) requests with ambiguous framing, bodies, long methods and
// headers: each gets its status line, then the connection closes or stays
// usable, and the server keeps serving others.
func TestHostileRequests(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "-p", "HTTP/1.1", "--max-header-bytes", "512", "0")
	smuggled := "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
	get := "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
	tests := []struct {
		name      string
		req       string
		want      []string
		wantClose bool
	}{
		{"Transfer-Encoding and Content-Length",
			"POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + get,
			[]string{"HTTP/1.1 400 Both Transfer-Encoding and Content-Length"}, true},
		{"differing Content-Length",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" + get,
			[]string{"HTTP/1.1 400 Bad Content-Length ('5, 6')"}, true},
		{"Transfer-Encoding not ending in chunked",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n" + get,
			[]string{"HTTP/1.1 400 Bad Transfer-Encoding ('chunked, gzip')"}, true},
		{"obs-fold",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" + get,
			[]string{"HTTP/1.1 400 Bad header line (' b')"}, true},
		{"no Host",
			"GET /hello.txt HTTP/1.1\r\n\r\n" + get,
			[]string{"HTTP/1.1 400 Missing Host header"}, true},
		{"unread Content-Length body",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 35\r\n\r\n" + smuggled + get,
			[]string{"HTTP/1.1 200 OK", "HTTP/1.1 200 OK"}, false},
		{"unread chunked body",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n23\r\n" + smuggled + "\r\n0\r\n\r\n" + get,
			[]string{"HTTP/1.1 200 OK", "HTTP/1.1 200 OK"}, false},
		{"unsupported method with a body",
			"POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 35\r\n\r\n" + smuggled,
			[]string{"HTTP/1.1 501 Unsupported method ('POST')"}, true},
		{"method longer than 32 bytes",
			strings.Repeat("X", 33) + " /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
			[]string{"HTTP/1.1 501 Unsupported method (longer than 32 bytes)"}, true},
		{"headers over --max-header-bytes",
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Pad: " + strings.Repeat("p", 512) + "\r\n\r\n",
			[]string{"HTTP/1.1 431 Headers too large"}, true},
		{"request line over --max-header-bytes",
			"GET /" + strings.Repeat("a", 600) + " HTTP/1.1\r\nHost: x\r\n\r\n",
			[]string{"HTTP/1.1 414 URI Too Long"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hostileRequest(t, c.port, tt.req, tt.want, tt.wantClose)
			freshGET(t, c.port)
		})
	}
	c.interrupt(syscall.SIGTERM)
	if log := c.stderr.String(); strings.Contains(log, "smuggled") {
		t.Errorf("a body was parsed as a request:\n%s", log)
	}
}

// TestIdleTimeoutFlag checks that --idle-timeout closes a kept-alive
// connection quietly.
func TestIdleTimeoutFlag(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "-p", "HTTP/1.1", "--idle-timeout", "0.3", "0")
	start := time.Now()
	hostileRequest(t, c.port, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HTTP/1.1 200 OK"}, true)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("closed after %v, before the idle timeout", d)
	}
	freshGET(t, c.port)
	c.interrupt(syscall.SIGTERM)
	if log := c.stderr.String(); strings.Contains(log, "timed out") {
		t.Errorf("the idle close was logged:\n%s", log)
	}
}

// TestSlowlorisCLI runs 300 connections that send a request head a byte
// every 100ms against the command-line server with --read-header-timeout
// 0.5, and checks that a normal client meanwhile is always served within
// a second.
func TestSlowlorisCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for seconds")
	}
	const conns = 300
	fdlimit.Raise(t, 2*conns)
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "--read-header-timeout", "0.5", "0")
	addr := fmt.Sprintf("127.0.0.1:%d", c.port)
	stop := make(chan struct{})
	var dials atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for {
				nc, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				dials.Add(1)
				io.WriteString(nc, "GET /hello.txt HTTP/1.1\r\n")
				for err == nil {
					select {
					case <-stop:
						nc.Close()
						return
					case <-time.After(100 * time.Millisecond):
					}
					_, err = nc.Write([]byte("X"))
				}
				nc.Close()
			}
		})
	}
	time.AfterFunc(3*time.Second, func() { close(stop) })
	var worst time.Duration
	requests := 0
	for done := false; !done; {
		select {
		case <-stop:
			done = true
		case <-time.After(50 * time.Millisecond):
			start := time.Now()
			freshGET(t, c.port)
			worst = max(worst, time.Since(start))
			requests++
		}
	}
	wg.Wait()
	c.interrupt(syscall.SIGTERM)
	timeouts := strings.Count(c.stderr.String(), "Request timed out")
	t.Logf("%d slowloris connections, %d cut off; %d normal requests, worst latency %v", dials.Load(), timeouts, requests, worst)
	if worst > time.Second {
		t.Errorf("a normal request took %v, want at most 1s", worst)
	}
	if timeouts < conns {
		t.Errorf("%d header timeouts logged, want at least %d", timeouts, conns)
	}
}
