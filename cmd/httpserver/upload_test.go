package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

// usersFile writes an htpasswd file with the user alice, password
// "wonderland", and returns its path.
func usersFile(t *testing.T) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("wonderland"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "users.htpasswd")
	if err := os.WriteFile(path, []byte("alice:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// aliceAuth is the header line of alice's credentials.
var aliceAuth = "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("alice:wonderland")) + "\r\n"

func TestUploadFlag(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "--upload", "0")
	if got := rawRequest(t, c.port, "PUT /sub/a.txt HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"); !strings.HasPrefix(got, "HTTP/1.0 201 Created\r\n") {
		t.Errorf("PUT: %q, want 201", got)
	}
	form := "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n\r\nbee\r\n--b--\r\n"
	if got := rawRequest(t, c.port, "POST /upload HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: "+
		strconv.Itoa(len(form))+"\r\n\r\n"+form); !strings.HasSuffix(got, "\r\n\r\ncreated b.txt (3 bytes)\n") {
		t.Errorf("POST /upload: %q, want 201 with the stored file", got)
	}
	if got := rawRequest(t, c.port, "GET / HTTP/1.0\r\n\r\n"); !strings.Contains(got, `<form method="post" enctype="multipart/form-data">`) {
		t.Errorf("the listing has no upload form:\n%s", got)
	}
	for name, want := range map[string]string{"sub/a.txt": "abc", "b.txt": "bee"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(data) != want {
			t.Errorf("%s: %q, %v; want %q", name, data, err, want)
		}
	}
	c.interrupt(os.Interrupt)
	if strings.Contains(c.stderr.String(), "warning") {
		t.Errorf("a warning for a loopback address:\n%s", c.stderr.String())
	}
}

// TestNoUploadsByDefault: without --upload the server is Python's: PUT
// and POST get 501 and the listing has no form.
func TestNoUploadsByDefault(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "0")
	for _, method := range []string{"PUT", "POST"} {
		got := rawRequest(t, c.port, method+" /a.txt HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")
		if want := "HTTP/1.0 501 Unsupported method ('" + method + "')\r\n"; !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", method, got, want)
		}
	}
	if got := rawRequest(t, c.port, "GET / HTTP/1.0\r\n\r\n"); strings.Contains(got, "<form") {
		t.Errorf("a form in the listing without --upload:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.txt")); err == nil {
		t.Error("a.txt was stored without --upload")
	}
}

func TestUploadSizeAndOverwriteFlags(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "--upload", "--max-upload-size", "1k", "--allow-overwrite", "0")
	put := func(name string, n int) string {
		return rawRequest(t, c.port, "PUT /"+name+" HTTP/1.0\r\nContent-Length: "+strconv.Itoa(n)+"\r\n\r\n"+strings.Repeat("x", n))
	}
	for _, tt := range []struct {
		name string
		size int
		want string
	}{
		{"big", 1025, "HTTP/1.0 413 Content Too Large\r\n"},
		{"big", 1024, "HTTP/1.0 201 Created\r\n"},
		{"hello.txt", 5, "HTTP/1.0 204 No Content\r\n"},
	} {
		if got := put(tt.name, tt.size); !strings.HasPrefix(got, tt.want) {
			t.Errorf("PUT %s of %d bytes: %q, want %q", tt.name, tt.size, got, tt.want)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "hello.txt")); string(data) != "xxxxx" {
		t.Errorf("hello.txt = %q after a replacing upload", data)
	}
}

func TestByteSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1000", 1000, true}, {" 7 ", 7, true}, {"1k", 1 << 10, true}, {"1K", 1 << 10, true},
		{"10M", 10 << 20, true}, {"2g", 2 << 30, true}, {"3T", 3 << 40, true},
		{"", 0, false}, {"x", 0, false}, {"-1", 0, false}, {"1.5M", 0, false}, {"1KB", 0, false},
		{"M", 0, false}, {"99999999T", 0, false}, {"1_000", 0, false},
	} {
		c := &config{}
		err := byteSize("--max-upload-size", func(c *config) *int64 { return &c.maxUploadSize })(c, []string{tt.in})
		if (err == nil) != tt.ok || c.maxUploadSize != tt.want {
			t.Errorf("%q: %d, %v; want %d, ok %v", tt.in, c.maxUploadSize, err, tt.want, tt.ok)
		}
	}
}

func TestAuthFileFlag(t *testing.T) {
	dir := siteDir(t)
	users := usersFile(t)
	t.Run("files", func(t *testing.T) {
		c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "--auth-file", users, "0")
		got := rawRequest(t, c.port, "GET /hello.txt HTTP/1.0\r\n\r\n")
		if !strings.HasPrefix(got, "HTTP/1.0 401 Unauthorized\r\n") || !strings.Contains(got, "WWW-Authenticate: Basic realm=") {
			t.Errorf("without credentials: %q, want 401 with a challenge", got)
		}
		if got := rawRequest(t, c.port, "GET /hello.txt HTTP/1.0\r\n"+aliceAuth+"\r\n"); !strings.HasSuffix(got, "\r\n\r\nHello, world!\n") {
			t.Errorf("with credentials: %q, want the file", got)
		}
		if got := rawRequest(t, c.port, "PUT /x HTTP/1.0\r\n"+aliceAuth+"Content-Length: 1\r\n\r\nx"); !strings.HasPrefix(got, "HTTP/1.0 501 ") {
			t.Errorf("PUT without --upload: %q, want 501", got)
		}
		c.interrupt(os.Interrupt)
		if !strings.Contains(c.stderr.String(), `"GET /hello.txt HTTP/1.0" 401 -`) {
			t.Errorf("the 401 is not logged:\n%s", c.stderr.String())
		}
	})
	t.Run("uploads", func(t *testing.T) {
		c := startCLI(t, "-d", dir, "--auth-file", users, "--upload", "-p", "HTTP/1.1", "0")
		if got := rawRequest(t, c.port, "PUT /x.txt HTTP/1.0\r\nContent-Length: 1\r\n\r\nx"); !strings.HasPrefix(got, "HTTP/1.1 401 ") {
			t.Errorf("PUT without credentials: %q, want 401", got)
		}
		got := rawRequest(t, c.port, "PUT /x.txt HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n")
		if !strings.HasPrefix(got, "HTTP/1.1 401 ") {
			t.Errorf("PUT expecting 100 without credentials: %q, want 401 before any 100", got)
		}
		if got := rawRequest(t, c.port, "PUT /x.txt HTTP/1.0\r\n"+aliceAuth+"Content-Length: 1\r\n\r\nx"); !strings.HasPrefix(got, "HTTP/1.1 201 ") {
			t.Errorf("PUT with credentials: %q, want 201", got)
		}
		c.interrupt(os.Interrupt)
		if strings.Contains(c.stderr.String(), "warning") {
			t.Errorf("a warning although --auth-file is set:\n%s", c.stderr.String())
		}
	})
}

// TestUploadWarning: uploads without --auth-file on an address other
// machines can reach get a warning on stderr; the Serving line stays.
func TestUploadWarning(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-d", dir, "--upload", "0")
	want := fmt.Sprintf("httpserver: warning: uploads are on without --auth-file: anyone who can reach http://%s:%d/ can write to %s\n",
		hostOfServing(c.serving), c.port, dir)
	if !strings.HasPrefix(c.stderr.String(), want) {
		t.Errorf("stderr %q, want it to begin %q", c.stderr.String(), want)
	}
	if !servingLine.MatchString(c.serving) {
		t.Errorf("Serving line %q changed", c.serving)
	}
}

// hostOfServing returns the URL host of a Serving line.
func hostOfServing(line string) string {
	return servingLine.FindStringSubmatch(line)[5]
}

func TestUploadFlagErrors(t *testing.T) {
	t.Setenv("COLUMNS", "")
	bad := filepath.Join(t.TempDir(), "bad.htpasswd")
	os.WriteFile(bad, []byte("alice:$apr1$Ks1Rm2xq$PnHCWn3tZhkUULe8PTwB8.\n"), 0o600)
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"bad size", []string{"--upload", "--max-upload-size", "lots"},
			wantUsage + "httpserver: error: argument --max-upload-size: invalid size value: 'lots'\n"},
		{"negative size", []string{"--upload", "--max-upload-size=-1"},
			wantUsage + "httpserver: error: argument --max-upload-size: invalid size value: '-1'\n"},
		{"size without --upload", []string{"--max-upload-size", "1M"},
			wantUsage + "httpserver: error: --max-upload-size requires --upload to be set\n"},
		{"overwrite without --upload", []string{"--allow-overwrite"},
			wantUsage + "httpserver: error: --allow-overwrite requires --upload to be set\n"},
		{"auth file missing", []string{"--auth-file", missing},
			"httpserver: error: argument --auth-file: " + missing + ": no such file or directory\n"},
		{"auth file is a directory", []string{"--auth-file", "/"},
			"httpserver: error: argument --auth-file: /: is a directory\n"},
		{"auth file not bcrypt", []string{"--upload", "--auth-file", bad},
			"httpserver: error: argument --auth-file: " + bad + ":1: password hash is not bcrypt (make it with htpasswd -B)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := serve("httpserver", append(tt.args, "-b", "127.0.0.1", "0"), &stdout, &stderr, nil); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if diff := cmp.Diff(tt.stderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

// TestUploadGigabyteMemory runs the command as a user would and uploads
// 1 GiB to it with PUT and with a multipart POST: the process's peak
// resident memory must stay under 100 MiB, and the files must be whole.
// The throughput is logged (go test -v) beside that of writing the same
// bytes to the same file system directly.
func TestUploadGigabyteMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes 2 GiB")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak resident memory from /proc (Linux)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	const size, limit = 1 << 30, 100 << 20
	bin := filepath.Join(t.TempDir(), "httpserver")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "-b", "127.0.0.1", "-d", dir, "--upload", "0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := servingLine.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("Serving line %q: %v", line, err)
	}
	block := bytes.Repeat([]byte("abcdefghijklmnopqrstuvwxyz012345"), 32<<10) // 1 MiB
	partHead := "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big\"\r\n\r\n"
	const tail = "\r\n--b--\r\n"
	for _, tt := range []struct{ name, head, tail string }{
		{"PUT", "PUT /big HTTP/1.0\r\nContent-Length: " + strconv.Itoa(size) + "\r\n\r\n", ""},
		{"POST", "POST /upload HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " +
			strconv.Itoa(len(partHead)+size+len(tail)) + "\r\n\r\n" + partHead, tail},
	} {
		conn, err := net.Dial("tcp", "127.0.0.1:"+m[3])
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Minute))
		start := time.Now()
		io.WriteString(conn, tt.head)
		if err := writeRepeated(conn, block, size/len(block)); err != nil {
			t.Fatalf("%s: sending: %v", tt.name, err)
		}
		io.WriteString(conn, tt.tail)
		resp, _ := io.ReadAll(conn)
		conn.Close()
		elapsed := time.Since(start)
		if !strings.HasPrefix(string(resp), "HTTP/1.0 201 ") {
			t.Fatalf("%s: response %q, want 201", tt.name, resp)
		}
		fi, err := os.Stat(filepath.Join(dir, "big"))
		if err != nil || fi.Size() != size {
			t.Fatalf("%s: stored %v, %v; want %d bytes", tt.name, fi, err, size)
		}
		os.Remove(filepath.Join(dir, "big"))
		t.Logf("%s of 1 GiB: %.0f MB/s", tt.name, size/elapsed.Seconds()/1e6)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	var peakKiB int64
	for _, l := range strings.Split(string(status), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			peakKiB, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	if peakKiB == 0 || peakKiB<<10 > limit {
		t.Errorf("peak resident memory %d KiB, want under %d MiB", peakKiB, limit>>20)
	}
	t.Logf("peak resident memory of the server: %d KiB", peakKiB)
	// The same bytes written directly, for comparison.
	start := time.Now()
	f, err := os.Create(filepath.Join(dir, "direct"))
	if err != nil {
		t.Fatal(err)
	}
	writeRepeated(f, block, size/len(block))
	f.Sync()
	f.Close()
	t.Logf("direct write of 1 GiB with fsync: %.0f MB/s", size/time.Since(start).Seconds()/1e6)
}

// writeRepeated writes block n times.
func writeRepeated(w io.Writer, block []byte, n int) error {
	for range n {
		if _, err := w.Write(block); err != nil {
			return err
		}
	}
	return nil
}
