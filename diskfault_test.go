package httpserver_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// faultyDisk is a SimpleHandler whose file reads fail with EIO after
// 1 MiB, as a failing disk does.
type faultyDisk struct{ httpserver.SimpleHandler }

func (h *faultyDisk) CopyFile(src io.Reader, dst io.Writer) error {
	if _, err := io.CopyN(dst, src, 1<<20); err != nil {
		return err
	}
	return &os.PathError{Op: "read", Path: h.Path, Err: syscall.EIO}
}

// TestDiskFaultsWhileServing checks a file that stops being readable in
// the middle of its response, by shrinking under the sender or by an
// I/O error: the client sees a response short of its Content-Length and
// a close, the fault is logged once, and the server serves on.
func TestDiskFaultsWhileServing(t *testing.T) {
	const size = sparseSize // far more than socket buffers hold
	tests := []struct {
		name    string
		faulty  bool // reads fail with EIO (else the file shrinks)
		wantLog string
	}{
		{"file truncated under the sender", false, "File shrank while being sent"},
		{"read error (EIO)", true, "input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "big.bin")
			writeSparseFile(t, file, 0, nil)
			os.WriteFile(filepath.Join(dir, "small.txt"), []byte("still here\n"), 0o644)
			ts := serve(t, func() httpserver.Handler {
				if tt.faulty {
					return &faultyDisk{httpserver.SimpleHandler{Directory: dir}}
				}
				return &httpserver.SimpleHandler{Directory: dir}
			})
			nc, err := net.Dial("tcp", ts.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			nc.(*net.TCPConn).SetReadBuffer(64 << 10)
			io.WriteString(nc, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
			if err != nil {
				t.Fatal(err)
			}
			head := make([]byte, 256<<10)
			if _, err := io.ReadFull(resp.Body, head); err != nil {
				t.Fatal(err)
			}
			if !tt.faulty {
				// The server is blocked sending the rest; the file
				// shrinks to 2 MiB meanwhile.
				if err := os.Truncate(file, 2<<20); err != nil {
					t.Fatal(err)
				}
			}
			rest, err := io.Copy(io.Discard, resp.Body)
			got := int64(len(head)) + rest
			if !errors.Is(err, io.ErrUnexpectedEOF) || got >= size {
				t.Errorf("client read %d of %d bytes and then %v, want a close short of Content-Length", got, size, err)
			}
			t.Logf("client got %d of %d bytes, then the connection closed (%v)", got, size, err)
			getAgain, err := http.Get("http://" + ts.addr + "/small.txt")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(getAgain.Body)
			getAgain.Body.Close()
			if string(body) != "still here\n" {
				t.Errorf("the next request got %d %q", getAgain.StatusCode, body)
			}
			log := ts.stop()
			if n := strings.Count(log, tt.wantLog); n != 1 {
				t.Errorf("%q logged %d times, want once:\n%s", tt.wantLog, n, log)
			}
		})
	}
}
