package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver/internal/syncbuf"
	"github.com/httpserver-go/httpserver/internal/testcert"
)

var soakTime = flag.Duration("soak", 50*time.Second,
	"how long TestSoak sends traffic (the long run: go test -run TestSoak -timeout 15m ./cmd/httpserver -soak=10m)")

// lineCounter is a server's Stderr for the soak: it counts the lines by
// kind (request lines, errors answered, reports of clients that vanished,
// timeouts) and keeps a few others, so that hours of logging cost no
// memory.
type lineCounter struct {
	mu       sync.Mutex
	counts   map[string]int
	other    []string
	inReport bool
}

var (
	requestLine = regexp.MustCompile(`^127\.0\.0\.1 - - \[[^]]+\] "`)
	errorLine   = regexp.MustCompile(`^127\.0\.0\.1 - - \[[^]]+\] code \d+, `)
)

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	for _, l := range strings.SplitAfter(string(p), "\n") {
		switch {
		case l == "":
		case l == "----------------------------------------\n":
			c.inReport = !c.inReport
		case c.inReport && strings.HasPrefix(l, "Exception occurred"):
			c.counts["report"]++
		case c.inReport:
			// The error of the report.
		case requestLine.MatchString(l):
			c.counts["request"]++
		case errorLine.MatchString(l):
			c.counts["error answered"]++
		case strings.Contains(l, "Request timed out"):
			c.counts["timeout"]++
		default:
			c.counts["other"]++
			if len(c.other) < 20 {
				c.other = append(c.other, strings.TrimSuffix(l, "\n"))
			}
		}
	}
	return len(p), nil
}

// soakServer runs the command in-process with a counting Stderr and
// returns its port and a function that stops it.
func soakServer(t *testing.T, log io.Writer, args ...string) (port int, stop func()) {
	t.Helper()
	stdout := new(syncbuf.Buffer)
	sig := make(chan os.Signal, 1)
	done := make(chan int, 1)
	go func() { done <- serve("httpserver", args, stdout, log, sig) }()
	select {
	case line := <-stdout.FirstLine():
		m := servingLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("Serving line %q", line)
		}
		port, _ = strconv.Atoi(m[3])
	case <-time.After(10 * time.Second):
		t.Fatal("no Serving line within 10s")
	}
	var once sync.Once
	return port, func() {
		once.Do(func() {
			sig <- syscall.SIGTERM
			<-done
		})
	}
}

// processSample is what the soak watches of its own process.
type processSample struct {
	at         time.Duration
	fds        int
	goroutines int
	rssKiB     int64
	requests   int64
}

func sampleProcess(t *testing.T, at time.Duration, requests int64) processSample {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return processSample{at: at, fds: len(entries) - 1, goroutines: runtime.NumGoroutine(),
		rssKiB: vmRSS(t, os.Getpid()), requests: requests}
}

// settledSample samples the process until its descriptors and goroutines
// have held still for half a second (at most 10 s).
func settledSample(t *testing.T, start time.Time, requests *atomic.Int64) processSample {
	t.Helper()
	s := sampleProcess(t, time.Since(start), requests.Load())
	for still, deadline := time.Now(), time.Now().Add(10*time.Second); time.Since(still) < 500*time.Millisecond && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		next := sampleProcess(t, time.Since(start), requests.Load())
		if next.fds != s.fds || next.goroutines != s.goroutines {
			still = time.Now()
		}
		s = next
	}
	return s
}

func (s processSample) String() string {
	return fmt.Sprintf("t=%3.0fs fds=%d goroutines=%d rss=%.1fMiB requests=%d",
		s.at.Seconds(), s.fds, s.goroutines, float64(s.rssKiB)/1024, s.requests)
}

// TestSoak runs the command (HTTP and HTTPS, HTTP/1.1) under mixed
// traffic for -soak (50 s in CI; -soak=10m for the long run): kept-alive
// and one-shot GETs of a small file, a 1 MB file and a listing, 404s,
// malformed requests, clients that send their head a byte at a time,
// clients that read slowly, clients that vanish mid-response, and TLS.
// Every 10 s it samples the process's descriptors, goroutines and RSS.
// When the traffic stops, descriptors and goroutines must come back to
// their baseline, and RSS must not have grown by more than 10% from the
// sample at a fifth of the run (minute 2 of 10) to the end.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for a minute")
	}
	if raceEnabled {
		t.Skip("runs once, without -race (CI runs the tests both ways)")
	}
	dir := siteDir(t)
	big := make([]byte, 1<<20)
	rand.Read(big)
	os.WriteFile(filepath.Join(dir, "1mb.bin"), big, 0o644)
	os.Mkdir(filepath.Join(dir, "list"), 0o755)
	for i := range 200 {
		os.WriteFile(filepath.Join(dir, "list", fmt.Sprintf("file-%03d.txt", i)), []byte("x"), 0o644)
	}
	key := testcert.NewECKey(t)
	cert := testcert.SelfSigned(t, key)
	certFile, keyFile := filepath.Join(t.TempDir(), "cert.pem"), filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(certFile, testcert.CertPEM(cert), 0o600)
	os.WriteFile(keyFile, testcert.ECPEM(t, key), 0o600)

	httpLog, tlsLog := &lineCounter{}, &lineCounter{}
	const headerTimeout = 2 * time.Second
	common := []string{"-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1", "--read-header-timeout", "2"}
	httpPort, stopHTTP := soakServer(t, httpLog, append(common, "0")...)
	defer stopHTTP()
	tlsPort, stopTLS := soakServer(t, tlsLog, append(common, "--tls-cert", certFile, "--tls-key", keyFile, "0")...)
	defer stopTLS()
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	tlsBase := fmt.Sprintf("https://127.0.0.1:%d", tlsPort)
	addr := fmt.Sprintf("127.0.0.1:%d", httpPort)
	pool := x509.NewCertPool()
	pool.AddCert(cert)

	keepAlive := &http.Transport{MaxIdleConnsPerHost: 8}
	oneShot := &http.Transport{DisableKeepAlives: true}
	tlsKeepAlive := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxIdleConnsPerHost: 4}
	tlsOneShot := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}
	transports := []*http.Transport{keepAlive, oneShot, tlsKeepAlive, tlsOneShot}

	var requests, failures atomic.Int64
	var failMu sync.Mutex
	var firstFailures []string
	fail := func(format string, args ...any) {
		if failures.Add(1) <= 10 {
			failMu.Lock()
			firstFailures = append(firstFailures, fmt.Sprintf(format, args...))
			failMu.Unlock()
		}
	}
	fetch := func(tr *http.Transport, url string, wantStatus int, wantLen int) {
		resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Get(url)
		if err != nil {
			fail("GET %s: %v", url, err)
			return
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		requests.Add(1)
		if err != nil || resp.StatusCode != wantStatus || wantLen >= 0 && n != int64(wantLen) {
			fail("GET %s: %d, %d bytes, %v", url, resp.StatusCode, n, err)
		}
	}
	// raw sends req on a new connection and lets read take the answer;
	// send, if given, sends req its own way.
	raw := func(req string, read func(c net.Conn), send ...func(c net.Conn)) {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			fail("dial: %v", err)
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if len(send) > 0 {
			send[0](c)
		} else {
			io.WriteString(c, req)
		}
		read(c)
		requests.Add(1)
	}

	stop := make(chan struct{})
	running := func() bool {
		select {
		case <-stop:
			return false
		default:
			return true
		}
	}
	workers := []func(){
		func() { fetch(keepAlive, base+"/hello.txt", 200, 14) },
		func() { fetch(keepAlive, base+"/1mb.bin", 200, 1<<20) },
		func() { fetch(keepAlive, base+"/list/", 200, -1) },
		func() { fetch(keepAlive, base+"/missing", 404, -1) },
		func() { fetch(oneShot, base+"/hello.txt", 200, 14) },
		func() { fetch(oneShot, base+"/list/", 200, -1) },
		func() { fetch(tlsKeepAlive, tlsBase+"/1mb.bin", 200, 1<<20) },
		func() { fetch(tlsKeepAlive, tlsBase+"/hello.txt", 200, 14) },
		func() { fetch(tlsOneShot, tlsBase+"/list/", 200, -1) },
		func() { // malformed requests: answered, then closed
			for _, req := range []string{
				"GET / HTTP/9.9\r\n\r\n",
				"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
				"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
				"\x16\x03\x01\x00\x05hello\r\n\r\n",
				"GET /" + strings.Repeat("a", 70000),
			} {
				raw(req, func(c net.Conn) {
					line, err := bufio.NewReader(c).ReadString('\n')
					if err != nil || !strings.HasPrefix(line, "HTTP/1.1 4") && !strings.HasPrefix(line, "HTTP/1.1 5") {
						fail("malformed request %.20q: %q %v", req, line, err)
					}
				})
			}
		},
		func() { // a head a byte every 15 ms (within the 2 s header timeout), then the response
			const req = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
			start := time.Now()
			raw(req, func(c net.Conn) {
				body, err := io.ReadAll(c)
				// A loaded machine can stretch the sleeps past the header
				// timeout: then the close without an answer is right.
				late := time.Since(start) > headerTimeout
				if running() && !late && (err != nil || !bytes.HasSuffix(body, []byte("Hello, world!\n"))) {
					fail("slow head: %q %v", body, err)
				}
			}, func(c net.Conn) {
				for i := 0; i < len(req) && running(); i++ {
					c.Write([]byte{req[i]})
					time.Sleep(15 * time.Millisecond)
				}
			})
		},
		func() { // a slow reader of 1 MB
			raw("GET /1mb.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", func(c net.Conn) {
				c.(*net.TCPConn).SetReadBuffer(16 << 10)
				buf := make([]byte, 16<<10)
				total := 0
				for running() {
					n, err := c.Read(buf)
					total += n
					if err != nil {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
				if running() && total < 1<<20 {
					fail("slow reader got %d bytes", total)
				}
			})
		},
		func() { // a client that vanishes mid-response
			raw("GET /1mb.bin HTTP/1.1\r\nHost: x\r\n\r\n", func(c net.Conn) {
				io.ReadFull(c, make([]byte, 64<<10))
				c.(*net.TCPConn).SetLinger(0) // a reset, as a killed client
			})
		},
	}

	// The command prints its Serving line before ServeForever starts the
	// accept loop and the idle sweeper, so the baseline waits until each
	// server has answered a request and that request's connection is gone.
	start := time.Now()
	fetch(oneShot, base+"/", 200, -1)
	fetch(tlsOneShot, tlsBase+"/", 200, -1)
	baseline := settledSample(t, start, &requests)
	t.Logf("baseline: %v", baseline)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for running() {
				w()
			}
		})
	}
	var samples []processSample
	tick := time.NewTicker(10 * time.Second)
	deadline := time.After(*soakTime)
	for done := false; !done; {
		select {
		case <-tick.C:
			s := sampleProcess(t, time.Since(start), requests.Load())
			samples = append(samples, s)
			t.Logf("%v", s)
		case <-deadline:
			done = true
		}
	}
	tick.Stop()
	close(stop)
	wg.Wait()
	for _, tr := range transports {
		tr.CloseIdleConnections()
	}

	// Back to the baseline once the servers have seen every close.
	var after processSample
	for settle := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		after = sampleProcess(t, time.Since(start), requests.Load())
		if after.fds <= baseline.fds && after.goroutines <= baseline.goroutines || time.Since(settle) > 10*time.Second {
			break
		}
	}
	t.Logf("after:    %v", after)
	if after.fds > baseline.fds {
		t.Errorf("%d descriptors open after the traffic, %d before", after.fds, baseline.fds)
	}
	if after.goroutines > baseline.goroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the traffic, %d before:\n%s", after.goroutines, baseline.goroutines, buf[:runtime.Stack(buf, true)])
	}
	if len(samples) >= 3 {
		from, to := samples[len(samples)/5], samples[len(samples)-1]
		growth := float64(to.rssKiB-from.rssKiB) / float64(from.rssKiB)
		t.Logf("RSS from %v to %v: %+.1f%%", from.at, to.at, 100*growth)
		if growth > 0.10 {
			t.Errorf("RSS grew %.1f%% from %v to %v, want at most 10%%", 100*growth, from.at, to.at)
		}
	}
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed; the first: %s", n, strings.Join(firstFailures, "\n"))
	}
	stopHTTP()
	stopTLS()
	for _, l := range []*lineCounter{httpLog, tlsLog} {
		l.mu.Lock()
		t.Logf("logged: %v; other lines: %q", l.counts, l.other)
		l.mu.Unlock()
	}
	t.Logf("%d requests in %v", requests.Load(), time.Since(start).Round(time.Second))
}
