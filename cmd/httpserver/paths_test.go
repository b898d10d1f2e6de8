package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cliSecret = "SECRET-CLI: must never be served\n"

// outsideTree makes <base>/outside/secret.txt (cliSecret) and serves
// <base>/srv, which holds hello.txt, sub/, a symbolic link loop, a link
// to the secret (out) and one that stays inside (in).
func outsideTree(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "srv")
	for name, body := range map[string]string{
		"outside/secret.txt": cliSecret,
		"srv/hello.txt":      "Hello, world!\n",
		"srv/sub/other.txt":  "other\n",
	} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"out": "../outside/secret.txt", "in": "hello.txt", "loop-a": "loop-b", "loop-b": "loop-a"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	return dir
}

// TestStayInDirectoryFlag checks --stay-in-directory: a link to a file
// outside the served directory is followed by default, as Python does,
// and refused with the flag; a link inside works either way.
func TestStayInDirectoryFlag(t *testing.T) {
	dir := outsideTree(t)
	tests := []struct {
		flags           []string
		wantOut, wantIn string
	}{
		{nil, "HTTP/1.0 200 OK\r\n", "HTTP/1.0 200 OK\r\n"},
		{[]string{"--stay-in-directory"}, "HTTP/1.0 404 File not found\r\n", "HTTP/1.0 200 OK\r\n"},
	}
	for _, tt := range tests {
		c := startCLI(t, append([]string{"-b", "127.0.0.1", "-d", dir}, append(tt.flags, "0")...)...)
		got := rawRequest(t, c.port, "GET /out HTTP/1.0\r\n\r\n")
		if !strings.HasPrefix(got, tt.wantOut) {
			t.Errorf("flags %q: GET /out got %.200q, want %q", tt.flags, got, tt.wantOut)
		}
		if served := strings.HasSuffix(got, "\r\n\r\n"+cliSecret); served != (tt.wantOut == "HTTP/1.0 200 OK\r\n") {
			t.Errorf("flags %q: secret served = %v: %.300q", tt.flags, served, got)
		}
		if got := rawRequest(t, c.port, "GET /in HTTP/1.0\r\n\r\n"); !strings.HasPrefix(got, tt.wantIn) || !strings.HasSuffix(got, "Hello, world!\n") {
			t.Errorf("flags %q: GET /in got %.200q, want 200 and hello.txt", tt.flags, got)
		}
	}
}

// TestHostileRequestsCLI sends hostile paths to the command: each gets
// its status line, no response holds the secret beside the served
// directory, and the server answers a normal request afterwards.
func TestHostileRequestsCLI(t *testing.T) {
	dir := outsideTree(t)
	tests := []struct {
		name, req, status, location string
	}{
		{"dot-dot", "GET /../outside/secret.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"encoded-dot-dot", "GET /%2e%2e/%2E%2E%2Foutside%2fsecret.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"backslashes", "GET /..\\..\\outside\\secret.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"overlong-dots", "GET /%c0%ae%c0%ae/outside/secret.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"absolute-form", "GET http://h/../../outside/secret.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"nul", "GET /hello.txt%00 HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"symlink-loop", "GET /loop-a HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"name-too-long", "GET /" + strings.Repeat("x", 300) + " HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"path-too-long", "GET /" + strings.Repeat("abcd/", 1000) + " HTTP/1.0\r\n\r\n", "HTTP/1.0 404 File not found", ""},
		{"redirect-backslash", "GET /\\sub/.. HTTP/1.0\r\n\r\n", "HTTP/1.0 301 Moved Permanently", "/%5Csub/../"},
		{"redirect-control-hides-authority", "GET \x01//evil.com/../.. HTTP/1.0\r\n\r\n", "HTTP/1.0 301 Moved Permanently", "/evil.com/../../"},
		{"redirect-nul", "GET /sub?\x00 HTTP/1.0\r\n\r\n", "HTTP/1.0 301 Moved Permanently", "/sub/?%00"},
	}
	for _, flags := range [][]string{nil, {"--stay-in-directory"}} {
		c := startCLI(t, append([]string{"-b", "127.0.0.1", "-d", dir}, append(flags, "0")...)...)
		for _, tt := range tests {
			got := rawRequest(t, c.port, tt.req)
			head, _, _ := strings.Cut(got, "\r\n\r\n")
			status, fields, _ := strings.Cut(head, "\r\n")
			if status != tt.status {
				t.Errorf("%s %q: status line %q, want %q", tt.name, flags, status, tt.status)
			}
			location := ""
			for l := range strings.SplitSeq(fields, "\r\n") {
				if v, ok := strings.CutPrefix(l, "Location: "); ok {
					location = v
				}
			}
			if location != tt.location {
				t.Errorf("%s %q: Location %q, want %q", tt.name, flags, location, tt.location)
			}
			if strings.Contains(got, cliSecret) {
				t.Errorf("%s %q: the secret was served: %.300q", tt.name, flags, got)
			}
			if got := rawRequest(t, c.port, "GET /hello.txt HTTP/1.0\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") {
				t.Errorf("%s %q: a normal GET afterwards got %.200q, want 200", tt.name, flags, got)
			}
		}
	}
}
