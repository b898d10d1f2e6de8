//go:build unix

package httpserver_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExamplesRun builds each program under examples/, starts it on a free
// port, talks to it and stops it with an interrupt, as a user would. It
// is built on Unix only: on Windows os.Process.Signal cannot send an
// interrupt.
func TestExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the examples")
	}
	embedded, err := os.ReadFile("examples/embed/site/index.html") // compiled into examples/embed
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir          string
		method, body string
		wantStatus   string
		wantBody     string
	}{
		{"hello", "GET", "", "200 OK", "Hello, world!"},
		{"custom-method", "SPAM", "eggs", "200 Spam OK", "eggs"},
		{"custom-method", "EGGS", "", "501 Unsupported method ('EGGS')", ""},
		{"embed", "GET", "", "200 OK", string(embedded)},
	}
	binDir := t.TempDir()
	bins := make(map[string]string)
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.method, func(t *testing.T) {
			bin, ok := bins[tt.dir]
			if !ok {
				bin = filepath.Join(binDir, tt.dir)
				build := exec.Command(goTool, "build", "-o", bin, "./examples/"+tt.dir)
				if out, err := build.CombinedOutput(); err != nil {
					t.Fatalf("go build ./examples/%s: %v\n%s", tt.dir, err, out)
				}
				bins[tt.dir] = bin
			}
			ctx, cancel := context.WithTimeout(context.Background(), ioLimit)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			out := bufio.NewReader(stdout)
			line, err := out.ReadString('\n')
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("no startup line: %v", err)
			}
			m := regexp.MustCompile(`^Serving HTTP on 127\.0\.0\.1 port (\d+) \((http://127\.0\.0\.1:(\d+)/)\) \.\.\.\n$`).FindStringSubmatch(line)
			if m == nil || m[1] != m[3] {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("startup line %q", line)
			}
			req, _ := http.NewRequest(tt.method, m[2], strings.NewReader(tt.body))
			resp, err := (&http.Client{Timeout: ioLimit}).Do(req)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.Status != tt.wantStatus || (tt.wantBody != "" && string(body) != tt.wantBody) {
					t.Errorf("%s: %s %q, want %s %q", tt.method, resp.Status, body, tt.wantStatus, tt.wantBody)
				}
			} else {
				t.Errorf("%s: %v", tt.method, err)
			}
			cmd.Process.Signal(os.Interrupt)
			rest, _ := io.ReadAll(out)
			if err := cmd.Wait(); err != nil {
				t.Errorf("after an interrupt: %v", err)
			}
			if string(rest) != "\nKeyboard interrupt received, exiting.\n" {
				t.Errorf("output after the interrupt: %q", rest)
			}
		})
	}
}
