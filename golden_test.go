package httpserver_test

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	update = flag.Bool("update", false,
		"rewrite the golden files under testdata/ from this package's server")
	oracleDir = flag.String("oracle", "",
		"directory of the CPython 3.15.2 oracle (as /tmp/oracle315): check the golden files against Python instead of testing this package (needs python3)")
)

// transcript is what a golden file holds for one raw exchange: the bytes the
// server sent, with the Date value masked; how it left the connection; and
// the lines it logged, with the timestamps masked.
//
// The file reads
//
//	-- response --
//	<the response bytes>
//	-- connection closed --
//	-- log --
//	<the log lines>
//
// where "closed" may also be "open" (the server waits for another
// request).
type transcript struct {
	response string
	end      ending
	log      string
}

const (
	responseMark = "-- response --\n"
	endMark      = "\n-- connection "
	logMark      = " --\n-- log --\n"
)

func (tr transcript) encode() []byte {
	return []byte(responseMark + tr.response + endMark + string(tr.end) + logMark + tr.log)
}

func decodeTranscript(b []byte) (transcript, error) {
	s := string(b)
	if !strings.HasPrefix(s, responseMark) {
		return transcript{}, errors.New("no " + strings.TrimSpace(responseMark) + " line")
	}
	i := strings.LastIndex(s, endMark)
	if i < 0 {
		return transcript{}, errors.New("no -- connection line")
	}
	end, log, ok := strings.Cut(s[i+len(endMark):], logMark)
	if !ok {
		return transcript{}, errors.New("no -- log line")
	}
	return transcript{response: s[len(responseMark):i], end: ending(end), log: log}, nil
}

// maskedDate replaces a Date value; it has the length of a real one, so the
// length of a masked response is the length on the wire.
const maskedDate = "Www, DD Mmm YYYY hh:mm:ss GMT"

var (
	dateHeader   = regexp.MustCompile(`\r\nDate: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n`)
	logTimestamp = regexp.MustCompile(`(?m)^(\S* - - )\[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\]`)
)

// maskDate masks the value of every Date header that has the IMF-fixdate
// form; any other Date stays as it is and fails the comparison.
func maskDate(s string) string {
	return dateHeader.ReplaceAllLiteralString(s, "\r\nDate: "+maskedDate+"\r\n")
}

// maskLog masks the timestamp of every log line that has Python's
// log_date_time_string form.
func maskLog(s string) string {
	return logTimestamp.ReplaceAllString(s, "${1}[DD/Mon/YYYY hh:mm:ss]")
}

// rawCase is a request sent as raw bytes in one write.
type rawCase struct {
	name string
	req  string
	// halfClose half-closes the connection after sending, for requests
	// that are complete only at end of input.
	halfClose bool
}

// exchange sends c.req to addr and reads the response. With a golden
// transcript it reads what the golden says to expect: up to the close, or
// for a connection left open exactly the golden's length and then a short
// silence. Without one (recording), it reads until the server closes or
// goes quiet.
func exchange(t *testing.T, addr string, c rawCase, want *transcript) (string, ending) {
	t.Helper()
	conn := dialRaw(t, addr)
	conn.send(c.req)
	if c.halfClose {
		conn.closeWrite()
	}
	var got string
	var end ending
	switch {
	case want == nil:
		got, end = conn.readUntilIdle()
	case want.end == endOpen:
		got, end = conn.readN(len(want.response))
		if end == endOpen {
			var extra string
			extra, end = conn.quiet()
			got += extra
		}
	default:
		got, end = conn.readAll()
	}
	conn.nc.Close()
	return maskDate(got), end
}

// goldenPath is the golden file of case name in testdata/dir.
func goldenPath(dir, name string) string {
	return filepath.Join("testdata", dir, name+".golden")
}

// readGolden returns the golden transcript at path, or nil when recording.
func readGolden(t *testing.T, path string) *transcript {
	t.Helper()
	if *update {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to record)", err)
	}
	tr, err := decodeTranscript(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &tr
}

// checkGolden compares got with the golden transcript want, or records got
// when want is nil.
func checkGolden(t *testing.T, path string, want *transcript, got transcript) {
	t.Helper()
	if want == nil {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want.response, got.response); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
	if got.end != want.end {
		t.Errorf("connection %s, want %s", got.end, want.end)
	}
	if diff := cmp.Diff(want.log, got.log); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
}

// oracle is the Python twin of a golden test's handler
// (testdata/oracle/basehandler.py) running on the CPython 3.15.2 oracle.
type oracle struct {
	addr  string
	lines chan string // its stderr, line by line
}

// startOracle runs testdata/oracle/basehandler.py for config on the oracle
// in *oracleDir and returns it once it listens. The process is killed at
// the end of the test.
func startOracle(t *testing.T, config string) *oracle {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("-oracle needs python3")
	}
	cmd := exec.Command(python, "-u", filepath.Join("testdata", "oracle", "basehandler.py"), *oracleDir, config)
	cmd.Env = append(os.Environ(), "PYTHON_COLORS=0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		cmd.Process.Kill()
		wg.Wait()
		cmd.Wait()
	})
	o := &oracle{lines: make(chan string, 1000)}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(o.lines)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20) // log lines hold request lines of 64 KiB
		for sc.Scan() {
			o.lines <- sc.Text() + "\n"
		}
	}()
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("oracle for %s did not start: %v", config, err)
	}
	o.addr = "127.0.0.1:" + strings.TrimSpace(port)
	return o
}

// logSince returns what the oracle logged since the last call: it sends a
// MARK request, whose do-method writes a mark line to stderr, and collects
// the lines before the mark.
func (o *oracle) logSince(t *testing.T) string {
	t.Helper()
	conn := dialRaw(t, o.addr)
	conn.send("MARK / HTTP/1.0\r\n\r\n")
	conn.readAll()
	var log strings.Builder
	timeout := time.After(ioLimit)
	for {
		select {
		case l, ok := <-o.lines:
			if !ok {
				t.Fatal("the oracle exited")
			}
			if l == "<<mark>>\n" {
				return log.String()
			}
			log.WriteString(l)
		case <-timeout:
			t.Fatal("no mark line from the oracle")
		}
	}
}

// runGolden runs cases against the server at addr (or, with -oracle,
// against the Python oracle for config instead) and compares each with its
// golden file in testdata/dir. logs returns what the server logged for
// the case just run.
func runGolden(t *testing.T, dir, config string, cases []rawCase, start func(t *testing.T) (addr string, logs func() string)) {
	if *oracleDir != "" {
		if *update {
			t.Fatal("-update and -oracle do not mix: goldens are recorded from this package")
		}
		o := startOracle(t, config)
		o.logSince(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				want := readGolden(t, goldenPath(dir, c.name))
				got, end := exchange(t, o.addr, c, want)
				if end == endReset && want.end == endClosed {
					// Python closes with unread request bytes, which
					// resets the connection; the bytes compare, which
					// is what matters (the reset itself is Python's flaw).
					t.Logf("Python reset the connection after its response")
					end = endClosed
				}
				checkGolden(t, "", want, transcript{got, end, maskLog(o.logSince(t))})
			})
		}
		return
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			path := goldenPath(dir, c.name)
			want := readGolden(t, path)
			addr, logs := start(t)
			got, end := exchange(t, addr, c, want)
			checkGolden(t, path, want, transcript{got, end, maskLog(logs())})
		})
	}
}

// caseNames returns the cases of all whose names are listed, in the
// listed order; it panics on an unknown name.
func caseNames(all []rawCase, names ...string) []rawCase {
	byName := make(map[string]rawCase, len(all))
	for _, c := range all {
		byName[c.name] = c
	}
	out := make([]rawCase, 0, len(names))
	for _, n := range names {
		c, ok := byName[n]
		if !ok {
			panic(fmt.Sprintf("no raw case %q", n))
		}
		out = append(out, c)
	}
	return out
}
