package httpserver_test

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// TestListDirectoryGolden checks listings byte for byte: the sort order
// (Python's str.lower(), surrogates for undecodable bytes), the "/" and
// "@" markers, percent-encoded links, escaped names and titles.
func TestListDirectoryGolden(t *testing.T) {
	root, rawNames := makeSimpleTree(t)
	plain := simpleClass(root, nil)
	py := []string{}
	runResponseGoldens(t, "listing", root, rawNames, []responseCase{
		{"names", plain, py, "GET /names/ HTTP/1.0\r\n\r\n", false},
		{"empty", plain, py, "GET /empty/ HTTP/1.0\r\n\r\n", false},
		{"unicode-sort", plain, py, "GET /sort/ HTTP/1.0\r\n\r\n", false},
		{"raw-names", plain, py, "GET /raw/ HTTP/1.0\r\n\r\n", true},
		{"title-escaped-query-cut", plain, py, "GET /names/%3Cb%3E%26/../?q=<x>#frag HTTP/1.0\r\n\r\n", false},
		{"title-latin1", plain, py, "GET /empty/\xe9/../ HTTP/1.0\r\n\r\n", false},
		{"title-surrogate-escape", plain, py, "GET /empty/%ED%B3%BF/../ HTTP/1.0\r\n\r\n", false},
		{"title-replacement", plain, py, "GET /empty/%FF%C3/../ HTTP/1.0\r\n\r\n", false},
		{"title-unencodable-surrogate", plain, nil, "GET /empty/%ED%A0%80/../ HTTP/1.0\r\n\r\n", false},
		{"title-not-normalised", plain, py, "GET /empty/./ HTTP/1.0\r\n\r\n", false},
		{"title-nul", plain, py, "GET /empty/%00/../ HTTP/1.0\r\n\r\n", false},
		{"symlinked-directory", plain, py, "GET /names/link2dir/ HTTP/1.0\r\n\r\n", false},
	})
}

// hostileNames are file names that try to inject markup into a listing
// or to break or redirect its links, with the link and the text a
// browser reads for each (Python's, checked against CPython 3.15.2). A
// name's invalid UTF-8 reads as U+FFFD, CR as LF (HTML's input rules).
var hostileNames = []struct{ name, href, text string }{
	{"<img src=x onerror=alert(1)>", "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E", "<img src=x onerror=alert(1)>"},
	{"a&b;&amp;", "a%26b%3B%26amp%3B", "a&b;&amp;"},
	{"&lt;", "%26lt%3B", "&lt;"},
	{`"><b>x`, "%22%3E%3Cb%3Ex", `"><b>x`},
	{"'single'", "%27single%27", "'single'"},
	{"cr\rlf\n.txt", "cr%0Dlf%0A.txt", "cr\nlf\n.txt"},
	{"tab\t.txt", "tab%09.txt", "tab\t.txt"},
	{" space ", "%20space%20", " space "},
	{"\x01ctl\x1b[31m", "%01ctl%1B%5B31m", "\x01ctl\x1b[31m"},
	{"\xff\xfe<i>.bin", "%ED%B3%BF%ED%B3%BE%3Ci%3E.bin", "\uFFFD<i>.bin"},
	{"\xc3\"><u>", "%ED%B3%83%22%3E%3Cu%3E", "\uFFFD\"><u>"},
	{"javascript:alert(1)", "javascript%3Aalert%281%29", "javascript:alert(1)"},
	{"data:text,x", "data%3Atext%2Cx", "data:text,x"},
	{`\evil.com`, "%5Cevil.com", `\evil.com`},
	{"?q=1", "%3Fq%3D1", "?q=1"},
	{"#frag", "%23frag", "#frag"},
	{"%2e%2e", "%252e%252e", "%2e%2e"},
}

// Two more entries of the hostile directory: a directory and a link to
// it, whose links end with "/".
const (
	hostileDir      = `<dir>&"`
	hostileDirHref  = "%3Cdir%3E%26%22/"
	hostileDirText  = `<dir>&"/`
	hostileLink     = "<link>"
	hostileLinkHref = "%3Clink%3E/"
	hostileLinkText = "<link>@"
)

// makeHostileNames makes a directory holding a file ("x\n") for each of
// hostileNames, plus hostileDir and hostileLink; it skips the test where
// the file system refuses such names.
func makeHostileNames(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range hostileNames {
		if err := os.WriteFile(filepath.Join(dir, n.name), []byte("x\n"), 0o644); err != nil {
			t.Skipf("the file system refuses the name %q: %v", n.name, err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, hostileDir), 0o755); err != nil {
		t.Skipf("the file system refuses the name %q: %v", hostileDir, err)
	}
	if err := os.Symlink(hostileDir, filepath.Join(dir, hostileLink)); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	return dir
}

// TestListDirectoryHostileNamesGolden checks the listing of hostile names
// byte for byte against CPython 3.15.2's (with HTTPSERVER_ORACLE), title
// included.
func TestListDirectoryHostileNamesGolden(t *testing.T) {
	dir := makeHostileNames(t)
	runResponseGoldens(t, "listing", dir, true, []responseCase{
		{"hostile-names", simpleClass(dir, nil), []string{}, "GET /%3Ctitle%3E%22%27%26/../ HTTP/1.0\r\n\r\n", false},
	})
}

// TestListDirectoryHostileNames reads the listing of hostile names as a
// browser does (invalid UTF-8 replaced, then parsed as HTML5) and checks
// that each name is one link with only an href, which is the name
// percent-encoded (a relative path, never a scheme), and text that is the
// name; that the title is the request path as text; and that each link,
// followed, reaches its file or directory.
func TestListDirectoryHostileNames(t *testing.T) {
	dir := makeHostileNames(t)
	addr := serveHostile(t, simpleClass(dir, nil))
	resp := simpleReadResponse(t, exchangeRaw(t, addr, "GET /%3Ctitle%3E%22%27%26/../ HTTP/1.0\r\n\r\n"), "GET")
	body, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(strings.NewReader(strings.ToValidUTF8(string(body), "\uFFFD")))
	if err != nil {
		t.Fatal(err)
	}
	type link struct{ href, text string }
	var links []link
	var title, h1 string
	allowed := map[string]bool{"html": true, "head": true, "meta": true, "style": true, "title": true,
		"body": true, "h1": true, "hr": true, "ul": true, "li": true, "a": true}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if !allowed[n.Data] {
			t.Errorf("the listing has a <%s> element", n.Data)
		}
		switch n.Data {
		case "a":
			if len(n.Attr) != 1 || n.Attr[0].Key != "href" {
				t.Errorf("link attributes %v, want only href", n.Attr)
				continue
			}
			links = append(links, link{n.Attr[0].Val, textOf(n)})
		case "title":
			title = textOf(n)
		case "h1":
			h1 = textOf(n)
		}
	}
	want := []link{{hostileDirHref, hostileDirText}, {hostileLinkHref, hostileLinkText}}
	for _, n := range hostileNames {
		want = append(want, link{n.href, n.text})
	}
	sortLinks := cmp.Transformer("sort", func(l []link) []link {
		l = slices.Clone(l)
		slices.SortFunc(l, func(a, b link) int { return strings.Compare(a.href, b.href) })
		return l
	})
	if diff := cmp.Diff(want, links, cmp.AllowUnexported(link{}), sortLinks); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	const wantTitle = `Directory listing for /<title>"'&/../`
	if title != wantTitle || h1 != wantTitle {
		t.Errorf("title %q, heading %q, want %q", title, h1, wantTitle)
	}
	for _, l := range links {
		u, err := url.Parse(l.href)
		if err != nil || u.Scheme != "" || u.Host != "" {
			t.Errorf("href %q parses as scheme %q host %q (%v), want a relative path", l.href, u.Scheme, u.Host, err)
		}
		got := exchangeRaw(t, addr, "GET /"+l.href+" HTTP/1.0\r\n\r\n")
		if !bytes.HasPrefix(got, []byte("HTTP/1.0 200 OK\r\n")) {
			t.Errorf("following %q: %.100q, want 200", l.href, got)
		}
	}
}

// textOf returns the text inside n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}
