package httpserver

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// FuzzTranslatePath checks TranslatePath on any request path: it never
// panics; its result is Directory or lexically inside it, already clean
// (no ".", "..", or empty segment the OS could resolve after a symbolic
// link), but for one trailing "/", which it has exactly when the path
// (query and fragment cut off) ends with "/" or an encoded one. The seed
// corpus, testdata/fuzz/FuzzTranslatePath, holds the spellings of "..",
// "/", "\" and NUL that the traversal tests send, and every finding.
func FuzzTranslatePath(f *testing.F) {
	if runtime.GOOS == "windows" {
		f.Skip("POSIX paths")
	}
	f.Fuzz(func(t *testing.T, path string) {
		for _, dir := range []string{"/srv/root", "rel/dir"} {
			got := (&SimpleHandler{Directory: dir}).TranslatePath(path)
			clean := filepath.Clean(got)
			if clean != dir && !strings.HasPrefix(clean, dir+"/") {
				t.Fatalf("TranslatePath(%q) = %q, outside %s", path, got, dir)
			}
			if strings.TrimSuffix(got, "/") != clean {
				t.Fatalf("TranslatePath(%q) = %q, not clean (%q)", path, got, clean)
			}
			cut, _, _ := strings.Cut(path, "#")
			cut, _, _ = strings.Cut(cut, "?")
			wantSlash := strings.HasSuffix(cut, "/") || strings.HasSuffix(strings.ToLower(cut), "%2f")
			if strings.HasSuffix(got, "/") != wantSlash {
				t.Fatalf("TranslatePath(%q) = %q: trailing slash %v, want %v", path, got, !wantSlash, wantSlash)
			}
		}
	})
}

// fuzzSecret is the content of the file beside the directories that
// FuzzServePath serves.
const fuzzSecret = "FUZZ-SECRET-d41d"

// fuzzTree makes <base>/outside/secret.txt and two directories to serve:
// <base>/plain, whose links all stay inside, and <base>/links, which also
// holds links that lead out (to serve with StayInDirectory).
func fuzzTree(f *testing.F) (plain, links string) {
	base := f.TempDir()
	for _, d := range []string{"plain", "links"} {
		for name, body := range map[string]string{
			"hello.txt": "hello", "sub/x.txt": "x", "%2e%2e/x.txt": "x", "a\\b/x.txt": "x", "http:/h/x.txt": "x",
		} {
			p := filepath.Join(base, d, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				f.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				f.Fatal(err)
			}
		}
		for link, target := range map[string]string{"self": ".", "in": "hello.txt", "loop": "loop", "subl": "sub"} {
			if err := os.Symlink(target, filepath.Join(base, d, link)); err != nil {
				f.Skipf("symbolic links: %v", err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(base, "outside"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "outside", "secret.txt"), []byte(fuzzSecret), 0o644); err != nil {
		f.Fatal(err)
	}
	for link, target := range map[string]string{
		"out": "../outside/secret.txt", "abs": filepath.Join(base, "outside", "secret.txt"),
		"outdir": "../outside", "up": "..", "chain": "sub/../out",
	} {
		if err := os.Symlink(target, filepath.Join(base, "links", link)); err != nil {
			f.Fatal(err)
		}
	}
	return filepath.Join(base, "plain"), filepath.Join(base, "links")
}

var (
	fuzzStatusLine = regexp.MustCompile(`^HTTP/1\.0 (200|301|304|400|404|414|501) `)
	fuzzLeaks      = []string{fuzzSecret, `href="outside/"`, `href="plain/"`, `href="links/"`, `href="secret.txt"`}
)

// FuzzServePath serves a GET of any target through SimpleHandler: in
// Python's mode from a tree without links that lead out, and with
// StayInDirectory from a tree with them. Nothing outside the served
// directory ever appears in a response, nothing panics, the status is
// one SimpleHandler gives (never 500), and a redirect's Location has no
// leading "//", no "\" and no control byte. The seed corpus is
// testdata/fuzz/FuzzServePath.
func FuzzServePath(f *testing.F) {
	if runtime.GOOS == "windows" {
		f.Skip("POSIX paths")
	}
	plain, links := fuzzTree(f)
	f.Fuzz(func(t *testing.T, target string, stay bool) {
		dir := plain
		if stay {
			dir = links
		}
		conn := &scriptConn{in: strings.NewReader("GET " + target + " HTTP/1.0\r\n\r\n")}
		h := &SimpleHandler{Directory: dir, StayInDirectory: stay}
		h.self, h.Server, h.Conn, h.ClientAddress = h, &HTTPServer{Stderr: new(bytes.Buffer)}, conn, conn.RemoteAddr()
		h.Setup()
		h.Handle()
		h.Finish()
		out := conn.out.String()
		for _, leak := range fuzzLeaks {
			if strings.Contains(out, leak) {
				t.Fatalf("GET %q (StayInDirectory %v) holds %q: %q", target, stay, leak, out)
			}
		}
		if !strings.HasPrefix(out, "HTTP/") {
			return // HTTP/0.9, or no response to an empty request line
		}
		if !fuzzStatusLine.MatchString(out) {
			t.Fatalf("GET %q: status line of %.100q", target, out)
		}
		head, _, _ := strings.Cut(out, "\r\n\r\n")
		for line := range strings.SplitSeq(head, "\r\n") {
			loc, ok := strings.CutPrefix(line, "Location: ")
			if !ok || strings.Contains(loc, ":") && !strings.HasPrefix(loc, "/") {
				continue // none, or absolute-form: kept as Python keeps it
			}
			locPath := cutQueryFragment(loc)
			if strings.HasPrefix(locPath, "//") || strings.Contains(locPath, "\\") || strings.ContainsFunc(loc, isControl) {
				t.Fatalf("GET %q: Location %q", target, loc)
			}
		}
		if strings.HasPrefix(out, "HTTP/1.0 301 ") && !strings.Contains(head, "\r\nLocation: ") {
			t.Fatalf("GET %q: 301 without Location: %q", target, head)
		}
	})
}
