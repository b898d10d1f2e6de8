//go:build unix

package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBinarySIGINT builds the command, runs it as a user would, and stops
// it with Ctrl-C's signal. It is built on Unix only: on Windows
// os.Process.Signal cannot send an interrupt.
func TestBinarySIGINT(t *testing.T) {
	bin := cliBinary(t)
	dir := siteDir(t)
	cmd := exec.Command(bin, "-b", "127.0.0.1", "-d", dir, "0")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	r := bufio.NewReader(stdout)
	lineCh := make(chan string, 1)
	go func() {
		l, _ := r.ReadString('\n')
		lineCh <- l
	}()
	var line string
	select {
	case line = <-lineCh:
	case <-time.After(10 * time.Second):
		t.Fatal("no Serving line within 10s")
	}
	m := servingLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("Serving line %q", line)
	}
	base := "http://127.0.0.1:" + m[3]
	if resp, body := get(t, &http.Client{}, base+"/hello.txt"); resp.StatusCode != 200 || body != "Hello, world!\n" {
		t.Errorf("file: %d %q", resp.StatusCode, body)
	}
	if resp, body := get(t, &http.Client{}, base+"/"); resp.StatusCode != 200 || !strings.Contains(body, "hello.txt") {
		t.Errorf("listing: %d %q", resp.StatusCode, body)
	}
	cmd.Process.Signal(os.Interrupt)
	rest, _ := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGINT: %v, want status 0", err)
	}
	if string(rest) != "\nKeyboard interrupt received, exiting.\n" {
		t.Errorf("output after SIGINT = %q", rest)
	}
	if !strings.Contains(stderr.String(), `"GET /hello.txt HTTP/1.1" 200 -`) {
		t.Errorf("stderr lacks the request log:\n%s", stderr.String())
	}
}
