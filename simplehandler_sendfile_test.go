package httpserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// sparseSize is the size of the file the sendfile tests serve. It is
// sparse, so it costs no disk.
const sparseSize = 256 << 20

// readFromCall is one ReadFrom call a recordingConn saw.
type readFromCall struct {
	reader string // the reader's type, with the type a LimitedReader wraps
	n      int64
}

// recordingListener accepts TCP connections whose ReadFrom records its
// reader before handing it to the *net.TCPConn, where sendfile happens.
type recordingListener struct {
	net.Listener
	mu    sync.Mutex
	calls []readFromCall
}

func (l *recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{c.(*net.TCPConn), l}, nil
}

func (l *recordingListener) readFromCalls() []readFromCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]readFromCall(nil), l.calls...)
}

type recordingConn struct {
	*net.TCPConn
	l *recordingListener
}

func (c *recordingConn) ReadFrom(r io.Reader) (int64, error) {
	desc := fmt.Sprintf("%T", r)
	if lr, ok := r.(*io.LimitedReader); ok {
		desc += fmt.Sprintf("{%T}", lr.R)
	}
	n, err := c.TCPConn.ReadFrom(r)
	c.l.mu.Lock()
	c.l.calls = append(c.l.calls, readFromCall{desc, n})
	c.l.mu.Unlock()
	return n, err
}

// writeSparseFile makes a sparse file of sparseSize bytes at path, with
// data written at off.
func writeSparseFile(t *testing.T, path string, off int64, data []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(sparseSize); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
}

// fetchSparseFile serves a sparseSize file through l and fetches it; it
// returns the body's length.
func fetchSparseFile(t *testing.T, l net.Listener) int64 {
	t.Helper()
	dir := t.TempDir()
	writeSparseFile(t, filepath.Join(dir, "big.bin"), 0, nil)
	srv := &httpserver.ThreadingHTTPServer{}
	srv.RequestHandlerClass = simpleClass(dir, nil)
	srv.Stderr = io.Discard
	srv.BlockOnClose = true // ServerClose waits for the connection: its ReadFrom calls are all recorded
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	defer func() {
		srv.Shutdown()
		<-done
		srv.ServerClose()
	}()

	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	io.WriteString(conn, "GET /big.bin HTTP/1.0\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 1<<20), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != sparseSize {
		t.Fatalf("Content-Length %d, want %d", resp.ContentLength, sparseSize)
	}
	buf := make([]byte, 1<<20)
	var total int64
	for {
		n, err := resp.Body.Read(buf)
		total += int64(n)
		if err == io.EOF {
			return total
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", total, err)
		}
	}
}

// TestSimpleHandlerSendfile serves a 256 MiB file and checks that it left
// through the connection's ReadFrom as an *io.LimitedReader of the
// *os.File: the form *net.TCPConn sends with sendfile(2). Only the first
// few KiB, which fill Wfile's buffer behind the headers, are copied.
func TestSimpleHandlerSendfile(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rl := &recordingListener{Listener: l}
	if got := fetchSparseFile(t, rl); got != sparseSize {
		t.Fatalf("got %d bytes, want %d", got, sparseSize)
	}
	calls := rl.readFromCalls()
	const bufferSize = 16 << 10
	for _, c := range calls {
		if c.reader == "*io.LimitedReader{*os.File}" && c.n > sparseSize-bufferSize {
			return
		}
	}
	t.Errorf("ReadFrom calls %+v, want one with *io.LimitedReader{*os.File} sending more than %d bytes", calls, sparseSize-bufferSize)
}

// TestSimpleHandlerSendfileStrace runs TestSimpleHandlerSendfile's fetch
// under strace and checks that the kernel sent the body with sendfile(2).
// It skips where strace is missing or not allowed.
func TestSimpleHandlerSendfileStrace(t *testing.T) {
	if os.Getenv("HTTPSERVER_SENDFILE_CHILD") == "1" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		if got := fetchSparseFile(t, l); got != sparseSize {
			t.Fatalf("got %d bytes, want %d", got, sparseSize)
		}
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("strace is Linux only")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("no strace")
	}
	trace := filepath.Join(t.TempDir(), "strace.out")
	cmd := exec.Command(strace, "-f", "-e", "trace=sendfile", "-o", trace,
		os.Args[0], "-test.run=^TestSimpleHandlerSendfileStrace$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HTTPSERVER_SENDFILE_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		if strings.Contains(string(out), "ptrace") || strings.Contains(string(out), "Operation not permitted") {
			t.Skipf("strace not allowed here: %s", out)
		}
		t.Fatalf("%v: %v\n%s", cmd, err, out)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var sent int64
	for _, m := range regexp.MustCompile(`(?m)sendfile.*\) += (\d+)$`).FindAllStringSubmatch(string(data), -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		sent += n
	}
	const bufferSize = 16 << 10
	if sent <= sparseSize-bufferSize || sent > sparseSize {
		t.Errorf("sendfile(2) sent %d bytes, want all but the first few KiB of %d:\n%.2000s", sent, sparseSize, data)
	}
}
