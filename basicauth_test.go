package httpserver_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpserver-go/httpserver"
	"golang.org/x/crypto/bcrypt"
)

// private is a SimpleHandler behind Basic authentication, as the package
// documentation shows: Authorize first in Do, for every method.
type private struct {
	httpserver.SimpleHandler
	auth *httpserver.BasicAuth
}

func (p *private) Do(command string) bool {
	if _, ok := p.auth.Authorize(p); !ok {
		return true
	}
	return p.SimpleHandler.Do(command)
}

// htpasswdFile writes lines to a new htpasswd file and returns its path.
func htpasswdFile(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.htpasswd")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// bcryptLine returns an htpasswd line for user with a bcrypt hash of
// password at the lowest cost.
func bcryptLine(t *testing.T, user, password string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return user + ":" + string(hash)
}

func basic(user, password string) string {
	return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)) + "\r\n"
}

// servePrivate serves dir behind the users of the htpasswd file at path.
func servePrivate(t *testing.T, path, realm string) (*testServer, string) {
	t.Helper()
	auth, err := httpserver.ReadHtpasswd(path)
	if err != nil {
		t.Fatal(err)
	}
	auth.Realm = realm
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"secret.txt": "the secret\n"})
	return serve(t, func() httpserver.Handler {
		return &private{SimpleHandler: httpserver.SimpleHandler{Directory: dir}, auth: auth}
	}), dir
}

func TestBasicAuth(t *testing.T) {
	path := htpasswdFile(t, "# users", bcryptLine(t, "alice", "wonder land"), "", bcryptLine(t, "bob", "builder:yes"))
	ts, _ := servePrivate(t, path, `files "one"`)
	const challenge = `WWW-Authenticate: Basic realm="files \"one\"", charset="UTF-8"` + "\r\n"
	tests := []struct {
		name, req string
		want      []string // in the response, in order
		log       string   // in the log
		notLog    string
	}{
		{"no credentials", "GET /secret.txt HTTP/1.0\r\n\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n", "Connection: close\r\n", challenge, "Content-Type: text/html;charset=utf-8\r\n",
				"<p>Error code: 401</p>", "<p>Message: Unauthorized.</p>"},
			`"GET /secret.txt HTTP/1.0" 401 -`, "Authentication failed"},
		{"right password", "GET /secret.txt HTTP/1.0\r\n" + basic("alice", "wonder land") + "\r\n",
			[]string{"HTTP/1.0 200 OK\r\n", "\r\n\r\nthe secret\n"}, `"GET /secret.txt HTTP/1.0" 200 -`, ""},
		{"password with a colon", "GET /secret.txt HTTP/1.0\r\n" + basic("bob", "builder:yes") + "\r\n",
			[]string{"HTTP/1.0 200 OK\r\n"}, "", ""},
		{"scheme in lower case", "GET /secret.txt HTTP/1.0\r\nAuthorization: basic " + base64.StdEncoding.EncodeToString([]byte("alice:wonder land")) + "\r\n\r\n",
			[]string{"HTTP/1.0 200 OK\r\n"}, "", ""},
		{"wrong password", "GET /secret.txt HTTP/1.0\r\n" + basic("alice", "wonderland") + "\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n", challenge}, "Authentication failed for user 'alice'", ""},
		{"unknown user", "GET /secret.txt HTTP/1.0\r\n" + basic("mallory", "wonder land") + "\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, "Authentication failed for user 'mallory'", ""},
		{"user name escaped in the log", "GET / HTTP/1.0\r\n" + basic("ev\x1b[2Jil\nnext", "x") + "\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, `Authentication failed for user 'ev\\x1b[2Jil\\nnext'`, "\x1b"},
		{"not base64", "GET / HTTP/1.0\r\nAuthorization: Basic %%%\r\n\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, "", "Authentication failed"},
		{"two Authorization headers", "GET / HTTP/1.0\r\n" + basic("alice", "wonder land") + basic("alice", "wonder land") + "\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, "", ""},
		{"other scheme", "GET / HTTP/1.0\r\nAuthorization: Bearer abc\r\n\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, "", "Authentication failed"},
		{"unknown method without credentials", "SPAM / HTTP/1.0\r\n\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n"}, "", "Unsupported method"},
		{"unknown method with credentials", "SPAM / HTTP/1.0\r\n" + basic("alice", "wonder land") + "\r\n",
			[]string{"HTTP/1.0 501 Unsupported method ('SPAM')\r\n"}, "", ""},
		{"HEAD without credentials", "HEAD /secret.txt HTTP/1.0\r\n\r\n",
			[]string{"HTTP/1.0 401 Unauthorized\r\n", challenge}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialRaw(t, ts.addr)
			c.send(tt.req)
			got, _ := c.readAll()
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("response lacks %q (after what came before):\n%s", w, got)
					break
				}
				rest = rest[i+len(w):]
			}
			if strings.HasPrefix(tt.req, "HEAD") && strings.Contains(got, "<p>") {
				t.Errorf("HEAD got a body:\n%s", got)
			}
		})
	}
	logs := ts.stop()
	for _, tt := range tests {
		if tt.log != "" && !strings.Contains(logs, tt.log) {
			t.Errorf("%s: the log lacks %q:\n%s", tt.name, tt.log, logs)
		}
	}
	if strings.Contains(logs, "\x1b") {
		t.Errorf("a raw escape byte reached the log:\n%q", logs)
	}
	if n := strings.Count(logs, "Authentication failed"); n != 3 {
		t.Errorf("%d failed attempts logged, want 3 (wrong password, unknown user, escaped name):\n%s", n, logs)
	}
}

// guessServer serves a secret behind alice (password "right") with
// GuessInterval set to interval, and returns it with a function that
// sends one GET with the given credentials on a new connection and
// returns the response's status line and the whole response.
func guessServer(t *testing.T, interval time.Duration) (ts *testServer, get func(user, password string) (status, resp string)) {
	t.Helper()
	auth, err := httpserver.ReadHtpasswd(htpasswdFile(t, bcryptLine(t, "alice", "right")))
	if err != nil {
		t.Fatal(err)
	}
	auth.GuessInterval = interval
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"secret.txt": "the secret\n"})
	ts = serve(t, func() httpserver.Handler {
		return &private{SimpleHandler: httpserver.SimpleHandler{Directory: dir}, auth: auth}
	})
	return ts, func(user, password string) (string, string) {
		c, err := net.DialTimeout("tcp", ts.addr, ioLimit)
		if err != nil {
			return "dial: " + err.Error(), ""
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(ioLimit))
		io.WriteString(c, "GET /secret.txt HTTP/1.0\r\n"+basic(user, password)+"\r\n")
		b, err := io.ReadAll(c)
		if err != nil {
			return "read: " + err.Error(), string(b)
		}
		status, _, _ := strings.Cut(string(b), "\r\n")
		return status, string(b)
	}
}

// TestBasicAuthSlowsGuessing guesses alice's password from one address:
// five wrong guesses are answered at once, the next ones an interval
// apart, and a burst of guesses beyond ten intervals gets 429 with
// Retry-After, without a check (nothing logged for it), while a browser
// already signed in from the same address is served at once.
func TestBasicAuthSlowsGuessing(t *testing.T) {
	const interval = 250 * time.Millisecond
	ts, get := guessServer(t, interval)
	if status, resp := get("alice", "right"); status != "HTTP/1.0 200 OK" {
		t.Fatalf("the right password: %q", resp)
	}
	for i := range 5 {
		if status, _ := get("alice", fmt.Sprint("guess", i)); status != "HTTP/1.0 401 Unauthorized" {
			t.Fatalf("guess %d: %s, want 401", i+1, status)
		}
	}
	start := time.Now()
	for i := range 3 {
		if status, _ := get("alice", fmt.Sprint("slow guess", i)); status != "HTTP/1.0 401 Unauthorized" {
			t.Fatalf("guess %d: %s, want 401", i+6, status)
		}
	}
	if took := time.Since(start); took < 2*interval {
		t.Errorf("guesses 6-8 took %v, want at least two intervals (%v): not slowed", took, 2*interval)
	}

	// A burst: at most ten intervals of it wait their turn.
	const burst = 40
	responses := make([]string, burst)
	var wg sync.WaitGroup
	var once sync.Once
	refused := make(chan struct{})
	for i := range burst {
		wg.Go(func() {
			status, resp := get("alice", fmt.Sprint("burst", i))
			responses[i] = resp
			if status == "HTTP/1.0 429 Too Many Requests" {
				once.Do(func() { close(refused) })
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-refused:
		start := time.Now()
		status, _ := get("alice", "right")
		if took := time.Since(start); status != "HTTP/1.0 200 OK" || took > 4*interval {
			t.Errorf("signed in, during the burst: %s after %v, want 200 at once", status, took)
		}
	case <-done:
	}
	<-done
	var unauthorized, tooMany int
	retryAfter := regexp.MustCompile("\r\nRetry-After: ([1-9][0-9]*)\r\n")
	for i, resp := range responses {
		switch status, _, _ := strings.Cut(resp, "\r\n"); status {
		case "HTTP/1.0 401 Unauthorized":
			unauthorized++
		case "HTTP/1.0 429 Too Many Requests":
			tooMany++
			if !retryAfter.MatchString(resp) || !strings.Contains(resp, "<p>Error code: 429</p>") {
				t.Errorf("burst %d: a 429 without Retry-After or error page:\n%s", i, resp)
			}
		default:
			t.Errorf("burst %d: %q", i, resp)
		}
	}
	t.Logf("the burst: %d answered 401, %d 429", unauthorized, tooMany)
	if tooMany == 0 {
		t.Errorf("%d guesses at once all waited their turn: no 429", burst)
	}
	logs := ts.stop()
	if n, want := strings.Count(logs, "Authentication failed for user 'alice'"), 8+unauthorized; n != want {
		t.Errorf("%d failed checks logged, want %d (a refused guess is not checked)", n, want)
	}
	if n := strings.Count(logs, `"GET /secret.txt HTTP/1.0" 429 -`); n != tooMany {
		t.Errorf("%d requests logged with 429, want %d", n, tooMany)
	}
}

// TestBasicAuthGuessIntervalOff turns the throttle off: a burst of
// guesses is checked at once, every one answered 401.
func TestBasicAuthGuessIntervalOff(t *testing.T) {
	_, get := guessServer(t, -1)
	var wg sync.WaitGroup
	statuses := make([]string, 20)
	for i := range statuses {
		wg.Go(func() { statuses[i], _ = get("alice", fmt.Sprint("guess", i)) })
	}
	wg.Wait()
	for i, status := range statuses {
		if status != "HTTP/1.0 401 Unauthorized" {
			t.Errorf("guess %d: %s, want 401", i+1, status)
		}
	}
}

// TestBasicAuthHtpasswdTool reads a file written by Apache's htpasswd -B.
func TestBasicAuthHtpasswdTool(t *testing.T) {
	tool, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skip("htpasswd (Debian's apache2-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "users")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"-B", "-b", "-c", path, "alice", "pä$$ wörd"},
		{"-B", "-C", "4", "-b", path, "bob", "x"},
	} {
		if out, err := exec.CommandContext(ctx, tool, args...).CombinedOutput(); err != nil {
			t.Fatalf("htpasswd %v: %v\n%s", args, err, out)
		}
	}
	ts, _ := servePrivate(t, path, "")
	for _, tt := range []struct{ user, password, want string }{
		{"alice", "pä$$ wörd", "HTTP/1.0 200 OK\r\n"},
		{"bob", "x", "HTTP/1.0 200 OK\r\n"},
		{"alice", "x", "HTTP/1.0 401 Unauthorized\r\n"},
	} {
		c := dialRaw(t, ts.addr)
		c.send("GET /secret.txt HTTP/1.0\r\n" + basic(tt.user, tt.password) + "\r\n")
		got, _ := c.readAll()
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s with %q: got %q, want %q", tt.user, tt.password, got, tt.want)
		}
		if strings.HasPrefix(got, "HTTP/1.0 401") && !strings.Contains(got, `WWW-Authenticate: Basic realm="httpserver", charset="UTF-8"`+"\r\n") {
			t.Errorf("401 without the default realm:\n%s", got)
		}
	}
}

func TestReadHtpasswdErrors(t *testing.T) {
	good := bcryptLine(t, "alice", "x")
	tests := []struct {
		name  string
		lines []string // nil: no file at all
		is    error
		where string // what the message names after the path
	}{
		{"missing file", nil, fs.ErrNotExist, ": no such file or directory"},
		{"empty", []string{""}, httpserver.ErrNoUsers, ": no users"},
		{"comments only", []string{"# nobody"}, httpserver.ErrNoUsers, ": no users"},
		{"no colon", []string{good, "bob"}, httpserver.ErrHtpasswdSyntax, ":2: malformed htpasswd line"},
		{"no user", []string{":" + strings.SplitN(good, ":", 2)[1]}, httpserver.ErrHtpasswdSyntax, ":1: malformed"},
		{"user twice", []string{good, good}, httpserver.ErrHtpasswdSyntax, ":2: malformed htpasswd line: user 'alice' listed again"},
		{"Apache MD5", []string{good, "bob:$apr1$Ks1Rm2xq$PnHCWn3tZhkUULe8PTwB8."}, httpserver.ErrUnsupportedHash, ":2: password hash is not bcrypt"},
		{"SHA-1", []string{"bob:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="}, httpserver.ErrUnsupportedHash, ":1: password hash is not bcrypt"},
		{"plain text", []string{"bob:secret"}, httpserver.ErrUnsupportedHash, ":1:"},
		{"broken bcrypt", []string{"bob:$2y$05$tooshort"}, httpserver.ErrHtpasswdSyntax, ":1: malformed htpasswd line: bad bcrypt hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing")
			if tt.lines != nil {
				path = htpasswdFile(t, tt.lines...)
			}
			_, err := httpserver.ReadHtpasswd(path)
			var he *httpserver.HtpasswdError
			if !errors.As(err, &he) || he.Path != path {
				t.Fatalf("error %v (%T), want an *HtpasswdError for %s", err, err, path)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %v does not match %v", err, tt.is)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "httpserver: "+path+tt.where) {
				t.Errorf("message %q, want it to begin %q", msg, "httpserver: "+path+tt.where)
			}
		})
	}
}
