package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
)

// fixedMtime is the modification time of every file of the test tree.
var fixedMtime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// files is the tree the tests serve.
var files = map[string]string{
	"hello.txt":           "Hello from a bucket.\n",
	"docs/index.html":     "<p>docs</p>\n",
	"docs/guide.md":       "# Guide\n",
	"files/a.txt":         "a\n",
	"files/sp ace.txt":    "space\n",
	"files/a&b.txt":       "amp\n",
	"files/Notes.TXT":     "notes\n",
	"files/sub/deep.json": "{}\n",
}

// requests reach every kind of response the tree can give.
var requests = []string{
	"GET / HTTP/1.0\r\n\r\n",
	"HEAD / HTTP/1.0\r\n\r\n",
	"GET /hello.txt HTTP/1.0\r\n\r\n",
	"HEAD /hello.txt HTTP/1.0\r\n\r\n",
	"GET /hello.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 03 Feb 2001 04:05:06 GMT\r\n\r\n",
	"GET /hello.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 03 Feb 2001 04:05:05 GMT\r\n\r\n",
	"GET /docs HTTP/1.0\r\n\r\n",
	"GET /docs?q=1 HTTP/1.0\r\n\r\n",
	"GET /docs/ HTTP/1.0\r\n\r\n",
	"GET /docs/guide.md HTTP/1.0\r\n\r\n",
	"GET /files/ HTTP/1.0\r\n\r\n",
	"GET /files/sp%20ace.txt HTTP/1.0\r\n\r\n",
	"GET /files/a%26b.txt HTTP/1.0\r\n\r\n",
	"GET /files/sub HTTP/1.0\r\n\r\n",
	"GET /files/sub/ HTTP/1.0\r\n\r\n",
	"GET /files/sub/deep.json HTTP/1.0\r\n\r\n",
	"GET /missing HTTP/1.0\r\n\r\n",
	"GET /hello.txt/ HTTP/1.0\r\n\r\n",
	"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /files/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
}

// writeTree writes files under a new directory, every time set to
// fixedMtime, and returns the directory.
func writeTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, fixedMtime, fixedMtime)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var startLine = regexp.MustCompile(`^Serving HTTP on 127\.0\.0\.1 port \d+ \(http://(127\.0\.0\.1:\d+)/\) \.\.\.\n$`)

// start runs f, which serves until ctx ends writing its start line to
// stdout, and returns the address it prints. The server stops at the end
// of the test, and f must then return nil.
func start(t *testing.T, f func(ctx context.Context, stdout io.Writer) error) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- f(ctx, stdout)
		stdout.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("after the end: %v", err)
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	go io.Copy(io.Discard, out)
	m := startLine.FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("start line %q (%v); serving: %v", line, err, <-done)
	}
	return m[1]
}

var (
	dateLine = regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)
	etagLine = regexp.MustCompile(`(?m)^ETag: [^\r]*\r$`)
)

// exchange sends req to addr on a new connection, half-closes it and
// returns what the server sends until it closes, the Date and ETag values
// masked: an ETag is made of what the file's stat says (the inode and
// ctime on disk, the size and modification time of a bucket's object), so
// the same file on disk and in a bucket has two.
func exchange(t *testing.T, addr, req string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("%q: %v", req, err)
	}
	masked := dateLine.ReplaceAllString(string(got), "Date: <date>\r")
	return etagLine.ReplaceAllString(masked, "ETag: <etag>\r")
}

// TestRunFileBucketSameBytes serves a directory as a file:// bucket with
// run, and the same directory with SimpleHandler's Directory: every
// response is the same, byte for byte.
func TestRunFileBucketSameBytes(t *testing.T) {
	dir := writeTree(t)
	bucketAddr := start(t, func(ctx context.Context, stdout io.Writer) error {
		return run(ctx, []string{"-addr", "127.0.0.1:0", "file://" + filepath.ToSlash(dir)}, stdout, io.Discard)
	})
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", func() httpserver.Handler {
		return &httpserver.SimpleHandler{
			BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
			Directory:   dir,
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = io.Discard
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()
	diskAddr := srv.ServerAddress.String()

	for _, req := range requests {
		want := exchange(t, diskAddr, req)
		if got := exchange(t, bucketAddr, req); got != want {
			t.Errorf("%q:\nbucket: %q\ndisk:   %q", req, got, want)
		}
	}
}

// TestServeMemBucket serves objects written to an in-memory bucket: an
// index page, a directory made of key prefixes, its listing and its
// files, each with the Last-Modified of its object.
func TestServeMemBucket(t *testing.T) {
	ctx := context.Background()
	bucket := memblob.OpenBucket(nil)
	defer bucket.Close()
	for name, body := range map[string]string{
		"index.html":   "<p>home</p>\n",
		"docs/b.txt":   "b\n",
		"docs/A.txt":   "A\n",
		"docs/sub/c.x": "c\n",
	} {
		if err := bucket.WriteAll(ctx, name, []byte(body), &blob.WriterOptions{ContentType: "text/plain"}); err != nil {
			t.Fatal(err)
		}
	}
	attrs, err := bucket.Attributes(ctx, "docs/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	lastModified := "Last-Modified: " + attrs.ModTime.UTC().Format(http.TimeFormat) + "\r\n"
	addr := start(t, func(ctx context.Context, stdout io.Writer) error {
		return serve(ctx, bucket, "127.0.0.1:0", stdout, io.Discard)
	})
	for _, tt := range []struct {
		target string
		want   []string // parts of the response, in order
	}{
		{"/", []string{"HTTP/1.1 200 OK\r\n", "Content-type: text/html\r\nContent-Length: 12\r\n", "\r\n\r\n<p>home</p>\n"}},
		{"/docs", []string{"HTTP/1.1 301 Moved Permanently\r\n", "Location: /docs/\r\n"}},
		{"/docs/", []string{"HTTP/1.1 200 OK\r\n", "<title>Directory listing for /docs/</title>",
			"<ul>\n<li><a href=\"A.txt\">A.txt</a></li>\n<li><a href=\"b.txt\">b.txt</a></li>\n<li><a href=\"sub/\">sub/</a></li>\n</ul>"}},
		{"/docs/b.txt", []string{"HTTP/1.1 200 OK\r\n", "Content-type: text/plain\r\nContent-Length: 2\r\n" + lastModified + "ETag: <etag>\r\nAccept-Ranges: bytes\r\n\r\nb\n"}},
		{"/docs/sub/c.x", []string{"HTTP/1.1 200 OK\r\n", "Content-type: application/octet-stream\r\n", "\r\n\r\nc\n"}},
		{"/docs/missing", []string{"HTTP/1.1 404 File not found\r\n"}},
	} {
		got := exchange(t, addr, "GET "+tt.target+" HTTP/1.0\r\n\r\n")
		rest := got
		for _, part := range tt.want {
			i := strings.Index(rest, part)
			if i < 0 {
				t.Errorf("GET %s: %q lacks %q (in that order)", tt.target, got, part)
				break
			}
			rest = rest[i+len(part):]
		}
	}
}

// TestRunBadArguments checks that run refuses a missing URL and one of an
// unknown scheme with an error, serving nothing.
func TestRunBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nosuch://bucket"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
