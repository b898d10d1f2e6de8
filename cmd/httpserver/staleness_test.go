//go:build linux

package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stalenessMinAge is how long the library waits before it keeps a file's
// descriptor or a directory's listing (snapshotMinAge), plus a margin.
const stalenessMinAge = 5*time.Second + 200*time.Millisecond

// served is what one server answered: the status and the body.
type served struct {
	status int
	body   string
}

func (s served) String() string { return fmt.Sprintf("%d %.200q", s.status, s.body) }

// TestStaleness changes files and directories in the ways that once made
// the CLI serve stale bytes (issue 11) and checks that every request gets
// what is on disk at that moment. The tree is older than the library's
// minimum age, so its descriptors and listings are kept, and the requests
// go over kept-alive connections (-p HTTP/1.1), so a connection's kept
// file is used again. The servers run as nobody when the test runs as
// root, so that a chmod matters. With HTTPSERVER_ORACLE (the CPython
// 3.15.2 oracle's server.py, see ../../testdata/README.md), CPython serves
// the same tree alongside and must answer every step the same.
func TestStaleness(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the tree to age")
	}
	root := stalenessTree(t)
	cred := nobody(t)
	bin := filepath.Join(root, "bin", "httpserver")
	buildCLI(t, bin)
	site := filepath.Join(root, "site")

	// A page written through a shared mapping: the first write dirties
	// the page and moves the times; later ones to the dirty page do not.
	mapped, err := os.OpenFile(filepath.Join(site, "mapped.txt"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer mapped.Close()
	mem, err := syscall.Mmap(int(mapped.Fd()), 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	copy(mem, "mapped 1")

	ours := startProcess(t, cred, bin, "-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", site, "0")
	var python string
	if oracle := os.Getenv("HTTPSERVER_ORACLE"); oracle != "" {
		python = startProcess(t, cred, pythonFor(t, cred), "-u", oracle, "-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", site, "0")
	}
	time.Sleep(time.Until(treeTime.Add(stalenessMinAge)))

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	t.Cleanup(client.CloseIdleConnections)
	fetch := func(base, path string) served {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s%s: %v", base, path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s%s: %v", base, path, err)
		}
		return served{resp.StatusCode, string(b)}
	}
	type step struct {
		name, path string
		check      func(served) bool // what the answer must be
	}
	var steps []step
	var gotOurs, gotPython []served
	// ask sends the request of a step to both servers, ours first, and
	// checks our answer.
	ask := func(name, path string, check func(served) bool) {
		t.Helper()
		got := fetch(ours, path)
		if !check(got) {
			t.Errorf("%s: GET %s = %s", name, path, got)
		}
		steps = append(steps, step{name, path, check})
		gotOurs = append(gotOurs, got)
		if python != "" {
			gotPython = append(gotPython, fetch(python, path))
		}
	}
	body := func(want string) func(served) bool {
		return func(s served) bool { return s.status == 200 && s.body == want }
	}
	contains := func(want string, yes bool) func(served) bool {
		return func(s served) bool { return s.status == 200 && strings.Contains(s.body, want) == yes }
	}
	status := func(want int) func(served) bool { return func(s served) bool { return s.status == want } }

	ask("mapped, first", "/mapped.txt", body("mapped 1"+strings.Repeat("\x00", 4088)))
	copy(mem, "mapped 2")
	ask("mapped, written again", "/mapped.txt", body("mapped 2"+strings.Repeat("\x00", 4088)))

	ask("same size, first", "/same.txt", body("version 1\n"))
	fi, _ := os.Stat(filepath.Join(site, "same.txt"))
	writeFile(t, filepath.Join(site, "same.txt"), "version 2\n")
	os.Chtimes(filepath.Join(site, "same.txt"), fi.ModTime(), fi.ModTime())
	ask("same size, mtime restored", "/same.txt", body("version 2\n"))

	ask("rename over, first", "/renamed.txt", body("old\n"))
	writeFile(t, filepath.Join(site, "renamed.tmp"), "new\n")
	os.Rename(filepath.Join(site, "renamed.tmp"), filepath.Join(site, "renamed.txt"))
	ask("rename over", "/renamed.txt", body("new\n"))

	ask("delete, first", "/deleted.txt", body("here\n"))
	os.Remove(filepath.Join(site, "deleted.txt"))
	ask("deleted", "/deleted.txt", status(404))

	ask("chmod, first", "/private.txt", body("private\n"))
	os.Chmod(filepath.Join(site, "private.txt"), 0)
	ask("chmod 000", "/private.txt", status(404))
	os.Chmod(filepath.Join(site, "private.txt"), 0o644)
	ask("chmod back", "/private.txt", body("private\n"))

	ask("listing, first", "/dir/", contains("one.txt", true))
	dirInfo, _ := os.Stat(filepath.Join(site, "dir"))
	writeFile(t, filepath.Join(site, "dir", "two.txt"), "")
	os.Chtimes(filepath.Join(site, "dir"), dirInfo.ModTime(), dirInfo.ModTime())
	ask("listing, entry added, mtime restored", "/dir/", contains("two.txt", true))
	os.Chmod(filepath.Join(site, "dir"), 0)
	ask("listing, chmod 000", "/dir/", status(404))
	os.Chmod(filepath.Join(site, "dir"), 0o755)

	ask("link to a directory", "/links/", contains(`<a href="link/">link@</a>`, true))
	os.RemoveAll(filepath.Join(site, "target"))
	writeFile(t, filepath.Join(site, "target"), "")
	ask("link's target now a file", "/links/", contains(`<a href="link">link@</a>`, true))

	// /proc never changes its times: its listing must show the
	// processes of the moment.
	ask("/proc, first", "/proc/", status(200))
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	pid := `<a href="` + strconv.Itoa(sleeper.Process.Pid) + `/">`
	ask("/proc, process started", "/proc/", contains(pid, true))
	sleeper.Process.Kill()
	sleeper.Wait()
	ask("/proc, process ended", "/proc/", contains(pid, false))

	t.Run("same as CPython", func(t *testing.T) {
		if python == "" {
			t.Skip("HTTPSERVER_ORACLE is not set (bash ../shared/oracle/setup.sh builds the oracle; it needs Debian's package archive): the answers were checked against the expected ones only")
		}
		for i, s := range steps {
			if !s.check(gotPython[i]) {
				t.Errorf("%s: CPython answered GET %s with %s", s.name, s.path, gotPython[i])
			}
			if s.path != "/proc/" && (gotPython[i].status != gotOurs[i].status || gotPython[i].body != gotOurs[i].body) {
				t.Errorf("%s: GET %s: CPython %s, ours %s", s.name, s.path, gotPython[i], gotOurs[i])
			}
		}
	})
}

// treeTime is when stalenessTree last wrote the tree.
var treeTime time.Time

// stalenessTree makes the tree TestStaleness serves, readable by anyone:
// site/ and bin/ under a directory on tmpfs (/dev/shm, on the library's
// allow-list) where there is one, else under the test's directory.
func stalenessTree(t *testing.T) string {
	t.Helper()
	root, err := os.MkdirTemp("/dev/shm", "httpserver-staleness-")
	if err != nil {
		root = t.TempDir()
	} else {
		t.Cleanup(func() { os.RemoveAll(root) })
	}
	for d := root; d != "/" && d != "."; d = filepath.Dir(d) {
		if d == os.TempDir() {
			break
		}
		os.Chmod(d, 0o755)
	}
	site := filepath.Join(root, "site")
	for _, d := range []string{"bin", "site/dir", "site/links", "site/target"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		"mapped.txt":   strings.Repeat("\x00", 4096),
		"same.txt":     "version 1\n",
		"renamed.txt":  "old\n",
		"deleted.txt":  "here\n",
		"private.txt":  "private\n",
		"dir/one.txt":  "",
		"links/a.txt":  "",
		"target/x.txt": "",
	} {
		writeFile(t, filepath.Join(site, name), content)
	}
	for link, target := range map[string]string{"links/link": "../target", "proc": "/proc"} {
		if err := os.Symlink(target, filepath.Join(site, link)); err != nil {
			t.Fatal(err)
		}
	}
	treeTime = time.Now()
	return root
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// nobody returns the credential to run the servers with: nobody's when
// the test runs as root (root reads any file, so a chmod would not
// matter), else none.
func nobody(t *testing.T) *syscall.Credential {
	if os.Geteuid() != 0 {
		return nil
	}
	return &syscall.Credential{Uid: 65534, Gid: 65534, NoSetGroups: true}
}

// pythonFor returns a python3 that cred can run.
func pythonFor(t *testing.T, cred *syscall.Credential) string {
	t.Helper()
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range append(candidates, "/usr/bin/python3") {
		cmd := exec.Command(p, "-c", "pass")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if cmd.Run() == nil {
			return p
		}
	}
	t.Fatal("HTTPSERVER_ORACLE is set, but no python3 runs as the servers' user")
	return ""
}

var servingPort = regexp.MustCompile(` port (\d+) `)

// startProcess runs a server command as cred until the test ends and
// returns its base URL, read from its "Serving HTTP on ... port N" line.
func startProcess(t *testing.T, cred *syscall.Credential, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		m := servingPort.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("%s did not start: %q", name, line)
		}
		return "http://127.0.0.1:" + m[1]
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed no Serving line within 10s", name)
	}
	return ""
}
