package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
	"github.com/httpserver-go/httpserver/internal/testcert"
)

// wantUsage is the usage text for prog "httpserver" at 80 columns, laid out
// by argparse's rules (see TestUsageWrapping).
const wantUsage = `usage: httpserver [-h] [-b ADDRESS] [-d DIRECTORY] [-p VERSION]
                  [--content-type CONTENT_TYPE] [--tls-cert PATH]
                  [--tls-key PATH] [--tls-password-file PATH]
                  [-H HEADER VALUE] [--read-header-timeout SECONDS]
                  [--read-body-timeout SECONDS] [--idle-timeout SECONDS]
                  [--write-timeout SECONDS] [--max-header-bytes N]
                  [--max-connections N] [--overload-retry-after SECONDS]
                  [--max-method-length N] [--no-host-check]
                  [--stay-in-directory] [--files-as-cpython] [--upload]
                  [--auth-file FILE] [--max-upload-size BYTES]
                  [--allow-overwrite]
                  [port]
`

func TestHelp(t *testing.T) {
	t.Setenv("COLUMNS", "")
	var stdout, stderr bytes.Buffer
	code := serve("httpserver", []string{"-h"}, &stdout, &stderr, nil)
	if code != 0 {
		t.Fatalf("exit status %d, want 0", code)
	}
	want := wantUsage + `
positional arguments:
  port                  bind to this port (default: 8000)

options:
  -h, --help            show this help message and exit
  -b, --bind ADDRESS    bind to this address (default: all interfaces)
  -d, --directory DIRECTORY
                        serve this directory (default: current directory)
  -p, --protocol VERSION
                        conform to this HTTP version (default: HTTP/1.0)
  --content-type CONTENT_TYPE
                        default content type for unknown extensions (default:
                        application/octet-stream)
  --tls-cert PATH       path to the TLS certificate chain file
  --tls-key PATH        path to the TLS key file
  --tls-password-file PATH
                        path to the password file for the TLS key
  -H, --header HEADER VALUE
                        Add a custom response header (can be specified
                        multiple times)
  --read-header-timeout SECONDS
                        close a connection whose request line and headers take
                        longer (default: 10; 0: never)
  --read-body-timeout SECONDS
                        close a connection whose request body stalls: reading
                        it may wait this long for each 64 KiB (default: 60; 0:
                        never)
  --idle-timeout SECONDS
                        close a kept-alive connection idle this long (default:
                        60; 0: never)
  --write-timeout SECONDS
                        close a connection whose client reads nothing for this
                        long (default: 60; 0: never)
  --max-header-bytes N  largest request line and headers together (default:
                        1048576; 0: no limit)
  --max-connections N   most connections served at once; idle kept-alive ones
                        make way for new clients, others wait (default: 1024;
                        0: no limit)
  --overload-retry-after SECONDS
                        answer clients beyond --max-connections at once with
                        503 and this Retry-After, instead of letting them wait
                        (default: 0: they wait)
  --max-method-length N
                        longest request method (default: 32; 0: no limit)
  --no-host-check       accept HTTP/1.1 requests without exactly one valid
                        Host header, as Python does
  --stay-in-directory   refuse paths whose symbolic links lead outside the
                        served directory
  --files-as-cpython    serve files exactly as Python does: no Range, ETag or
                        Accept-Ranges, and no conditional requests but
                        If-Modified-Since
  --upload              accept uploads: PUT to a file's URL, or POST a form to
                        a directory's (listings get an upload form)
  --auth-file FILE      require HTTP Basic authentication for every request,
                        by the users of this htpasswd file (bcrypt: htpasswd
                        -B)
  --max-upload-size BYTES
                        largest upload, in bytes, or with a K, M, G or T
                        suffix (default: 0: no limit)
  --allow-overwrite     let uploads replace existing files
`
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("help mismatch (-want +got):\n%s", diff)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr.String())
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("COLUMNS", "")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown option", []string{"--bogus"}, "unrecognized arguments: --bogus"},
		{"header one value", []string{"-H", "X"}, "argument -H/--header: expected 2 arguments"},
		{"header three values", []string{"-H", "A", "B", "C"}, "argument port: invalid int value: 'C'"},
		{"bad port", []string{"x"}, "argument port: invalid int value: 'x'"},
		// A value is quoted as Python's repr() quotes it: control
		// characters escaped, bytes that are not UTF-8 as surrogates.
		{"control character in a value", []string{"x\x01"}, `argument port: invalid int value: 'x\x01'`},
		{"escape sequence in a value", []string{"--help=\x1b[31m"}, `argument -h/--help: ignored explicit argument '\x1b[31m'`},
		{"bytes that are not UTF-8", []string{"x\xc4\x81\xff"}, "argument port: invalid int value: 'xā\\udcff'"},
		{"port out of range", []string{"70000"}, "argument port: 70000 is not a valid port (0-65535)"},
		{"negative port", []string{"--", "-1"}, "argument port: -1 is not a valid port (0-65535)"},
		{"two ports", []string{"8000", "9000"}, "unrecognized arguments: 9000"},
		{"missing value", []string{"-d"}, "argument -d/--directory: expected one argument"},
		{"ambiguous prefix", []string{"--tls", "x"}, "ambiguous option: --tls could match --tls-cert, --tls-key, --tls-password-file"},
		{"explicit value on a flag", []string{"--help=foo"}, "argument -h/--help: ignored explicit argument 'foo'"},
		{"key without cert", []string{"--tls-key", "k.pem"}, "--tls-key requires --tls-cert to be set"},
		{"key checked first", []string{"--tls-password-file", "p", "--tls-key", "k"}, "--tls-key requires --tls-cert to be set"},
		{"password without cert", []string{"--tls-password-file", "p"}, "--tls-password-file requires --tls-cert to be set"},
		{"password file missing", []string{"--tls-cert", "c", "--tls-password-file", "/nonexistent"},
			"Failed to read TLS password file: [Errno 2] No such file or directory: '/nonexistent'"},
		{"password file is a directory", []string{"--tls-cert", "c", "--tls-password-file", "/"},
			"Failed to read TLS password file: [Errno 21] Is a directory: '/'"},
		{"bad seconds", []string{"--idle-timeout", "soon"}, "argument --idle-timeout: invalid seconds value: 'soon'"},
		{"negative seconds", []string{"--read-header-timeout=-1"}, "argument --read-header-timeout: invalid seconds value: '-1'"},
		{"bad count", []string{"--max-connections", "many"}, "argument --max-connections: invalid count value: 'many'"},
		{"flag with a value", []string{"--no-host-check=yes"}, "argument --no-host-check: ignored explicit argument 'yes'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := serve("httpserver", tt.args, &stdout, &stderr, nil)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			want := wantUsage + "httpserver: error: " + tt.msg + "\n"
			if diff := cmp.Diff(want, stderr.String()); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestRuntimeErrors(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	dir := t.TempDir()
	notCert := filepath.Join(dir, "not-a-cert.pem")
	os.WriteFile(notCert, []byte("hello\n"), 0o600)

	tests := []struct {
		name string
		args []string
		want *regexp.Regexp
	}{
		{"port in use", []string{"-b", "127.0.0.1", busyPort},
			regexp.MustCompile(`^httpserver: cannot listen on 127\.0\.0\.1 port ` + busyPort + `: address already in use\n$`)},
		{"missing certificate", []string{"-b", "127.0.0.1", "--tls-cert", "/nonexistent/cert.pem", "0"},
			regexp.MustCompile(`^httpserver: .*/nonexistent/cert\.pem.*no such file or directory\n$`)},
		{"not a certificate", []string{"-b", "127.0.0.1", "--tls-cert", notCert, "0"},
			regexp.MustCompile(`^httpserver: .*not-a-cert\.pem: not a certificate(: [^\n]+)?\n$`)},
		{"unresolvable address", []string{"-b", "no-such-host.invalid", "0"},
			regexp.MustCompile(`^httpserver: cannot resolve bind address 'no-such-host\.invalid': .+\n$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := serve("httpserver", tt.args, &stdout, &stderr, nil)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if !tt.want.MatchString(stderr.String()) {
				t.Errorf("stderr = %q, want a line matching %s", stderr.String(), tt.want)
			}
			if strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("stderr should be one line, got %q", stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

// cli is a command-line server running in-process.
type cli struct {
	t              *testing.T
	stdout, stderr *syncbuf.Buffer
	stop           chan os.Signal
	done           chan int
	serving        string // the "Serving ..." line
	port           int
	stopped        bool
}

var servingLine = regexp.MustCompile(`^Serving (HTTPS?) on (\S+) port (\d+) \((https?)://(\S+):(\d+)/\) \.\.\.\n$`)

func startCLI(t *testing.T, args ...string) *cli {
	t.Helper()
	c := &cli{t: t, stdout: new(syncbuf.Buffer), stderr: new(syncbuf.Buffer), stop: make(chan os.Signal, 1), done: make(chan int, 1)}
	go func() { c.done <- serve("httpserver", args, c.stdout, c.stderr, c.stop) }()
	select {
	case c.serving = <-c.stdout.FirstLine():
	case code := <-c.done:
		t.Fatalf("exited with %d before serving; stderr: %s", code, c.stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("no Serving line within 10s")
	}
	m := servingLine.FindStringSubmatch(c.serving)
	if m == nil {
		t.Fatalf("Serving line %q does not have Python's form", c.serving)
	}
	c.port, _ = strconv.Atoi(m[3])
	t.Cleanup(func() { c.interrupt(syscall.SIGTERM) })
	return c
}

// interrupt sends sig and returns the exit status; later calls return -1.
func (c *cli) interrupt(sig os.Signal) int {
	if c.stopped {
		return -1
	}
	c.stopped = true
	select {
	case c.stop <- sig:
	default:
	}
	select {
	case code := <-c.done:
		return code
	case <-time.After(10 * time.Second):
		c.t.Fatal("server did not stop within 10s")
	}
	return -1
}

func (c *cli) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", c.port, path)
}

func get(t *testing.T, client *http.Client, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func siteDir(t *testing.T) string {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("Hello, world!\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "data.unknownext"), []byte("???"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	return dir
}

func TestServeDirectoryAndInterrupt(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "0")
	wantLine := fmt.Sprintf("Serving HTTP on 127.0.0.1 port %d (http://127.0.0.1:%d/) ...\n", c.port, c.port)
	if c.serving != wantLine {
		t.Errorf("Serving line = %q, want %q", c.serving, wantLine)
	}
	client := &http.Client{}
	resp, body := get(t, client, c.url("/hello.txt"))
	if resp.StatusCode != 200 || body != "Hello, world!\n" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("GET /hello.txt = %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp.Proto != "HTTP/1.0" || !resp.Close {
		t.Errorf("default protocol: got %s close=%v, want HTTP/1.0 and a closed connection", resp.Proto, resp.Close)
	}
	resp, body = get(t, client, c.url("/"))
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/html; charset=utf-8" {
		t.Errorf("GET / = %d %q, want a 200 listing", resp.StatusCode, ct)
	}
	for _, want := range []string{`<a href="hello.txt">hello.txt</a>`, `<a href="sub/">sub/</a>`, "Directory listing for /"} {
		if !strings.Contains(body, want) {
			t.Errorf("listing lacks %q:\n%s", want, body)
		}
	}
	if code := c.interrupt(os.Interrupt); code != 0 {
		t.Errorf("exit status after SIGINT = %d, want 0", code)
	}
	if want := wantLine + "\nKeyboard interrupt received, exiting.\n"; c.stdout.String() != want {
		t.Errorf("stdout = %q, want %q", c.stdout.String(), want)
	}
	logs := c.stderr.String()
	for _, want := range []string{`"GET /hello.txt HTTP/1.1" 200 -`, `"GET / HTTP/1.1" 200 -`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestSIGTERMStopsSilently(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "0")
	if code := c.interrupt(syscall.SIGTERM); code != 0 {
		t.Errorf("exit status after SIGTERM = %d, want 0", code)
	}
	if c.stdout.String() != c.serving {
		t.Errorf("stdout = %q, want only the Serving line", c.stdout.String())
	}
}

func TestProtocolHTTP11KeepsAlive(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "-p", "HTTP/1.1", "0")
	client := &http.Client{}
	reused := 0
	for range 3 {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
			if info.Reused {
				reused++
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", c.url("/hello.txt"), nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Proto != "HTTP/1.1" {
			t.Errorf("status line protocol %s, want HTTP/1.1", resp.Proto)
		}
	}
	if reused != 2 {
		t.Errorf("%d of 3 requests reused the connection, want 2", reused)
	}
}

func TestExtraHeadersOn200Only(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "-H", "X-Test", "one", "--header", "Set-Cookie", "a=1", "-H", "Set-Cookie", "b=2", "0")
	client := &http.Client{}
	resp, _ := get(t, client, c.url("/hello.txt"))
	if got := resp.Header.Get("X-Test"); got != "one" {
		t.Errorf("X-Test on a file = %q, want one", got)
	}
	if diff := cmp.Diff([]string{"a=1", "b=2"}, resp.Header.Values("Set-Cookie")); diff != "" {
		t.Errorf("Set-Cookie on a file (-want +got):\n%s", diff)
	}
	resp, _ = get(t, client, c.url("/"))
	if got := resp.Header.Get("X-Test"); got != "one" {
		t.Errorf("X-Test on a listing = %q, want one", got)
	}
	resp, _ = get(t, client, c.url("/missing"))
	if resp.StatusCode != 404 || resp.Header.Get("X-Test") != "" {
		t.Errorf("404: status %d, X-Test %q; want 404 without the extra header", resp.StatusCode, resp.Header.Get("X-Test"))
	}
	resp, _ = get(t, client, c.url("/sub"))
	if resp.Request.URL.Path != "/sub/" {
		t.Errorf("redirect not followed to /sub/: %s", resp.Request.URL)
	}
}

func TestContentTypeForUnknownExtensions(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "--content-type", "text/plain; charset=utf-8", "0")
	resp, _ := get(t, &http.Client{}, c.url("/data.unknownext"))
	if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q, want the --content-type value", got)
	}
	resp, _ = get(t, &http.Client{}, c.url("/hello.txt"))
	if got := resp.Header.Get("Content-Type"); got != "text/plain" {
		t.Errorf("known extension Content-Type = %q, want text/plain", got)
	}
}

func TestAllInterfacesDualStack(t *testing.T) {
	c := startCLI(t, "-d", siteDir(t), "0")
	m := servingLine.FindStringSubmatch(c.serving)
	host := m[2]
	switch host {
	case "::":
		if m[5] != "[::]" {
			t.Errorf("URL host %q, want [::]", m[5])
		}
		// A dual-stack socket answers on both loopbacks.
		for _, addr := range []string{"127.0.0.1", "[::1]"} {
			resp, body := get(t, &http.Client{}, fmt.Sprintf("http://%s:%d/hello.txt", addr, c.port))
			if resp.StatusCode != 200 || body != "Hello, world!\n" {
				t.Errorf("via %s: %d %q", addr, resp.StatusCode, body)
			}
		}
	case "0.0.0.0":
		t.Log("no IPv6 on this machine: bound 0.0.0.0")
	default:
		t.Errorf("all interfaces bound as %q, want :: or 0.0.0.0", host)
	}
}

func TestHTTPSWithEncryptedKey(t *testing.T) {
	dir := siteDir(t)
	certPEM, keyPEM := encryptedKeyPair(t, "s3cret")
	certFile, keyFile, pwFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "pw.txt")
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, keyPEM, 0o600)
	os.WriteFile(pwFile, []byte("  s3cret\n"), 0o600) // whitespace stripped, as Python strips
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "--tls-cert", certFile, "--tls-key", keyFile, "--tls-password-file", pwFile, "0")
	want := fmt.Sprintf("Serving HTTPS on 127.0.0.1 port %d (https://127.0.0.1:%d/) ...\n", c.port, c.port)
	if c.serving != want {
		t.Errorf("Serving line = %q, want %q", c.serving, want)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, body := get(t, client, fmt.Sprintf("https://127.0.0.1:%d/hello.txt", c.port))
	if resp.StatusCode != 200 || body != "Hello, world!\n" || resp.TLS == nil {
		t.Errorf("GET over TLS = %d %q (TLS %v)", resp.StatusCode, body, resp.TLS != nil)
	}

	var stdout, stderr bytes.Buffer
	os.WriteFile(pwFile, []byte("wrong\n"), 0o600)
	code := serve("httpserver", []string{"-b", "127.0.0.1", "--tls-cert", certFile, "--tls-key", keyFile, "--tls-password-file", pwFile, "0"}, &stdout, &stderr, nil)
	if code != 1 || !strings.Contains(stderr.String(), "key.pem") || !strings.Contains(stderr.String(), "incorrect password") {
		t.Errorf("wrong password: exit %d, stderr %q; want 1 and a line naming key.pem", code, stderr.String())
	}
}

// encryptedKeyPair makes a self-signed certificate for 127.0.0.1 and its
// ECDSA key as an encrypted PKCS#8 PEM block (what openssl genpkey
// -aes-256-cbc writes).
func encryptedKeyPair(t *testing.T, password string) (certPEM, keyPEM []byte) {
	t.Helper()
	key := testcert.NewECKey(t)
	return testcert.CertPEM(testcert.SelfSigned(t, key)), testcert.EncryptedPKCS8(t, key, password, nil)
}

// buildCLI builds the command as bin; it skips under -short or without
// the go command.
func buildCLI(t *testing.T, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

// rawRequest sends req on a new connection to port and returns everything
// the server sends until it closes the connection (or 5 s pass).
func rawRequest(t *testing.T, port int, req string) string {
	t.Helper()
	c := dialSend(t, port, req)
	defer c.Close()
	got, _ := io.ReadAll(c)
	return string(got)
}

// dialSend connects to port, sends req and returns the connection, with
// a deadline 5 s away.
func dialSend(t *testing.T, port int, req string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, req)
	return c
}

func TestHostRequiredByDefault(t *testing.T) {
	dir := siteDir(t)
	const req = "GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n"
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "0")
	if got := rawRequest(t, c.port, req); !strings.HasPrefix(got, "HTTP/1.0 400 Missing Host header\r\n") {
		t.Errorf("HTTP/1.1 without Host: got %q, want 400 Missing Host header", got)
	}
	if got := rawRequest(t, c.port, "GET /hello.txt HTTP/1.0\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") {
		t.Errorf("HTTP/1.0 without Host: got %q, want 200", got)
	}
	lenient := startCLI(t, "-b", "127.0.0.1", "-d", dir, "--no-host-check", "0")
	if got := rawRequest(t, lenient.port, req); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") {
		t.Errorf("--no-host-check: got %q, want 200 as Python gives", got)
	}
}

func TestReadHeaderTimeoutFlag(t *testing.T) {
	c := startCLI(t, "-b", "127.0.0.1", "-d", siteDir(t), "--read-header-timeout", "0.3", "0")
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", c.port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /hello.txt HT") // and then nothing
	start := time.Now()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(conn)
	if err != nil || len(got) != 0 {
		t.Fatalf("slow client: read %q, %v; want the server to close without an answer", got, err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("closed after %v, want about 0.3s", d)
	}
	// The server keeps serving others.
	if got := rawRequest(t, c.port, "GET /hello.txt HTTP/1.0\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.0 200 OK\r\n") {
		t.Errorf("after the slow client: got %q, want 200", got)
	}
	c.interrupt(syscall.SIGTERM)
	if !strings.Contains(c.stderr.String(), "Request timed out") {
		t.Errorf("log lacks the timeout:\n%s", c.stderr.String())
	}
}

// TestServingLineColour checks the Serving line under Python 3.15's colour
// rules: FORCE_COLOR colours it even on a pipe, NO_COLOR wins over a
// terminal, and output that is not a terminal stays plain by default.
func TestServingLineColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("PYTHON_COLORS", "")
	t.Setenv("FORCE_COLOR", "1")
	stdout := new(syncbuf.Buffer)
	stop := make(chan os.Signal, 1)
	done := make(chan int, 1)
	go func() {
		done <- serve("httpserver", []string{"-b", "127.0.0.1", "-d", siteDir(t), "0"}, stdout, io.Discard, stop)
	}()
	var line string
	select {
	case line = <-stdout.FirstLine():
	case <-time.After(10 * time.Second):
		t.Fatal("no Serving line")
	}
	stop <- syscall.SIGTERM
	<-done
	m := regexp.MustCompile(`port (\d+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("Serving line %q", line)
	}
	want := "\x1b[32mServing HTTP on 127.0.0.1 port " + m[1] + "\x1b[0m (\x1b[36mhttp://127.0.0.1:" + m[1] + "/\x1b[0m) ...\n"
	if line != want {
		t.Errorf("coloured Serving line = %q, want %q", line, want)
	}
}

// TestInterruptLetsResponsesFinish stops the server while a client is in
// the middle of a large download: the download completes, then the
// command exits 0.
func TestInterruptLetsResponsesFinish(t *testing.T) {
	dir := siteDir(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "0")
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", c.port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(conn, "GET /big.bin HTTP/1.0\r\n\r\n")
	first := make([]byte, 64<<10)
	if _, err := io.ReadFull(conn, first); err != nil {
		t.Fatal(err)
	}
	// The server is now blocked writing the rest; stop it. While the
	// client holds the download, the command must not exit.
	c.stop <- os.Interrupt
	select {
	case code := <-c.done:
		c.stopped = true
		t.Fatalf("exited (%d) with a response in progress", code)
	case <-time.After(300 * time.Millisecond):
	}
	rest, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading the rest after SIGINT: %v", err)
	}
	resp := append(first, rest...)
	_, body, ok := bytes.Cut(resp, []byte("\r\n\r\n"))
	if !ok || !bytes.Equal(body, big) {
		t.Errorf("download cut short by the interrupt: got %d body bytes, want %d", len(body), len(big))
	}
	select {
	case code := <-c.done:
		c.stopped = true
		if code != 0 {
			t.Errorf("exit status %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not exit after the download finished")
	}
}
