package httpserver_test

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// TestStayInDirectory sends requests through the links of hostileTree
// (outward) to SimpleHandler as Python behaves (links followed anywhere:
// the secret is served, which shows the links work) and with
// StayInDirectory, where every path that resolves outside the directory
// is a 404 and links that stay inside still work.
func TestStayInDirectory(t *testing.T) {
	ok := func(body string) hostileCase { return hostileCase{status: status200, body: body} }
	moved := func(location string) hostileCase { return hostileCase{status: status301, location: location} }
	notFound := hostileCase{status: status404}
	nine := get("/" + strings.Repeat("self/", 9) + "hello.txt")
	cases := []modeCase{
		{"link-out", get("/out"), ok(secretContent), notFound},
		{"link-out-head", "HEAD /out HTTP/1.0\r\n\r\n", ok(""), notFound},
		{"absolute-link-out", get("/abs"), ok(secretContent), notFound},
		{"directory-link-out", get("/outdir/secret.txt"), ok(secretContent), notFound},
		{"directory-link-out-listing", get("/outdir/"), ok(`<a href="secret.txt">`), notFound},
		{"directory-link-out-redirect", get("/outdir"), moved("/outdir/"), notFound},
		{"parent-link", get("/up/outside/secret.txt"), ok(secretContent), notFound},
		{"parent-link-listing", get("/up/"), ok(`<a href="outside/">`), notFound},
		{"parent-link-back-in", get("/up/srv/hello.txt"), ok("Hello"), notFound},
		{"chain-out", get("/chain"), ok(secretContent), notFound},
		{"encoded-link-out", get("/%2e%2e/o%75t"), ok(secretContent), notFound},
		{"absolute-link-in", get("/absinside"), ok("Hello"), notFound},
		{"link-in", get("/inside"), ok("Hello"), ok("Hello")},
		{"directory-link-in", get("/dirlink/other.txt"), ok("other"), ok("other")},
		{"directory-link-in-listing", get("/dirlink/"), ok(`<a href="other.txt">`), ok(`<a href="other.txt">`)},
		{"directory-link-in-redirect", get("/dirlink"), moved("/dirlink/"), moved("/dirlink/")},
		{"dot-dot-in", get("/sub/../hello.txt"), ok("Hello"), ok("Hello")},
		{"eight-links", get("/" + strings.Repeat("self/", 8) + "hello.txt"), ok("Hello"), ok("Hello")},
		{"nine-links", nine, ok("Hello"), notFound}, // os.Root follows at most 8
		// The listing shows a link that leads out as a broken one.
		{"listing-marks-links-out", get("/"), ok(`<a href="outdir/">outdir@</a>`), ok(`<a href="outdir">outdir@</a>`)},
		{"listing-keeps-links-in", get("/"), ok(`<a href="dirlink/">dirlink@</a>`), ok(`<a href="dirlink/">dirlink@</a>`)},
	}
	bothModes(t, func(t *testing.T, stay bool) {
		dir, _ := hostileTree(t, true)
		addr := serveHostile(t, simpleClass(dir, func(h *httpserver.SimpleHandler) { h.StayInDirectory = stay }))
		if stay {
			runHostile(t, addr, inMode(cases, stay), secretContent, `href="outside/"`, `href="secret.txt"`)
		} else {
			runHostile(t, addr, inMode(cases, stay))
		}
	})
}

// escaping overrides TranslatePath to name files outside Directory, as a
// careless subclass might, and SendHead to list a directory outside.
type escaping struct {
	httpserver.SimpleHandler
	base string // the parent of Directory
}

func (h *escaping) TranslatePath(path string) string {
	switch path {
	case "/escape":
		return filepath.Join(h.base, "outside", "secret.txt")
	case "/sibling":
		return filepath.Join(h.base, "srv-secret", "secret.txt")
	case "/unclean":
		return h.Directory + "/sub/../../outside/secret.txt"
	case "/escape-dir/":
		return filepath.Join(h.base, "outside") + "/"
	case "/unclean-inside":
		return h.Directory + "/sub/./../hello.txt"
	case "/relative":
		return "../outside/secret.txt"
	}
	return h.SimpleHandler.TranslatePath(path)
}

func (h *escaping) SendHead() io.ReadCloser {
	if h.Path == "/list-outside/" {
		return h.ListDirectory(filepath.Join(h.base, "outside"))
	}
	return h.SimpleHandler.SendHead()
}

// TestStayInDirectoryTranslatePathOverride checks that with
// StayInDirectory a path that an override of TranslatePath (or a direct
// call of ListDirectory) puts outside Directory is refused: lexically,
// before any link is looked at.
func TestStayInDirectoryTranslatePathOverride(t *testing.T) {
	ok := func(body string) hostileCase { return hostileCase{status: status200, body: body} }
	notFound := hostileCase{status: status404}
	cases := []modeCase{
		{"absolute-out", get("/escape"), ok(secretContent), notFound},
		{"sibling-with-prefix", get("/sibling"), ok(secretContent), notFound},
		{"unclean-out", get("/unclean"), ok(secretContent), notFound},
		{"directory-out", get("/escape-dir/"), ok(`<a href="secret.txt">`), notFound},
		{"list-directory-out", get("/list-outside/"), ok(`<a href="secret.txt">`), hostileCase{status: status404List}},
		{"unclean-in", get("/unclean-inside"), ok("Hello"), ok("Hello")},
	}
	bothModes(t, func(t *testing.T, stay bool) {
		dir, base := hostileTree(t, false)
		addr := serveHostile(t, func() httpserver.Handler {
			return &escaping{httpserver.SimpleHandler{Directory: dir, StayInDirectory: stay}, base}
		})
		if stay {
			runHostile(t, addr, inMode(cases, stay), secretContent, `href="secret.txt"`)
		} else {
			runHostile(t, addr, inMode(cases, stay))
		}
	})
}

// TestStayInDirectoryRelativeDirectory serves a relative Directory (and,
// with an empty one, the current directory) with StayInDirectory; a
// TranslatePath result relative to the current directory is compared
// with Directory as it.
func TestStayInDirectoryRelativeDirectory(t *testing.T) {
	dir, base := hostileTree(t, true)
	t.Chdir(base)
	for _, d := range []string{"srv", "./srv/", ""} {
		t.Run("directory="+d, func(t *testing.T) {
			if d == "" {
				t.Chdir(dir)
			}
			addr := serveHostile(t, func() httpserver.Handler {
				return &escaping{httpserver.SimpleHandler{Directory: d, StayInDirectory: true}, base}
			})
			runHostile(t, addr, []hostileCase{
				{name: "file", req: get("/hello.txt"), status: status200, body: "Hello"},
				{name: "listing", req: get("/sub/"), status: status200, body: `<a href="other.txt">`},
				{name: "link-out", req: get("/out"), status: status404},
				{name: "override-relative-out", req: get("/relative"), status: status404},
				{name: "override-absolute-out", req: get("/escape"), status: status404},
			}, secretContent)
		})
	}
}

// TestStayInDirectoryKeepAlive serves several requests on one kept-alive
// connection with StayInDirectory, which share the connection's os.Root;
// a refused path then gets its 404, which closes the connection as every
// error response does.
func TestStayInDirectoryKeepAlive(t *testing.T) {
	dir, _ := hostileTree(t, true)
	addr := serveHostile(t, simpleClass(dir, func(h *httpserver.SimpleHandler) {
		h.StayInDirectory = true
		h.ProtocolVersion = "HTTP/1.1"
	}))
	conn := dialRaw(t, addr)
	conn.send("GET /hello.txt HTTP/1.1\r\n\r\nGET /dirlink/other.txt HTTP/1.1\r\n\r\n" +
		"HEAD /sub/ HTTP/1.1\r\n\r\nGET /out HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\n")
	got, end := conn.readAll()
	var statuses []string
	br := bufio.NewReader(strings.NewReader(got))
	for _, method := range []string{"GET", "GET", "HEAD", "GET"} {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			break
		}
		io.Copy(io.Discard, resp.Body)
		statuses = append(statuses, resp.Status)
	}
	want := []string{"200 OK", "200 OK", "200 OK", "404 File not found"}
	if diff := cmp.Diff(want, statuses); diff != "" || end != endClosed || br.Buffered() != 0 {
		t.Errorf("status lines (-want +got):\n%s\nconnection %s, want closed after them; response %q", diff, end, got)
	}
	if !strings.Contains(got, "Hello, world!\n") || !strings.Contains(got, "other\n") || strings.Contains(got, secretContent) {
		t.Errorf("response %q: want hello.txt and other.txt, not the secret", got)
	}
}
