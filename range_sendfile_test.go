package httpserver_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
)

// TestRangeSendfile asks for 100 MiB from the middle of a sparse 256 MiB
// file: the range must leave through the connection's ReadFrom as an
// *io.LimitedReader of the *os.File (sendfile(2) on TCP), from the
// range's first byte (a marker written there).
func TestRangeSendfile(t *testing.T) {
	const start, length = 100 << 20, 100 << 20
	marker := []byte("the range starts here")
	dir := t.TempDir()
	writeSparseFile(t, filepath.Join(dir, "big.bin"), start, marker)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rl := &recordingListener{Listener: l}
	srv := &httpserver.ThreadingHTTPServer{}
	srv.RequestHandlerClass = simpleClass(dir, nil)
	srv.Stderr = io.Discard
	srv.BlockOnClose = true
	done := make(chan error, 1)
	go func() { done <- srv.Serve(rl) }()

	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	io.WriteString(conn, "GET /big.bin HTTP/1.0\r\nRange: bytes=104857600-209715199\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 1<<20), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 206 || resp.ContentLength != length {
		t.Fatalf("status %d, Content-Length %d; want 206, %d", resp.StatusCode, resp.ContentLength, length)
	}
	head := make([]byte, len(marker))
	if _, err := io.ReadFull(resp.Body, head); err != nil || !bytes.Equal(head, marker) {
		t.Errorf("the body begins with %q (%v), want the marker at the range's start", head, err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n+int64(len(marker)) != length {
		t.Errorf("body of %d bytes (%v), want %d", n+int64(len(marker)), err, length)
	}
	conn.Close()
	srv.Shutdown()
	<-done
	srv.ServerClose()

	const bufferSize = 16 << 10
	calls := rl.readFromCalls()
	for _, c := range calls {
		if c.reader == "*io.LimitedReader{*os.File}" && c.n > length-bufferSize {
			return
		}
	}
	t.Errorf("ReadFrom calls %+v, want one with *io.LimitedReader{*os.File} sending more than %d bytes", calls, length-bufferSize)
}

// TestRangeOverTLS gets ranges over HTTPS, where the connection copies
// the file through its pooled buffer: a small one, one larger than Wfile's
// buffer, and several.
func TestRangeOverTLS(t *testing.T) {
	root, big := rangeTree(t)
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, simpleClass(root, nil), nil)
	client := tlsClient(t, cert)
	for _, tt := range []struct {
		rng        string
		start, end int // the bytes of a single range
	}{
		{"bytes=10-19", 10, 20},
		{"bytes=1000-500000", 1000, 500001},
		{"bytes=-100000", len(big) - 100000, len(big)},
		{"bytes=0-0,500000-", -1, -1},
	} {
		req, _ := http.NewRequest("GET", baseURL(srv)+"/1m.bin", nil)
		req.Header.Set("Range", tt.rng)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 206 || int64(len(body)) != resp.ContentLength {
			t.Fatalf("%s: status %d, %d bytes of %d, %v", tt.rng, resp.StatusCode, len(body), resp.ContentLength, err)
		}
		if tt.start >= 0 && !bytes.Equal(body, big[tt.start:tt.end]) {
			t.Errorf("%s: not bytes %d-%d of the file", tt.rng, tt.start, tt.end-1)
		}
		if tt.start < 0 && !bytes.Contains(body, big[500000:]) {
			t.Errorf("%s: the multipart body lacks bytes 500000-", tt.rng)
		}
	}
}
