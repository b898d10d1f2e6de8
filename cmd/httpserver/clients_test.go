//go:build unix

package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
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

// Range and validators with clients nobody here wrote: Go's net/http
// client, curl resuming a download, and Chromium seeking in a video.

// TestNetHTTPClientRangeAndETag: net/http's client gets a range, then
// revalidates with If-None-Match and gets 304.
func TestNetHTTPClientRangeAndETag(t *testing.T) {
	dir := siteDir(t)
	c := startCLI(t, "-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0")
	client := &http.Client{}
	t.Cleanup(client.CloseIdleConnections)
	resp, body := get(t, client, c.url("/hello.txt"), "Range", "bytes=7-11")
	if resp.StatusCode != 206 || body != "world" || resp.Header.Get("Content-Range") != "bytes 7-11/14" {
		t.Errorf("Range: %d %q, Content-Range %q", resp.StatusCode, body, resp.Header.Get("Content-Range"))
	}
	etag := resp.Header.Get("ETag")
	if resp.Header.Get("Accept-Ranges") != "bytes" || !strings.HasPrefix(etag, `"`) {
		t.Errorf("Accept-Ranges %q, ETag %q", resp.Header.Get("Accept-Ranges"), etag)
	}
	resp, body = get(t, client, c.url("/hello.txt"), "If-None-Match", etag)
	if resp.StatusCode != 304 || body != "" || resp.Header.Get("ETag") != etag {
		t.Errorf("If-None-Match: %d %q, ETag %q", resp.StatusCode, body, resp.Header.Get("ETag"))
	}
}

// TestCurlResume: curl -C - finishes a half-downloaded file, and only the
// missing half crosses the wire.
func TestCurlResume(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "big.bin")
	const have = 300000
	if err := os.WriteFile(out, data[:have], 0o644); err != nil {
		t.Fatal(err)
	}
	c := startCLI(t, "-b", "127.0.0.1", "-d", dir, "0")
	got, err := exec.Command(curl, "-s", "-S", "-C", "-", "-o", out, "-w", "%{http_code} %{size_download}", c.url("/big.bin")).CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, got)
	}
	if want := "206 " + strconv.Itoa(len(data)-have); string(got) != want {
		t.Errorf("curl reports %q, want %q (status, bytes downloaded)", got, want)
	}
	if resumed, _ := os.ReadFile(out); !bytes.Equal(resumed, data) {
		t.Errorf("the resumed file (%d bytes) is not the served one", len(resumed))
	}
	if log := c.stderr.String(); !strings.Contains(log, `"GET /big.bin HTTP/1.1" 206 -`) {
		t.Errorf("log lacks the 206:\n%s", log)
	}
}

// seekPage plays testdata/clip.webm (60 s, 16x16, a key frame each
// second) muted, seeks to 45 s once it can play, and reports the
// duration, the end of the seekable range and where the seek landed by
// requesting /report?..., which the server logs.
const seekPage = `<!DOCTYPE html>
<video id="v" muted preload="auto" src="clip.webm"></video>
<script>
const v = document.getElementById("v");
function report(q) { fetch("/report?" + q).catch(() => {}); }
v.addEventListener("error", () => report("error=" + (v.error && v.error.code)));
v.addEventListener("canplay", () => {
  const s = v.seekable;
  const end = s.length ? s.end(s.length - 1) : -1;
  v.addEventListener("seeked", () => report("duration=" + v.duration + "&seekable=" + end + "&time=" + v.currentTime), {once: true});
  v.currentTime = 45;
}, {once: true});
</script>
`

// stopGroup kills the process group cmd leads, waits until none of it is
// left (up to 10 s), and removes the profile directory they wrote to.
func stopGroup(cmd *exec.Cmd, profile string) {
	pgid := cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGKILL)
	cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if syscall.Kill(-pgid, 0) != nil {
			break
		}
	}
	os.RemoveAll(profile)
}

var reportLine = regexp.MustCompile(`"GET /report\?(\S*) HTTP`)

// TestChromiumSeeksVideo: Chromium plays a video from the CLI, finds it
// seekable over its whole duration, and a seek to 45 s lands there. With
// --files-as-cpython (no Range) the same page cannot seek, which shows
// the test can tell.
func TestChromiumSeeksVideo(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("Chromium is not installed (Debian's chromium package; .ci/run installs it)")
	}
	clip, err := os.ReadFile(filepath.Join("testdata", "clip.webm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		flags    []string
		seekable float64
		time     float64
	}{
		{nil, 60, 45},
		{[]string{"--files-as-cpython"}, 0, 0},
	} {
		name := "default"
		if tt.flags != nil {
			name = strings.Join(tt.flags, " ")
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "clip.webm"), clip, 0o644)
			os.WriteFile(filepath.Join(dir, "seek.html"), []byte(seekPage), 0o644)
			c := startCLI(t, append([]string{"-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir}, append(tt.flags, "0")...)...)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			profile, err := os.MkdirTemp("", "chromium-profile-")
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--mute-audio",
				"--no-first-run", "--user-data-dir="+profile, "--autoplay-policy=no-user-gesture-required", c.url("/seek.html"))
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers too, to stop them all
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer stopGroup(cmd, profile)
			var report url.Values
			for report == nil {
				if m := reportLine.FindStringSubmatch(c.stderr.String()); m != nil {
					report, _ = url.ParseQuery(m[1])
					break
				}
				if ctx.Err() != nil {
					t.Fatalf("no report from the page within 60 s; log:\n%s", c.stderr.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("page reports %v", report)
			num := func(k string) float64 { f, _ := strconv.ParseFloat(report.Get(k), 64); return f }
			if report.Has("error") || num("duration") != 60 || num("seekable") != tt.seekable || num("time") != tt.time {
				t.Errorf("page reports %v; want duration 60, seekable to %v, seek landing at %v", report, tt.seekable, tt.time)
			}
		})
	}
}
