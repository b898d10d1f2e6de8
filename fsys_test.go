package httpserver_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// fsClass serves fsys with a SimpleHandler configured by conf.
func fsClass(fsys fs.FS, conf func(h *httpserver.SimpleHandler)) httpserver.HandlerClass {
	return func() httpserver.Handler {
		h := &httpserver.SimpleHandler{FS: fsys}
		if conf != nil {
			conf(h)
		}
		return h
	}
}

// fsRequest is a raw request sent to a server of the disk and to one of
// an fs.FS holding the same tree.
type fsRequest struct {
	method, target string
	header         string // one header line with its CRLF, or ""
}

func (r fsRequest) raw() string {
	return r.method + " " + r.target + " HTTP/1.0\r\n" + r.header + "\r\n"
}

// checkSameBytes sends req to the server of the disk at disk and to the
// one of an fs.FS at addr, and requires the same response (Date masked).
func checkSameBytes(t *testing.T, disk, addr, req string, dropFromDisk ...*regexp.Regexp) {
	t.Helper()
	want := maskETag(maskResponse(exchangeRaw(t, disk, req)))
	for _, re := range dropFromDisk {
		want = re.ReplaceAll(want, nil)
	}
	got := maskETag(maskResponse(exchangeRaw(t, addr, req)))
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%q (-disk +FS):\n%s", req, diff)
	}
}

// maskETag hides the value of an ETag header, not its presence: the
// value is made of what the file's stat says (the inode and ctime on
// disk, the size and modification time in an fs.FS), so the same file on
// disk and in an FS has two (see etag.go).
func maskETag(resp []byte) []byte {
	return etagValue.ReplaceAll(resp, []byte("ETag: <etag>\r"))
}

// checkStatus GETs target from addr and requires the response to begin
// with want.
func checkStatus(t *testing.T, addr, target, want string) {
	t.Helper()
	if got := exchangeRaw(t, addr, get(target)); !bytes.HasPrefix(got, []byte(want)) {
		t.Errorf("GET %s: %.60q, want it to begin %q", target, got, want)
	}
}

// ifModifiedSince names the modification time of the test trees' files.
var ifModifiedSince = "If-Modified-Since: " + fixedMtime.Format(http.TimeFormat) + "\r\n"

// keepAlive is two requests on one HTTP/1.1 connection; the second closes it.
const keepAlive = "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"

// mapFSOf returns an fstest.MapFS holding the tree at root: files, modes,
// directories and symbolic links (their targets as Data), and the
// modification times of files when withTimes is set.
func mapFSOf(t *testing.T, root string, withTimes bool) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := &fstest.MapFile{Mode: info.Mode()}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			f.Data = []byte(filepath.ToSlash(target))
		case d.Type().IsRegular():
			if f.Data, err = os.ReadFile(p); err != nil {
				return err
			}
			if withTimes {
				f.ModTime = info.ModTime()
			}
		}
		m[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// irregular marks the regular files of m as fs.ModeIrregular, as a
// gocloud.dev bucket marks its objects, and returns m.
func irregular(m fstest.MapFS) fstest.MapFS {
	for _, f := range m {
		if f.Mode.IsRegular() {
			f.Mode |= fs.ModeIrregular
		}
	}
	return m
}

// zipOf returns a *zip.Reader of the tree at root (files and directories;
// times kept to the second).
func zipOf(t *testing.T, root string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	if err := w.AddFS(os.DirFS(root)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fstreeOnDisk writes testdata/fstree's embedded copy to a new directory,
// every modification time set to fixedMtime, and returns the directory.
func fstreeOnDisk(t *testing.T) string {
	t.Helper()
	sub, err := fs.Sub(fstree, "testdata/fstree")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "fstree")
	if err := os.CopyFS(dir, sub); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
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

// fstreeRequests reach every kind of response testdata/fstree can give.
var fstreeRequests = []fsRequest{
	{"GET", "/", ""},
	{"HEAD", "/", ""},
	{"GET", "/hello.txt", ""},
	{"HEAD", "/hello.txt", ""},
	{"GET", "/hello.txt", ifModifiedSince},
	{"GET", "/hello.txt", "If-Modified-Since: Sat, 03 Feb 2001 04:05:05 GMT\r\n"},
	{"GET", "/hello.txt", ifModifiedSince + "If-None-Match: *\r\n"},
	{"GET", "/style.css", ""},
	{"GET", "/docs", ""},
	{"GET", "/docs?q=1#frag", ""},
	{"GET", "/docs/", ""},
	{"GET", "/docs/", ifModifiedSince},
	{"GET", "/docs/index.html", ""},
	{"GET", "/docs/guide.md", ""},
	{"GET", "/files/", ""},
	{"GET", "/files/?C=M;O=A", ""},
	{"GET", "/files/sp%20ace.txt", ""},
	{"GET", "/files/a%26b.txt", ""},
	{"GET", "/files/Notes.TXT", ""},
	{"GET", "/files/data.json", ""},
	{"GET", "/files/sub", ""},
	{"GET", "/files/sub/", ""},
	{"GET", "/files//sub/./../sub/deep.txt", ""},
	{"GET", "/../../hello.txt", ""},
	{"GET", "/hello.txt/", ""},
	{"GET", "/missing", ""},
	{"GET", "/missing/", ""},
	{"GET", "/%00", ""},
	{"GET", "/%ED%A0%80", ""},
	{"POST", "/hello.txt", ""},
}

// TestSimpleHandlerFSSameBytes serves testdata/fstree from disk and from
// a *zip.Reader, an fstest.MapFS and os.DirFS of the same tree, and
// requires every response byte for byte the same (Date and the ETag's
// value masked), but that a zip entry, which can neither seek nor be read
// at an offset, is sent whole, without Accept-Ranges.
func TestSimpleHandlerFSSameBytes(t *testing.T) {
	dir := fstreeOnDisk(t)
	disk := startSimpleServer(t, simpleClass(dir, nil))
	for _, tt := range []struct {
		name string
		fsys fs.FS
		drop []*regexp.Regexp
	}{
		{"zip", zipOf(t, dir), []*regexp.Regexp{acceptRangesLine}},
		{"MapFS", mapFSOf(t, dir, true), nil},
		{"MapFS irregular", irregular(mapFSOf(t, dir, true)), nil},
		{"DirFS", os.DirFS(dir), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startSimpleServer(t, fsClass(tt.fsys, nil))
			for _, r := range fstreeRequests {
				checkSameBytes(t, disk, addr, r.raw(), tt.drop...)
			}
			checkSameBytes(t, disk, addr, keepAlive, tt.drop...)
		})
	}
}

var (
	lastModifiedLine = regexp.MustCompile(`(?m)^Last-Modified: [^\r\n]*\r\n`)
	etagLine         = regexp.MustCompile(`(?m)^ETag: [^\r\n]*\r\n`)
	acceptRangesLine = regexp.MustCompile(`(?m)^Accept-Ranges: [^\r\n]*\r\n`)
)

// TestSimpleHandlerFSRange checks Range over an fs.FS: a file that can be
// read at an offset (MapFS, embed.FS) or seek answers 206 with the bytes
// asked for, as on disk; a zip entry, which can do neither, answers 200
// with the whole file.
func TestSimpleHandlerFSRange(t *testing.T) {
	dir := fstreeOnDisk(t)
	embedded, err := fs.Sub(fstree, "testdata/fstree")
	if err != nil {
		t.Fatal(err)
	}
	req := "GET /hello.txt HTTP/1.0\r\nRange: bytes=6-9\r\n\r\n"
	for _, tt := range []struct {
		name string
		fsys fs.FS
		want string
	}{
		{"MapFS", mapFSOf(t, dir, true), "HTTP/1.0 206 Partial Content\r\n"},
		{"embed", embedded, "HTTP/1.0 206 Partial Content\r\n"},
		{"seek only", seekOnly{mapFSOf(t, dir, true)}, "HTTP/1.0 206 Partial Content\r\n"},
		{"zip", zipOf(t, dir), "HTTP/1.0 200 OK\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startSimpleServer(t, fsClass(tt.fsys, nil))
			got := string(exchangeRaw(t, addr, req))
			if !strings.HasPrefix(got, tt.want) {
				t.Fatalf("status %.40q, want %q", got, tt.want)
			}
			_, body, _ := strings.Cut(got, "\r\n\r\n")
			wantBody := "Hello from an fs.FS.\n"
			if strings.Contains(tt.want, "206") {
				wantBody = wantBody[6:10]
				if !strings.Contains(got, "\r\nContent-Range: bytes 6-9/21\r\n") {
					t.Errorf("no Content-Range for bytes 6-9 of 21:\n%s", got)
				}
			}
			if body != wantBody {
				t.Errorf("body %q, want %q", body, wantBody)
			}
		})
	}
}

// seekOnly serves the files of an FS through a file that can seek but not
// read at an offset, as a bucket's objects.
type seekOnly struct{ fsys fs.FS }

func (s seekOnly) Open(name string) (fs.File, error) {
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if rs, ok := f.(interface {
		fs.File
		io.Seeker
	}); ok {
		return seekFile{rs}, nil
	}
	return f, nil
}

type seekFile struct {
	f interface {
		fs.File
		io.Seeker
	}
}

func (f seekFile) Stat() (fs.FileInfo, error)                { return f.f.Stat() }
func (f seekFile) Read(p []byte) (int, error)                { return f.f.Read(p) }
func (f seekFile) Close() error                              { return f.f.Close() }
func (f seekFile) Seek(off int64, whence int) (int64, error) { return f.f.Seek(off, whence) }

// TestSimpleHandlerFSWithoutModTime serves testdata/fstree from the
// embed.FS that holds it and from a MapFS without times: their files have
// no modification time, so each response is the disk's without
// Last-Modified and ETag (no validator), and If-Modified-Since is ignored
// (200, not 304).
func TestSimpleHandlerFSWithoutModTime(t *testing.T) {
	dir := fstreeOnDisk(t)
	disk := startSimpleServer(t, simpleClass(dir, nil))
	embedded, err := fs.Sub(fstree, "testdata/fstree")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		fsys fs.FS
	}{
		{"embed", embedded},
		{"MapFS", mapFSOf(t, dir, false)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startSimpleServer(t, fsClass(tt.fsys, nil))
			for _, r := range fstreeRequests {
				got := maskResponse(exchangeRaw(t, addr, r.raw()))
				r.header = strings.Replace(r.header, ifModifiedSince, "", 1)
				want := maskResponse(exchangeRaw(t, disk, r.raw()))
				want = lastModifiedLine.ReplaceAll(want, nil)
				want = etagLine.ReplaceAll(want, nil) // no time, no validator
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%q (-disk without Last-Modified +%s):\n%s", r.raw(), tt.name, diff)
				}
			}
		})
	}
}

// TestSimpleHandlerFSLinksSameBytes serves makeSimpleTree's tree (symbolic
// links to a directory, a file and nowhere; names with markup, quotes,
// Unicode case rules, bytes that are not UTF-8) from disk and from
// os.DirFS and a MapFS holding the same links: listings show the same "/"
// and "@" markers, and links are followed alike.
func TestSimpleHandlerFSLinksSameBytes(t *testing.T) {
	root, rawNames := makeSimpleTree(t)
	disk := startSimpleServer(t, simpleClass(root, nil))
	targets := []string{
		"/", "/names/", "/names", "/names/link2dir", "/names/link2dir/",
		"/names/link2dir/in.txt", "/names/link2file", "/names/broken",
		"/names/a%3Cb.txt", "/names/dir%3C%26%3E/", "/names/%C3%89.txt",
		"/sort/", "/empty/", "/sub3/", "/sub3/index.html/", "/sub2/",
	}
	if rawNames {
		// Listed alike; the files themselves cannot be named in an fs.FS.
		targets = append(targets, "/raw/")
	}
	for _, tt := range []struct {
		name string
		fsys fs.FS
	}{
		{"DirFS", os.DirFS(root)},
		{"MapFS", mapFSOf(t, root, true)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startSimpleServer(t, fsClass(tt.fsys, nil))
			for _, target := range targets {
				checkSameBytes(t, disk, addr, get(target))
			}
		})
	}
}

// TestSimpleHandlerFSNotUTF8 shows what an fs.FS cannot do that a
// directory can: name a file that is not UTF-8 (fs.ValidPath). It is
// listed, and answered with 404.
func TestSimpleHandlerFSNotUTF8(t *testing.T) {
	root, rawNames := makeSimpleTree(t)
	if !rawNames {
		t.Skip("the file system refuses names that are not UTF-8")
	}
	const target = "/raw/%ED%B3%BF.bin" // the byte 0xFF, as the listing links it
	checkStatus(t, startSimpleServer(t, simpleClass(root, nil)), target, "HTTP/1.0 200 OK\r\n")
	checkStatus(t, startSimpleServer(t, fsClass(os.DirFS(root), nil)), target, "HTTP/1.0 404 File not found\r\n")
}

// TestSimpleHandlerFSZipLink serves a zip holding a symbolic link entry,
// which zip's Stat does not follow: the listing shows it as a broken link
// ("link@" linking to "link") and a GET of it gets 404, not the target's
// name as content.
func TestSimpleHandlerFSZipLink(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range []struct {
		name, data string
		mode       fs.FileMode
	}{
		{"dir/in.txt", "in\n", 0o644},
		{"link", "dir", fs.ModeSymlink | 0o777},
	} {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Store}
		hdr.SetMode(f.mode)
		fw, err := w.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, f.data)
	}
	w.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	addr := startSimpleServer(t, fsClass(zr, nil))
	listing := exchangeRaw(t, addr, get("/"))
	for _, want := range []string{"<li><a href=\"dir/\">dir/</a></li>\n<li><a href=\"link\">link@</a></li>\n</ul>"} {
		if !bytes.Contains(listing, []byte(want)) {
			t.Errorf("listing %q lacks %q", listing, want)
		}
	}
	checkStatus(t, addr, "/link", "HTTP/1.0 404 File not found\r\n")
}

// TestSimpleHandlerFSRootConfines serves a tree with links leading out of
// it through os.DirFS, which follows them as Python does, and through
// (*os.Root).FS, which refuses them; StayInDirectory has no say over an FS.
func TestSimpleHandlerFSRootConfines(t *testing.T) {
	dir, _ := hostileTree(t, true)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	stay := func(h *httpserver.SimpleHandler) { h.StayInDirectory = true }
	for _, tt := range []struct {
		name  string
		class httpserver.HandlerClass
		want  string
	}{
		{"DirFS", fsClass(os.DirFS(dir), stay), "HTTP/1.0 200 OK\r\n"},
		{"Root.FS", fsClass(root.FS(), nil), "HTTP/1.0 404 File not found\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startSimpleServer(t, tt.class)
			for _, target := range []string{"/out", "/outdir/secret.txt", "/chain"} {
				checkStatus(t, addr, target, tt.want)
			}
			checkStatus(t, addr, "/inside", "HTTP/1.0 200 OK\r\n")
		})
	}
}

// TestSimpleHandlerFSTranslatePath checks the paths TranslatePath makes
// with FS set: under "/", FS's root, whatever Directory says.
func TestSimpleHandlerFSTranslatePath(t *testing.T) {
	h := &httpserver.SimpleHandler{FS: fstest.MapFS{}, Directory: "/srv"}
	for path, want := range map[string]string{
		"/":                 "/",
		"/a/b.txt?q=1#frag": "/a/b.txt",
		"/a/":               "/a/",
		"/a/../../b":        "/b",
		"//a//b/./":         "/a/b/",
		"/%C3%A9":           "/é",
	} {
		if got := h.TranslatePath(path); got != want {
			t.Errorf("TranslatePath(%q) = %q, want %q", path, got, want)
		}
	}
}

// mounted serves its FS under /static/ by overriding TranslatePath, as a
// Python subclass would; it answers other paths with 404.
type mounted struct{ httpserver.SimpleHandler }

func (m *mounted) TranslatePath(path string) string {
	p := m.SimpleHandler.TranslatePath(path)
	if rest, ok := strings.CutPrefix(p, "/static"); ok && (rest == "" || rest[0] == '/') {
		return "/" + strings.TrimPrefix(rest, "/")
	}
	return "not under the root"
}

// TestSimpleHandlerFSTranslatePathOverride serves an FS through a
// TranslatePath override: its paths name FS's files, and a path that
// names nothing in FS gets 404.
func TestSimpleHandlerFSTranslatePathOverride(t *testing.T) {
	fsys := fstest.MapFS{"a/b.txt": {Data: []byte("b\n")}}
	addr := startSimpleServer(t, func() httpserver.Handler {
		return &mounted{httpserver.SimpleHandler{FS: fsys}}
	})
	for target, want := range map[string]string{
		"/static/a/b.txt": "HTTP/1.0 200 OK\r\n",
		"/static/a":       "HTTP/1.0 301 Moved Permanently\r\n",
		"/static/a/":      "HTTP/1.0 200 OK\r\n",
		"/static":         "HTTP/1.0 301 Moved Permanently\r\n",
		"/a/b.txt":        "HTTP/1.0 404 File not found\r\n",
	} {
		checkStatus(t, addr, target, want)
	}
}

// TestSimpleHandlerFSSendfile serves a file through os.DirFS, whose Open
// returns an *os.File, and checks that it left through the connection's
// ReadFrom as an *io.LimitedReader of the *os.File: the form *net.TCPConn
// sends with sendfile(2).
func TestSimpleHandlerFSSendfile(t *testing.T) {
	const size = 4 << 20
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rl := &recordingListener{Listener: l}
	srv := &httpserver.ThreadingHTTPServer{}
	srv.RequestHandlerClass = fsClass(os.DirFS(dir), nil)
	srv.Stderr = io.Discard
	srv.BlockOnClose = true // ServerClose waits: every ReadFrom is recorded
	done := make(chan error, 1)
	go func() { done <- srv.Serve(rl) }()
	resp, err := (&http.Client{Timeout: ioLimit}).Get("http://" + l.Addr().String() + "/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	srv.Shutdown()
	<-done
	srv.ServerClose()
	if err != nil || n != size {
		t.Fatalf("got %d bytes (%v), want %d", n, err, size)
	}
	const bufferSize = 16 << 10
	calls := rl.readFromCalls()
	for _, c := range calls {
		if c.reader == "*io.LimitedReader{*os.File}" && c.n > size-bufferSize {
			return
		}
	}
	t.Errorf("ReadFrom calls %+v, want one with *io.LimitedReader{*os.File} sending more than %d bytes", calls, size-bufferSize)
}

// shrinkingFS is a MapFS whose files say they are one byte longer than
// they are, as a file truncated between its Stat and its read.
type shrinkingFS struct{ fstest.MapFS }

func (s shrinkingFS) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return shrunk{f}, nil
}

type shrunk struct{ fs.File }

func (f shrunk) Stat() (fs.FileInfo, error) {
	fi, err := f.File.Stat()
	if err != nil || fi.IsDir() {
		return fi, err
	}
	return longer{fi}, nil
}

type longer struct{ fs.FileInfo }

func (l longer) Size() int64 { return l.FileInfo.Size() + 1 }

// TestSimpleHandlerFSShortFile serves a file of FS that is shorter than
// its Stat said on a kept-alive connection: the connection is closed after
// what there is, rather than leave the client waiting for the last byte.
func TestSimpleHandlerFSShortFile(t *testing.T) {
	fsys := shrinkingFS{fstest.MapFS{"f.txt": {Data: []byte("abc")}}}
	ts := serve(t, fsClass(fsys, func(h *httpserver.SimpleHandler) { h.ProtocolVersion = "HTTP/1.1" }))
	c := dialRaw(t, ts.addr)
	c.send("GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	got, end := c.readAll()
	if !strings.Contains(got, "\r\nContent-Length: 4\r\n") || !strings.HasSuffix(got, "\r\n\r\nabc") || end != endClosed {
		t.Errorf("got %q, %s; want Content-Length: 4, the 3 bytes, and the connection closed", got, end)
	}
}

// TestSimpleHandlerFSDirectoryUnused checks that with FS set, Directory
// is not read: a file present only on disk is not served.
func TestSimpleHandlerFSDirectoryUnused(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"disk.txt": "disk\n"})
	addr := startSimpleServer(t, fsClass(fstest.MapFS{"fs.txt": {Data: []byte("fs\n")}}, func(h *httpserver.SimpleHandler) {
		h.Directory = dir
	}))
	for target, want := range map[string]string{
		"/disk.txt": "HTTP/1.0 404 ",
		"/fs.txt":   "HTTP/1.0 200 ",
	} {
		checkStatus(t, addr, target, want)
	}
}

// TestSimpleHandlerFSDirectoryOrder lists, from disk and through
// os.DirFS, a directory of names that lower-case alike ("a0" and "A0"),
// created in both orders: the listing keeps the directory's own order
// among them, as Python's does, which os.DirFS's file gives and
// fs.ReadDir's sorted list would not.
func TestSimpleHandlerFSDirectoryOrder(t *testing.T) {
	dir := t.TempDir()
	for i := range 16 {
		lower, upper := fmt.Sprintf("a%d", i), fmt.Sprintf("A%d", i)
		if i%2 == 1 {
			lower, upper = upper, lower
		}
		writeFiles(t, dir, map[string]string{lower: "x"})
		writeFiles(t, dir, map[string]string{upper: "x"})
	}
	disk := startSimpleServer(t, simpleClass(dir, nil))
	checkSameBytes(t, disk, startSimpleServer(t, fsClass(os.DirFS(dir), nil)), get("/"))
}
