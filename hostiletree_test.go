package httpserver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// secretContent is the content of the files outside the served directory
// that the hardening tests plant: no response may ever hold it, except
// where a test shows Python's behaviour of following a link out.
const secretContent = "SECRET-7f3a: must never be served\n"

// hostileTree builds the tree the hardening tests serve and returns the
// served directory, <base>/srv, and base. Beside srv lie outside/ and
// srv-secret/ (a sibling whose name srv is a prefix of), each holding a
// file of secretContent. In srv:
//
//	hello.txt, file.txt, sub/other.txt   ordinary files
//	%2e%2e/x.txt                          a directory literally named %2e%2e
//	\evil.com/, a\b/                      directories with backslashes
//	http:/evil/dir/                       what an absolute-form target maps to
//	loop-a -> loop-b -> loop-a            a symbolic link loop
//	self -> .                             for chains of links
//	inside -> hello.txt, dirlink -> sub   links that stay inside
//
// With outward, srv also holds links that lead out: out ->
// ../outside/secret.txt, abs (the same, absolute), outdir -> ../outside,
// up -> .., chain -> sub/../out, and absinside (absolute, to srv/hello.txt).
func hostileTree(t testing.TB, outward bool) (dir, base string) {
	t.Helper()
	base = t.TempDir()
	dir = filepath.Join(base, "srv")
	writeFiles(t, base, map[string]string{
		"outside/secret.txt":    secretContent,
		"srv-secret/secret.txt": secretContent,
		"srv/hello.txt":         "Hello, world!\n",
		"srv/file.txt":          "file\n",
		"srv/sub/other.txt":     "other\n",
		"srv/%2e%2e/x.txt":      "double-encoded\n",
		"srv/http:/evil/dir/x":  "x\n",
	})
	for _, d := range []string{`\evil.com`, `a\b`} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Skipf("directory name %q: %v", d, err)
		}
	}
	links := [][2]string{
		{"loop-a", "loop-b"}, {"loop-b", "loop-a"}, {"self", "."},
		{"inside", "hello.txt"}, {"dirlink", "sub"},
	}
	if outward {
		links = append(links,
			[2]string{"out", "../outside/secret.txt"},
			[2]string{"abs", filepath.Join(base, "outside", "secret.txt")},
			[2]string{"outdir", "../outside"},
			[2]string{"up", ".."},
			[2]string{"chain", "sub/../out"},
			[2]string{"absinside", filepath.Join(dir, "hello.txt")},
		)
	}
	for _, l := range links {
		if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	return dir, base
}

// writeFiles writes each file of files (slash-separated name → content)
// under root, making the directories on the way.
func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hostileCase is one raw request of the hardening tests.
type hostileCase struct {
	name string
	req  string
	// status is the status line the response must begin with (without
	// its CRLF), or "" when the server must close the connection without
	// answering.
	status string
	// location is the exact Location the response must have; "" means
	// none.
	location string
	// body, if not "", must be part of the response's body.
	body string
}

// get is the raw HTTP/1.0 GET of target.
func get(target string) string { return "GET " + target + " HTTP/1.0\r\n\r\n" }

// runHostile sends each case on a fresh connection to the server at addr,
// which serves a tree holding hello.txt (HTTP/1.0, so it closes after
// each response), and checks its status line, or that the connection
// closed without one, its Location, and that the response holds none of
// the secrets (a hang fails as a connection left open). After each case
// a normal GET /hello.txt on a fresh connection must still answer 200.
func runHostile(t *testing.T, addr string, cases []hostileCase, secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := dialRaw(t, addr)
			conn.send(tc.req)
			got, end := conn.readAll()
			if end != endClosed && end != endReset {
				t.Fatalf("connection still %s after %v; got %.200q", end, ioLimit, got)
			}
			head, body, _ := strings.Cut(got, "\r\n\r\n")
			status, fields, _ := strings.Cut(head, "\r\n")
			if tc.status == "" {
				if got != "" {
					t.Errorf("got %.300q, want the connection closed without a response", got)
				}
			} else if status != tc.status {
				t.Errorf("status line %q, want %q (response %.300q)", status, tc.status, got)
			}
			if loc := headerValue(fields, "Location"); loc != tc.location {
				t.Errorf("Location %q, want %q", loc, tc.location)
			}
			if tc.body != "" && !strings.Contains(body, tc.body) {
				t.Errorf("body %.500q does not hold %q", body, tc.body)
			}
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("the response holds the secret %q: %.500q", s, got)
				}
			}
			after := dialRaw(t, addr)
			after.send(get("/hello.txt"))
			if got, _ := after.readAll(); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") || !strings.HasSuffix(got, "\r\n\r\nHello, world!\n") {
				t.Errorf("a normal GET /hello.txt afterwards got %.300q, want 200 and the file", got)
			}
		})
	}
}

// headerValue returns the value of the first header line named name
// (ASCII case-insensitive) in fields, the header lines of a response
// joined by CRLF, or "".
func headerValue(fields, name string) string {
	for line := range strings.SplitSeq(fields, "\r\n") {
		if k, v, ok := strings.Cut(line, ": "); ok && strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// serveHostile serves class with its log captured; at the end of the test
// it checks that nothing reached the server's HandleError (a panic or an
// I/O failure of a handler).
func serveHostile(t *testing.T, class httpserver.HandlerClass) string {
	t.Helper()
	ts := serve(t, class)
	t.Cleanup(func() {
		if log := ts.stop(); strings.Contains(log, "Exception occurred") {
			t.Errorf("the server reported an exception:\n%s", log)
		}
	})
	return ts.addr
}

// bothModes runs f as a subtest for SimpleHandler as Python behaves and
// one with StayInDirectory.
func bothModes(t *testing.T, f func(t *testing.T, stay bool)) {
	for _, stay := range []bool{false, true} {
		name := "python"
		if stay {
			name = "stay-in-directory"
		}
		t.Run(name, func(t *testing.T) { f(t, stay) })
	}
}

// modeCase is a hostile request whose answer depends on StayInDirectory.
type modeCase struct {
	name, req    string
	python, stay hostileCase // the status, location and body wanted in each mode
}

// inMode returns cases as hostileCases for the mode stay.
func inMode(cases []modeCase, stay bool) []hostileCase {
	out := make([]hostileCase, len(cases))
	for i, c := range cases {
		out[i] = c.python
		if stay {
			out[i] = c.stay
		}
		out[i].name, out[i].req = c.name, c.req
	}
	return out
}
