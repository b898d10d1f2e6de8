package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestStopUnderLoad stops the command with SIGTERM while 20 clients
// download a large file slowly: it must exit within its drain bound (5 s,
// the README's), every client must get either its whole response or a
// close that its Content-Length shows to be short (never a body that
// looks complete and is not), and nothing but the request log lines may
// be printed: the connections the stop cuts are not errors.
func TestStopUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s drain bound")
	}
	const clients = 20
	const size = 64 << 20
	dir := siteDir(t)
	f, err := os.Create(filepath.Join(dir, "big.bin"))
	if err == nil {
		err = f.Truncate(size) // sparse: no disk used
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1", "0")
	type result struct {
		status       int
		declared     int64
		got          int64
		complete     bool
		err          error
		closedByPeer bool
	}
	results := make([]result, clients)
	var started, wg sync.WaitGroup
	started.Add(clients)
	for i := range clients {
		wg.Go(func() {
			r := &results[i]
			nc, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", c.port))
			if err != nil {
				r.err = err
				started.Done()
				return
			}
			defer nc.Close()
			nc.(*net.TCPConn).SetReadBuffer(16 << 10)
			nc.SetDeadline(time.Now().Add(30 * time.Second))
			io.WriteString(nc, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
			if err != nil {
				r.err = err
				started.Done()
				return
			}
			r.status, r.declared = resp.StatusCode, resp.ContentLength
			started.Done()
			buf := make([]byte, 32<<10)
			for {
				n, err := resp.Body.Read(buf)
				r.got += int64(n)
				if err == io.EOF {
					r.complete = true
					return
				}
				if err != nil {
					r.closedByPeer = errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
					r.err = err
					return
				}
				time.Sleep(20 * time.Millisecond) // about 1.6 MB/s: far from done in 5 s
			}
		})
	}
	started.Wait()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	code := c.interrupt(syscall.SIGTERM)
	took := time.Since(start)
	wg.Wait()
	t.Logf("exit status %d %v after SIGTERM with %d slow downloads", code, took, clients)
	if code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if took > drainTimeout+time.Second {
		t.Errorf("exited %v after SIGTERM, want within the drain bound (%v)", took, drainTimeout)
	}
	cut := 0
	for i, r := range results {
		switch {
		case r.status != 200 || r.declared != size:
			t.Errorf("client %d: status %d, Content-Length %d (%v)", i, r.status, r.declared, r.err)
		case r.complete && r.got != size:
			t.Errorf("client %d: a body of %d bytes read as complete, %d declared", i, r.got, size)
		case !r.complete && !r.closedByPeer:
			t.Errorf("client %d: cut after %d bytes by %v, want a close", i, r.got, r.err)
		case !r.complete:
			cut++
		}
	}
	t.Logf("%d downloads cut by the stop, each seen by its client as short of its Content-Length", cut)
	logLine := regexp.MustCompile(`^127\.0\.0\.1 - - \[[^]]+\] "GET /big\.bin HTTP/1\.1" 200 -$`)
	for _, line := range strings.Split(strings.TrimSuffix(c.stderr.String(), "\n"), "\n") {
		if !logLine.MatchString(line) {
			t.Errorf("printed more than the request log: %q", line)
		}
	}
}
