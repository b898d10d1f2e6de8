package httpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// fixedMtime is the modification time of every file of the test tree, so
// that Last-Modified is part of the golden bytes.
var fixedMtime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// makeSimpleTree builds the directory the SimpleHandler tests serve. Names
// that are not UTF-8 go under raw/; rawNames reports whether the file
// system accepted them.
func makeSimpleTree(t *testing.T) (root string, rawNames bool) {
	t.Helper()
	root = t.TempDir()
	files := map[string]string{
		"hello.txt":           "Hello, world!\n",
		"page.html":           "<p>page</p>\n",
		"sub/index.html":      "<p>index.html</p>\n",
		"sub/other.txt":       "other\n",
		"sub2/index.htm":      "<p>index.htm</p>\n",
		"sub3/file.txt":       "file\n",
		"names/a<b.txt":       "x",
		"names/a&b.txt":       "x",
		`names/q"uote.txt`:    "x",
		"names/pct%41.txt":    "x",
		"names/hash#x.txt":    "x",
		"names/sp ace.txt":    "x",
		"names/A.txt":         "x",
		"names/b.txt":         "x",
		"names/É.txt":         "x",
		"names/it's":          "x",
		"names/~tilde+plus":   "x",
		"names/Zdir/in.txt":   "x",
		"names/dir<&>/in.txt": "x",
		"sort/ΑΣ":             "x", // lower-cases to "ας", with a final sigma
		"sort/ας0":            "x",
		"sort/ΣΑ":             "x",
		"sort/İx":             "x", // lower-cases to "i̇x", two code points
		"sort/iz":             "x",
		"sort/e.txt":          "x",
		"sort/É.txt":          "x",
		"sort/Z.txt":          "x",
		"sort/zz":             "x",
	}
	writeFiles(t, root, files)
	for _, dir := range []string{"empty", "sub3/index.html"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"names/link2dir":  "Zdir",
		"names/link2file": "../hello.txt",
		"names/broken":    "nowhere",
	} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	rawNames = true
	if err := os.MkdirAll(filepath.Join(root, "raw"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"\xff.bin", "caf\xe9.txt", "d\xfe/in.txt", "\ue000x"} {
		p := filepath.Join(root, "raw", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			rawNames = false
			break
		}
		if err := os.WriteFile(p, []byte("raw\n"), 0o644); err != nil {
			rawNames = false
			break
		}
	}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.Type()&os.ModeSymlink != 0 {
			return err
		}
		return os.Chtimes(p, fixedMtime, fixedMtime)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root, rawNames
}

// startSimpleServer serves class on a loopback port until the test ends
// and returns the address.
func startSimpleServer(t *testing.T, class httpserver.HandlerClass) string {
	t.Helper()
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", class)
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = io.Discard
	done := make(chan error, 1)
	go func() { done <- srv.ServeForever() }()
	t.Cleanup(func() {
		srv.Shutdown()
		<-done
		srv.ServerClose()
	})
	return srv.ServerAddress.String()
}

// exchange sends req on a new connection, half-closes it and returns
// everything the server sends until it closes.
func exchangeRaw(t *testing.T, addr, req string) []byte {
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
		t.Fatalf("reading the response to %q: %v (got %q)", req, err, got)
	}
	return got
}

var (
	dateHeaderLine = regexp.MustCompile(`(?m)^Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r$`)
	serverHeader   = regexp.MustCompile(`(?m)^Server: (\S+) Go/[0-9.a-z-]+\r$`)
)

// maskResponse replaces what changes from run to run: the Date value and
// the Go version in Server.
func maskResponse(b []byte) []byte {
	b = dateHeaderLine.ReplaceAll(b, []byte("Date: <date>\r"))
	return serverHeader.ReplaceAll(b, []byte("Server: $1 Go/<version>\r"))
}

// simpleClass serves dir with a SimpleHandler configured by conf.
func simpleClass(dir string, conf func(h *httpserver.SimpleHandler)) httpserver.HandlerClass {
	return func() httpserver.Handler {
		h := &httpserver.SimpleHandler{Directory: dir}
		if conf != nil {
			conf(h)
		}
		return h
	}
}

// listMissing lists a directory that does not exist, to show the listing's
// error response.
type listMissing struct{ httpserver.SimpleHandler }

func (h *listMissing) SendHead() io.ReadCloser {
	return h.ListDirectory(filepath.Join(h.Directory, "no-such-dir") + "/")
}

var extraHeaders = []httpserver.HeaderField{
	{Name: "X-Test", Value: "one"},
	{Name: "Set-Cookie", Value: "a=1"},
	{Name: "Set-Cookie", Value: "b=2"},
	{Name: "content-TYPE", Value: "skipped"},
	{Name: "LAST-MODIFIED", Value: "skipped on files only"},
	{Name: "date", Value: "skipped"},
}

// responseCase is a request whose whole response is compared with a
// golden file.
type responseCase struct {
	name   string
	class  httpserver.HandlerClass
	oracle []string // the oracle CLI's options for the same handler; nil: not comparable
	req    string
	raw    bool // needs non-UTF-8 file names
}

// runResponseGoldens sends each case's request to a server of its class
// and compares the response (masked) with testdata/<dir>/<name>.http. With
// HTTPSERVER_ORACLE set, it also sends it to CPython's http.server started
// with the case's oracle options on the same tree, and compares that with
// the same file.
func runResponseGoldens(t *testing.T, dir, root string, rawNames bool, cases []responseCase) {
	oracles := map[string]string{} // oracle options → address
	for _, tt := range cases {
		t.Run(tt.name, func(st *testing.T) {
			if tt.raw && !rawNames {
				st.Skip("the file system refuses names that are not UTF-8")
			}
			golden := dir + "/" + tt.name + ".http"
			addr := startSimpleServer(st, tt.class)
			checkGoldenBytes(st, golden, maskResponse(exchangeRaw(st, addr, tt.req)))
			if tt.oracle == nil || os.Getenv("HTTPSERVER_ORACLE") == "" || *update {
				return
			}
			key := strings.Join(tt.oracle, "\x00")
			if oracles[key] == "" {
				a, err := simpleStartOracle(t, root, tt.oracle...)
				if err != nil {
					st.Fatal(err)
				}
				oracles[key] = a
			}
			got := pythonServer.ReplaceAll(exchangeRaw(st, oracles[key], tt.req), []byte("Server: $1 Go/0\r"))
			checkGoldenBytes(st, golden, maskResponse(got))
		})
	}
}

var pythonServer = regexp.MustCompile(`(?m)^Server: (\S+) Python/[0-9.]+\r$`)

// simpleStartOracle starts CPython 3.15.2's http.server, the oracle that
// ../shared/oracle/setup.sh builds (HTTPSERVER_ORACLE names its
// server.py), serving dir with the given command-line options, and returns
// its address. It runs until t ends.
func simpleStartOracle(t *testing.T, dir string, options ...string) (string, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return "", err
	}
	args := append([]string{"-u", os.Getenv("HTTPSERVER_ORACLE"), "-b", "127.0.0.1", "-d", dir}, options...)
	cmd := exec.Command(python, append(args, "0")...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	m := regexp.MustCompile(` port (\d+) `).FindStringSubmatch(line)
	if m == nil {
		return "", fmt.Errorf("the oracle did not start: %q, %v", line, err)
	}
	return "127.0.0.1:" + m[1], nil
}

// TestSimpleHandlerGolden checks each kind of response of spec/http-server.md §6 byte
// for byte (Date and the Go version masked), with FilesAsCPython set.
// HTTPSERVER_ORACLE compares the same files with CPython 3.15.2 (see
// testdata/README.md), except where the handler deliberately differs or
// the oracle CLI cannot be configured alike.
func TestSimpleHandlerGolden(t *testing.T) { simpleHandlerGoldens(t, true) }

// TestSimpleHandlerGoldenValidators sends the same requests to the same
// handlers with FilesAsCPython off, the default: every response must be the
// golden one with the validators added where simpleAddValidators puts
// them (after Last-Modified on a 200, after Date on a 304), and nothing
// else changed.
func TestSimpleHandlerGoldenValidators(t *testing.T) { simpleHandlerGoldens(t, false) }

func simpleHandlerGoldens(t *testing.T, cpython bool) {
	root, rawNames := makeSimpleTree(t)
	simpleClass := func(root string, conf func(h *httpserver.SimpleHandler)) httpserver.HandlerClass {
		return simpleClass(root, func(h *httpserver.SimpleHandler) {
			h.FilesAsCPython = cpython
			if conf != nil {
				conf(h)
			}
		})
	}
	plain := simpleClass(root, nil)
	extras := simpleClass(root, func(h *httpserver.SimpleHandler) { h.ExtraResponseHeaders = extraHeaders })
	http11 := simpleClass(root, func(h *httpserver.SimpleHandler) { h.ProtocolVersion = "HTTP/1.1" })
	missing := func() httpserver.Handler {
		return &listMissing{httpserver.SimpleHandler{Directory: root, FilesAsCPython: cpython}}
	}
	runResponseGoldens := func(t *testing.T, dir, root string, rawNames bool, cases []responseCase) {
		if cpython {
			runResponseGoldens(t, dir, root, rawNames, cases)
		} else {
			runValidatorGoldens(t, dir, rawNames, cases)
		}
	}
	py := []string{}
	var pyExtras []string
	for _, f := range extraHeaders {
		pyExtras = append(pyExtras, "-H", f.Name, f.Value)
	}
	py11 := []string{"-p", "HTTP/1.1"}
	const ims2099 = "If-Modified-Since: Tue, 01 Jan 2099 00:00:00 GMT\r\n"
	runResponseGoldens(t, "simplehandler", root, rawNames, []responseCase{
		{"file-get", plain, py, "GET /hello.txt HTTP/1.0\r\n\r\n", false},
		{"file-head", plain, py, "HEAD /hello.txt HTTP/1.0\r\n\r\n", false},
		{"file-html", plain, py, "GET /page.html HTTP/1.0\r\n\r\n", false},
		{"index-html", plain, py, "GET /sub/ HTTP/1.0\r\n\r\n", false},
		{"index-htm", plain, py, "GET /sub2/ HTTP/1.0\r\n\r\n", false},
		{"index-dir-is-not-a-page", plain, py, "GET /sub3/ HTTP/1.0\r\n\r\n", false},
		{"listing-head", plain, py, "HEAD /names/ HTTP/1.0\r\n\r\n", false},
		{"redirect", plain, py, "GET /sub HTTP/1.0\r\n\r\n", false},
		{"redirect-query-fragment", plain, py, "GET /sub?a=1&b=%20#frag HTTP/1.0\r\n\r\n", false},
		{"redirect-empty-query", plain, py, "GET /sub? HTTP/1.0\r\n\r\n", false},
		{"redirect-head", plain, py, "HEAD /names/Zdir HTTP/1.0\r\n\r\n", false},
		{"redirect-query-only", plain, py, "GET ?x HTTP/1.0\r\n\r\n", false},
		{"redirect-collapsed-slashes", plain, py, "GET //sub HTTP/1.0\r\n\r\n", false},
		{"listing-encoded-slash", plain, py, "GET /sub3%2F HTTP/1.0\r\n\r\n", false},
		{"not-modified", plain, py, "GET /hello.txt HTTP/1.0\r\n" + ims2099 + "\r\n", false},
		{"not-modified-index", plain, py, "GET /sub/ HTTP/1.0\r\n" + ims2099 + "\r\n", false},
		{"modified-since-listing-ignored", plain, py, "GET /empty/ HTTP/1.0\r\n" + ims2099 + "\r\n", false},
		{"modified-since-older", plain, py, "GET /hello.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 03 Feb 2001 04:05:05 GMT\r\n\r\n", false},
		{"modified-since-equal", plain, py, "HEAD /hello.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 03 Feb 2001 04:05:06 GMT\r\n\r\n", false},
		{"modified-since-non-utc-ignored", plain, py, "HEAD /hello.txt HTTP/1.0\r\nIf-Modified-Since: Tue, 01 Jan 2099 00:00:00 +0100\r\n\r\n", false},
		{"modified-since-with-if-none-match", plain, py, "HEAD /hello.txt HTTP/1.0\r\n" + ims2099 + "If-None-Match: \"x\"\r\n\r\n", false},
		{"not-found", plain, py, "GET /nope.txt HTTP/1.0\r\n\r\n", false},
		{"not-found-head", plain, py, "HEAD /nope.txt HTTP/1.0\r\n\r\n", false},
		{"trailing-slash-on-file", plain, py, "GET /hello.txt/ HTTP/1.0\r\n\r\n", false},
		{"broken-symlink", plain, py, "GET /names/broken HTTP/1.0\r\n\r\n", false},
		{"symlink-to-file", plain, py, "HEAD /names/link2file HTTP/1.0\r\n\r\n", false},
		{"no-permission-to-list", missing, nil, "GET / HTTP/1.0\r\n\r\n", false},
		{"unsupported-method", plain, py, "POST /hello.txt HTTP/1.0\r\n\r\n", false},
		{"dot-dot-stays-inside", plain, py, "GET /sub/%2e%2e/../../hello.txt HTTP/1.0\r\n\r\n", false},
		{"nul-byte", plain, nil, "GET /hello.txt%00 HTTP/1.0\r\n\r\n", false},
		{"unencodable-surrogate", plain, nil, "GET /%ED%A0%80 HTTP/1.0\r\n\r\n", false},
		{"http09-file", plain, py, "GET /hello.txt\r\n", false},
		{"http09-listing", plain, py, "GET /empty/\r\n", false},
		{"http09-not-found", plain, py, "GET /nope\r\n", false},
		{"http09-extra-headers", extras, nil, "GET /hello.txt\r\n", false},
		{"extra-headers-file", extras, pyExtras, "GET /hello.txt HTTP/1.0\r\n\r\n", false},
		{"extra-headers-listing", extras, pyExtras, "GET /empty/ HTTP/1.0\r\n\r\n", false},
		{"extra-headers-not-on-redirect", extras, pyExtras, "GET /sub HTTP/1.0\r\n\r\n", false},
		{"extra-headers-not-on-304", extras, pyExtras, "GET /hello.txt HTTP/1.0\r\n" + ims2099 + "\r\n", false},
		{"extra-headers-not-on-404", extras, pyExtras, "GET /nope HTTP/1.0\r\n\r\n", false},
		{"keep-alive", http11, py11, "GET /hello.txt HTTP/1.1\r\n\r\nHEAD /empty/ HTTP/1.1\r\n\r\nGET /sub HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n" + ims2099 + "\r\nGET /nope HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\n", false},
		{"raw-name-file", plain, py, "GET /raw/%ED%B3%BF.bin HTTP/1.0\r\n\r\n", true},
		{"raw-name-dir-redirect", plain, py, "GET /raw/d%ED%B3%BE HTTP/1.0\r\n\r\n", true},
		{"raw-byte-in-request-is-latin1", plain, py, "GET /raw/caf\xe9.txt HTTP/1.0\r\n\r\n", true},
		{"latin1-file-name", plain, py, "GET /names/\xc9.txt HTTP/1.0\r\n\r\n", false},
	})
}

// TestSimpleHandlerTranslatePath checks request paths against
// translate_path with directory "/srv" (expectations from Python, with
// file names as the bytes os.fsencode gives).
func TestSimpleHandlerTranslatePath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX paths")
	}
	tests := []struct{ path, want string }{
		{"/", "/srv/"},
		{"", "/srv"},
		{"/a/b", "/srv/a/b"},
		{"/a/b/", "/srv/a/b/"},
		{"/a/./b/../c", "/srv/a/c"},
		{"/../../etc/passwd", "/srv/etc/passwd"},
		{"/sub/%2e%2e/x", "/srv/x"},
		{"/a%2fb", "/srv/a/b"},
		{"/a%2Fb/", "/srv/a/b/"},
		{"/a?x#y", "/srv/a"},
		{"/a#x?y", "/srv/a"},
		{"/%41%zz%4", "/srv/A%zz%4"},
		{"/caf%C3%A9", "/srv/caf\xc3\xa9"},
		{"/%ED%B3%BF", "/srv/\xff"},
		{"/%FF", "/srv/\ufffd"},
		{"/%e2%82A", "/srv/\ufffdA"},
		{"/\xe9", "/srv/\xc3\xa9"},
		{"//a//b//", "/srv/a/b/"},
		{"http://h/sub", "/srv/http:/h/sub"},
		{"a/../../b", "/srv/b"},
		{"/a/..", "/srv"},
		{"/a/.", "/srv/a"},
		{"/.", "/srv"},
		{"/..", "/srv"},
		{"/%2e", "/srv"},
		{"/a+b", "/srv/a+b"},
		{"/%00x", "/srv/\x00x"},
		{"/%ED%A0%80/x", "/srv/\x00/x"}, // Python raises when it opens it
	}
	h := &httpserver.SimpleHandler{Directory: "/srv"}
	for _, tt := range tests {
		if got := h.TranslatePath(tt.path); got != tt.want {
			t.Errorf("TranslatePath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got, want := (&httpserver.SimpleHandler{}).TranslatePath("/a"), "./a"; got != want {
		t.Errorf("TranslatePath with Directory unset = %q, want %q", got, want)
	}
}

// TestSimpleHandlerTranslatePathStaysInside checks hostile paths never
// name anything above Directory.
func TestSimpleHandlerTranslatePathStaysInside(t *testing.T) {
	h := &httpserver.SimpleHandler{Directory: "/srv/root"}
	for _, path := range []string{
		"/..", "/../", "..", "../x", "/%2e%2e/%2e%2e/etc", "/..%2f..%2fetc", "/%2E%2E%2F%2E%2E%2Fetc",
		"/a/../../..", "/./../.", "/..%5c..%5cetc", "/%c0%ae%c0%ae/etc", "/.%2e/x", "/x/%2e./%2e%2e/y",
		"//../..", "/\xff/../../x", "/%ED%B3%BF/../..",
	} {
		got := h.TranslatePath(path)
		if !strings.HasPrefix(got, "/srv/root") || strings.Contains(got+"/", "/../") {
			t.Errorf("TranslatePath(%q) = %q, outside /srv/root", path, got)
		}
	}
}

// TestSimpleHandlerGuessType checks the layers of GuessType that do not
// depend on the machine's mime.types: ExtensionsMap (as written, then
// lower-cased; nil meaning Python's default) and DefaultContentType. The
// MIME table itself is tested in mimetypes_test.go.
func TestSimpleHandlerGuessType(t *testing.T) {
	custom := map[string]string{".Foo": "a/exact", ".foo": "a/lower", "": "a/no-extension"}
	tests := []struct {
		h          *httpserver.SimpleHandler
		path, want string
	}{
		{&httpserver.SimpleHandler{}, "/srv/x.tar.gz", "application/gzip"},
		{&httpserver.SimpleHandler{}, "/srv/x.GZ", "application/gzip"},
		{&httpserver.SimpleHandler{}, "/srv/x.Z", "application/octet-stream"},
		{&httpserver.SimpleHandler{}, "/srv/x.bz2", "application/x-bzip2"},
		{&httpserver.SimpleHandler{}, "/srv/x.XZ", "application/x-xz"},
		{&httpserver.SimpleHandler{}, "/srv/x.zzz-unknown", "application/octet-stream"},
		{&httpserver.SimpleHandler{DefaultContentType: "text/plain"}, "/srv/x.zzz-unknown", "text/plain"},
		{&httpserver.SimpleHandler{ExtensionsMap: custom}, "/srv/x.Foo", "a/exact"},
		{&httpserver.SimpleHandler{ExtensionsMap: custom}, "/srv/x.FOO", "a/lower"},
		{&httpserver.SimpleHandler{ExtensionsMap: custom}, "/srv/noext", "a/no-extension"},
		{&httpserver.SimpleHandler{ExtensionsMap: map[string]string{}}, "/srv/x.gz", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := tt.h.GuessType(tt.path); got != tt.want {
			t.Errorf("GuessType(%q) with ExtensionsMap %v, DefaultContentType %q = %q, want %q",
				tt.path, tt.h.ExtensionsMap, tt.h.DefaultContentType, got, tt.want)
		}
	}
	m := httpserver.DefaultExtensionsMap()
	m[".gz"] = "changed"
	if got := (&httpserver.SimpleHandler{}).GuessType("x.gz"); got != "application/gzip" {
		t.Errorf("changing DefaultExtensionsMap's result changed the default: x.gz is %q", got)
	}
}

// TestSimpleHandlerServerVersion checks the Server header: SimpleHTTP by
// default, as SimpleHTTPRequestHandler.server_version, and the field when
// set.
func TestSimpleHandlerServerVersion(t *testing.T) {
	root, _ := makeSimpleTree(t)
	goVersion := "Go/" + strings.TrimPrefix(strings.Fields(runtime.Version())[0], "go")
	for _, tt := range []struct {
		serverVersion, want string
	}{
		{"", "SimpleHTTP " + goVersion},
		{"Files/2.0", "Files/2.0 " + goVersion},
	} {
		addr := startSimpleServer(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.ServerVersion = tt.serverVersion }))
		resp := simpleReadResponse(t, exchangeRaw(t, addr, "HEAD /hello.txt HTTP/1.0\r\n\r\n"), "HEAD")
		if got := resp.Header.Get("Server"); got != tt.want {
			t.Errorf("ServerVersion %q: Server = %q, want %q", tt.serverVersion, got, tt.want)
		}
	}
}

func simpleReadResponse(t *testing.T, b []byte, method string) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(b)), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("parsing %q: %v", b, err)
	}
	return resp
}

// TestSimpleHandlerCurrentDirectory checks that an empty Directory serves
// the current directory, as directory=None does.
func TestSimpleHandlerCurrentDirectory(t *testing.T) {
	root, _ := makeSimpleTree(t)
	t.Chdir(root)
	addr := startSimpleServer(t, httpserver.Class[httpserver.SimpleHandler]())
	resp := simpleReadResponse(t, exchangeRaw(t, addr, "GET /hello.txt HTTP/1.0\r\n\r\n"), "GET")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "Hello, world!\n" {
		t.Errorf("GET /hello.txt from the current directory: %d %q, want 200 %q", resp.StatusCode, body, "Hello, world!\n")
	}
}

// hooked overrides every SimpleHandler hook; each records its call and
// changes the result visibly.
type hooked struct {
	httpserver.SimpleHandler
	log *callLog
}

func (h *hooked) SendHead() io.ReadCloser {
	h.log.add("SendHead")
	return h.SimpleHandler.SendHead()
}

func (h *hooked) ListDirectory(path string) io.ReadCloser {
	h.log.add("ListDirectory " + filepath.Base(path))
	return h.SimpleHandler.ListDirectory(path)
}

func (h *hooked) TranslatePath(path string) string {
	h.log.add("TranslatePath " + path)
	if path == "/alias" {
		return filepath.Join(h.Directory, "hello.txt")
	}
	return h.SimpleHandler.TranslatePath(path)
}

func (h *hooked) GuessType(path string) string {
	h.log.add("GuessType " + filepath.Base(path))
	if strings.HasSuffix(path, ".txt") {
		return "text/x-hooked"
	}
	return h.SimpleHandler.GuessType(path)
}

func (h *hooked) CopyFile(src io.Reader, dst io.Writer) error {
	h.log.add("CopyFile")
	b, err := io.ReadAll(src)
	if err != nil {
		return err
	}
	_, err = dst.Write(bytes.ToUpper(b))
	return err
}

// TestSimpleHandlerHooksThroughSelf overrides every hook and checks that
// SimpleHandler's own code reaches each override, in Python's order.
func TestSimpleHandlerHooksThroughSelf(t *testing.T) {
	root, _ := makeSimpleTree(t)
	log := &callLog{}
	addr := startSimpleServer(t, func() httpserver.Handler {
		return &hooked{SimpleHandler: httpserver.SimpleHandler{Directory: root}, log: log}
	})
	tests := []struct {
		req       string
		wantCalls []string
		wantType  string
		wantBody  string
	}{
		{
			"GET /alias HTTP/1.0\r\n\r\n",
			[]string{"SendHead", "TranslatePath /alias", "GuessType hello.txt", "CopyFile"},
			"text/x-hooked", "HELLO, WORLD!\n",
		},
		{
			"HEAD /alias HTTP/1.0\r\n\r\n",
			[]string{"SendHead", "TranslatePath /alias", "GuessType hello.txt"},
			"text/x-hooked", "",
		},
		{
			"GET /sub/ HTTP/1.0\r\n\r\n",
			[]string{"SendHead", "TranslatePath /sub/", "GuessType index.html", "CopyFile"},
			"text/html", "<P>INDEX.HTML</P>\n",
		},
		{
			"GET /empty/ HTTP/1.0\r\n\r\n",
			[]string{"SendHead", "TranslatePath /empty/", "ListDirectory empty", "CopyFile"},
			"text/html; charset=utf-8", "<!DOCTYPE HTML>",
		},
	}
	for _, tt := range tests {
		method, _, _ := strings.Cut(tt.req, " ")
		resp := simpleReadResponse(t, exchangeRaw(t, addr, tt.req), method)
		body, _ := io.ReadAll(resp.Body)
		if diff := cmp.Diff(tt.wantCalls, log.take()); diff != "" {
			t.Errorf("%q: hook calls (-want +got):\n%s", tt.req, diff)
		}
		if got := resp.Header.Get("Content-Type"); got != tt.wantType {
			t.Errorf("%q: Content-type %q, want %q", tt.req, got, tt.wantType)
		}
		if !strings.HasPrefix(string(body), tt.wantBody) {
			t.Errorf("%q: body %q, want it to start with %q", tt.req, body, tt.wantBody)
		}
	}
}

// TestSimpleHandlerNetHTTPClient fetches a file and a listing with Go's
// client over one kept-alive connection.
func TestSimpleHandlerNetHTTPClient(t *testing.T) {
	root, _ := makeSimpleTree(t)
	addr := startSimpleServer(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.ProtocolVersion = "HTTP/1.1" }))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, wantStatus, wantType, wantBody string
		wantReused                           bool
	}{
		{"/hello.txt", "200 OK", "text/plain", "Hello, world!\n", false},
		{"/empty/", "200 OK", "text/html; charset=utf-8", "<!DOCTYPE HTML>\n", true},
		{"/sub", "301 Moved Permanently", "", "", true},
		{"/sub/other.txt", "200 OK", "text/plain", "other\n", true},
	}
	for _, tt := range tests {
		var reused bool
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused },
		})
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+tt.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != tt.wantStatus || resp.Header.Get("Content-Type") != tt.wantType || !strings.HasPrefix(string(body), tt.wantBody) {
			t.Errorf("GET %s: %s %q %q, want %s %q %q...", tt.path, resp.Status, resp.Header.Get("Content-Type"), body, tt.wantStatus, tt.wantType, tt.wantBody)
		}
		if reused != tt.wantReused {
			t.Errorf("GET %s: connection reused = %v, want %v", tt.path, reused, tt.wantReused)
		}
	}
}

// changingFile changes the file it serves after SendHead has sent its
// Content-Length, as another process writing to it would.
type changingFile struct {
	httpserver.SimpleHandler
	change func(path string)
}

func (h *changingFile) SendHead() io.ReadCloser {
	f := h.SimpleHandler.SendHead()
	if f != nil {
		h.change(h.TranslatePath(h.Path))
	}
	return f
}

// serveChangingFile serves a directory holding f.bin with content, which
// change alters once SendHead has sent its headers, and returns a
// connection to it on which req has been sent.
func serveChangingFile(t *testing.T, content []byte, change func(path string), req string) net.Conn {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.bin"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	addr := startSimpleServer(t, func() httpserver.Handler {
		return &changingFile{
			SimpleHandler: httpserver.SimpleHandler{Directory: dir, BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}},
			change:        change,
		}
	})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestSimpleHandlerFileChangesWhileSent checks that a file that grows
// while it is sent sends exactly its Content-Length, keeping a kept-alive
// connection in step, and that one that shrinks closes the connection
// instead of leaving the client waiting for bytes that never come.
func TestSimpleHandlerFileChangesWhileSent(t *testing.T) {
	for _, size := range []int{100, 1 << 20} { // through Wfile's buffer, and by sendfile
		original := bytes.Repeat([]byte("a"), size)
		t.Run(fmt.Sprintf("grows-%d", size), func(t *testing.T) {
			grow := func(path string) {
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					panic(err)
				}
				f.Write(bytes.Repeat([]byte("b"), 5000))
				f.Close()
			}
			conn := serveChangingFile(t, original, grow, "GET /f.bin HTTP/1.1\r\n\r\nHEAD /f.bin HTTP/1.1\r\n\r\n")
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(body, original) {
				t.Fatalf("first response: %d bytes, %v; want the %d bytes the file had", len(body), err, size)
			}
			resp, err = http.ReadResponse(br, &http.Request{Method: "HEAD"})
			if err != nil {
				t.Fatalf("second response on the connection: %v", err)
			}
			if want := int64(size + 5000); resp.ContentLength != want {
				t.Errorf("second response: Content-Length %d, want %d", resp.ContentLength, want)
			}
		})
		t.Run(fmt.Sprintf("shrinks-%d", size), func(t *testing.T) {
			shrink := func(path string) {
				if err := os.Truncate(path, 10); err != nil {
					panic(err)
				}
			}
			conn := serveChangingFile(t, original, shrink, "GET /f.bin HTTP/1.1\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "GET"})
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if !errors.Is(err, io.ErrUnexpectedEOF) || len(body) != 10 {
				t.Errorf("body: %d bytes, error %v; want the 10 bytes left, then the connection closed (io.ErrUnexpectedEOF)", len(body), err)
			}
		})
	}
}

// TestSimpleHandlerRawNameRoundTrip follows the listing's link for every
// name of raw/ and gets the file or directory it names.
func TestSimpleHandlerRawNameRoundTrip(t *testing.T) {
	root, rawNames := makeSimpleTree(t)
	if !rawNames {
		t.Skip("the file system refuses names that are not UTF-8")
	}
	addr := startSimpleServer(t, simpleClass(root, nil))
	listing := string(exchangeRaw(t, addr, "GET /raw/ HTTP/1.0\r\n\r\n"))
	links := regexp.MustCompile(`<a href="([^"]*)">`).FindAllStringSubmatch(listing, -1)
	want := []string{"caf%ED%B3%A9.txt", "d%ED%B3%BE/", "%ED%B3%BF.bin", "%EE%80%80x"}
	var got []string
	for _, l := range links {
		got = append(got, l[1])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("links (-want +got):\n%s", diff)
	}
	for _, link := range got {
		resp := simpleReadResponse(t, exchangeRaw(t, addr, "GET /raw/"+link+" HTTP/1.0\r\n\r\n"), "GET")
		if resp.StatusCode != 200 {
			t.Errorf("GET /raw/%s: %s, want 200", link, resp.Status)
		}
	}
}

// TestSimpleHandlerUnreadable checks the 404s for a file and a directory
// that cannot be read. Root reads everything, so it skips.
func TestSimpleHandlerUnreadable(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions do not stop this user")
	}
	root, _ := makeSimpleTree(t)
	if err := os.Chmod(filepath.Join(root, "hello.txt"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "empty"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "empty"), 0o755) })
	addr := startSimpleServer(t, simpleClass(root, nil))
	for path, want := range map[string]string{
		"/hello.txt": "HTTP/1.0 404 File not found\r\n",
		"/empty/":    "HTTP/1.0 404 No permission to list directory\r\n",
	} {
		if got := exchangeRaw(t, addr, "GET "+path+" HTTP/1.0\r\n\r\n"); !bytes.HasPrefix(got, []byte(want)) {
			t.Errorf("GET %s: %q, want it to start with %q", path, got, want)
		}
	}
}

// etagValue matches the value of an ETag header this package sends.
var etagValue = regexp.MustCompile(`(?m)^ETag: "[0-9a-f]+-[0-9a-f]+(-[0-9a-f]+)?"\r$`)

// simpleAddValidators returns a golden response of FilesAsCPython with the
// headers the default adds: "ETag" and "Accept-Ranges: bytes" after each
// Last-Modified (a file's 200), "ETag" after the Date of each 304. The tag
// is masked as "ETag: <etag>".
func simpleAddValidators(golden []byte) []byte {
	var out []byte
	in304 := false
	for line := range bytes.Lines(golden) {
		out = append(out, line...)
		switch {
		case bytes.HasPrefix(line, []byte("HTTP/1.")):
			in304 = bytes.Contains(line, []byte(" 304 "))
		case bytes.HasPrefix(line, []byte("Last-Modified: ")):
			out = append(out, "ETag: <etag>\r\nAccept-Ranges: bytes\r\n"...)
		case in304 && bytes.HasPrefix(line, []byte("Date: ")):
			out = append(out, "ETag: <etag>\r\n"...)
			in304 = false
		}
	}
	return out
}

// runValidatorGoldens sends each case's request to a server of its class
// and compares the response (masked, ETag values too) with the golden file
// testdata/<dir>/<name>.http plus simpleAddValidators' headers.
func runValidatorGoldens(t *testing.T, dir string, rawNames bool, cases []responseCase) {
	for _, tt := range cases {
		t.Run(tt.name, func(st *testing.T) {
			if tt.raw && !rawNames {
				st.Skip("the file system refuses names that are not UTF-8")
			}
			golden, err := os.ReadFile(filepath.Join("testdata", dir, tt.name+".http"))
			if err != nil {
				st.Fatal(err)
			}
			want := simpleAddValidators(golden)
			addr := startSimpleServer(st, tt.class)
			got := etagValue.ReplaceAll(maskResponse(exchangeRaw(st, addr, tt.req)), []byte("ETag: <etag>\r"))
			if !bytes.Equal(want, got) {
				st.Errorf("%s plus validators mismatch (-want +got):\n%s", tt.name, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
