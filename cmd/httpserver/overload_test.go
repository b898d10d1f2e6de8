package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMaxConnectionsFlags checks --max-connections with
// --overload-retry-after: a client that finds the only slot held by a
// request still arriving gets 503 with Retry-After at once; once that
// connection is answered and idle, a new client takes its slot.
func TestMaxConnectionsFlags(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "-p", "HTTP/1.1",
		"--max-connections", "1", "--overload-retry-after", "2.5", "0")
	addr := fmt.Sprintf("127.0.0.1:%d", c.port)
	holder := dialSend(t, c.port, "GET /hello.txt HTTP/1.1\r\n") // the head is not complete yet
	defer holder.Close()
	time.Sleep(100 * time.Millisecond) // accepted, holding the slot

	refused := dialSend(t, c.port, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	defer refused.Close()
	refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(refused), nil)
	if err != nil {
		t.Fatalf("the client beyond --max-connections: %v\n%s", err, c.stderr.String())
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("got %s, Retry-After %q; want 503 with 3", resp.Status, resp.Header.Get("Retry-After"))
	}

	io.WriteString(holder, "Host: x\r\n\r\n")
	holder.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(holder)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the connection holding the slot: %v %v", resp, err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	// Now idle and kept alive: the next client takes its slot.
	start := time.Now()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, body := get(t, client, "http://"+addr+"/hello.txt"); resp.StatusCode != 200 || body != "Hello, world!\n" {
		t.Errorf("a new client while the only slot is idle: %d %q", resp.StatusCode, body)
	}
	t.Logf("a new client was served %v after asking, the only slot held by an idle connection", time.Since(start))
	if _, err := br.ReadByte(); err == nil {
		t.Errorf("the idle connection was not closed for the new client")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("the idle connection is still open")
	}
	c.interrupt(syscall.SIGTERM)
	log := c.stderr.String()
	if !strings.Contains(log, "code 503, message Service Unavailable") {
		t.Errorf("the 503 was not logged:\n%s", log)
	}
	if strings.Contains(log, "Exception") {
		t.Errorf("closing the idle connection was reported:\n%s", log)
	}
}
