package httpserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// browser is a headless Chromium driven over the DevTools protocol.
type browser struct {
	t     *testing.T
	ws    *websocket.Conn
	close func() // ends Chromium and its connections
	mu    sync.Mutex
	next  int
	wait  map[int]chan json.RawMessage
}

// startBrowser starts Chromium, or skips the test where it is not
// installed, and connects to its page.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("chromium is not installed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir="+t.TempDir(), "about:blank")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	quit := sync.OnceFunc(func() { cancel(); cmd.Wait() })
	t.Cleanup(quit)
	listening := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), "DevTools listening on "); ok {
				listening <- rest
			}
		}
	}()
	var browserURL string
	select {
	case browserURL = <-listening:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not start its DevTools server within 30 s")
	}
	host := strings.SplitN(strings.TrimPrefix(browserURL, "ws://"), "/", 2)[0]
	resp, err := http.Get("http://" + host + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	var targets []struct{ Type, WebSocketDebuggerURL string }
	json.NewDecoder(resp.Body).Decode(&targets)
	resp.Body.Close()
	for _, tg := range targets {
		if tg.Type == "page" {
			ws, err := websocket.Dial(tg.WebSocketDebuggerURL, "", "http://127.0.0.1/")
			if err != nil {
				t.Fatal(err)
			}
			b := &browser{t: t, ws: ws, close: quit, wait: make(map[int]chan json.RawMessage)}
			go b.read()
			t.Cleanup(func() { ws.Close() })
			return b
		}
	}
	t.Fatal("chromium has no page")
	return nil
}

// read delivers the answers to calls; events are dropped.
func (b *browser) read() {
	for {
		var msg struct {
			ID     int
			Result json.RawMessage
			Error  json.RawMessage
		}
		if err := websocket.JSON.Receive(b.ws, &msg); err != nil {
			return
		}
		b.mu.Lock()
		ch := b.wait[msg.ID]
		delete(b.wait, msg.ID)
		b.mu.Unlock()
		if ch != nil {
			if msg.Error != nil {
				ch <- msg.Error
			} else {
				ch <- msg.Result
			}
		}
	}
}

// call runs a DevTools method and decodes its result into result (if not
// nil).
func (b *browser) call(method string, params map[string]any, result any) {
	b.t.Helper()
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan json.RawMessage, 1)
	b.wait[id] = ch
	b.mu.Unlock()
	if err := websocket.JSON.Send(b.ws, map[string]any{"id": id, "method": method, "params": params}); err != nil {
		b.t.Fatal(err)
	}
	select {
	case raw := <-ch:
		if result != nil {
			if err := json.Unmarshal(raw, result); err != nil {
				b.t.Fatalf("%s: %v: %s", method, err, raw)
			}
		}
	case <-time.After(20 * time.Second):
		b.t.Fatalf("%s: no answer within 20 s", method)
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value as a string.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var r struct{ Result struct{ Value any } }
	b.call("Runtime.evaluate", map[string]any{"expression": expr}, &r)
	return fmt.Sprint(r.Result.Value)
}

// load navigates to url and waits until the document has loaded.
func (b *browser) load(url string) {
	b.t.Helper()
	b.call("Page.navigate", map[string]any{"url": url}, nil)
	time.Sleep(300 * time.Millisecond)
	waitFor(b.t, "the page to load", func() bool { return b.eval("document.readyState") == "complete" })
}

// chooseFile sets the page's file input to path, as a user picking it.
func (b *browser) chooseFile(path string) {
	b.t.Helper()
	var doc struct{ Root struct{ NodeID int } }
	b.call("DOM.getDocument", map[string]any{}, &doc)
	var input struct{ NodeID int }
	b.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": `input[type="file"]`}, &input)
	if input.NodeID == 0 {
		b.t.Fatal("the page has no file input")
	}
	b.call("DOM.setFileInputFiles", map[string]any{"nodeId": input.NodeID, "files": []string{path}}, nil)
}

// clickUpload clicks the form's button with the mouse.
func (b *browser) clickUpload() {
	b.t.Helper()
	var doc struct{ Root struct{ NodeID int } }
	b.call("DOM.getDocument", map[string]any{}, &doc)
	var button struct{ NodeID int }
	b.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": "form button"}, &button)
	var box struct{ Model struct{ Content []float64 } }
	b.call("DOM.getBoxModel", map[string]any{"nodeId": button.NodeID}, &box)
	c := box.Model.Content
	x, y := (c[0]+c[4])/2, (c[1]+c[5])/2
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1}, nil)
	}
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestUploadFormInChromium uploads through the listing's form in a real
// browser, with JavaScript (XMLHttpRequest, progress shown, the listing
// reloaded) and without (the form's own POST and the 303 back), and checks
// that a page of another origin cannot make the browser upload.
func TestUploadFormInChromium(t *testing.T) {
	dir, src, evilDir := t.TempDir(), t.TempDir(), t.TempDir()
	big := strings.Repeat("0123456789abcdef", 1<<18) // 4 MiB: progress events on the way
	writeFiles(t, src, map[string]string{"with-js.bin": big, "without js.txt": "no script\n"})
	ts := serve(t, uploadClass(dir, nil))
	base := "http://" + ts.addr + "/"
	writeFiles(t, evilDir, map[string]string{"evil.html": `<form method="post" enctype="multipart/form-data" action="` + base +
		`upload"><input name="files" value="x"></form><script>document.forms[0].submit()</script>`})
	evil := serve(t, simpleClass(evilDir, nil))
	b := startBrowser(t) // started last, so stopped first: its idle connections would hold the servers' stop

	// With JavaScript: the progress text goes to sessionStorage, which
	// outlives the reload that follows the upload.
	b.call("Page.enable", map[string]any{}, nil)
	b.load(base)
	b.eval(`new MutationObserver(function () {
		sessionStorage.seen = (sessionStorage.seen || "") + "|" + document.querySelector("output").textContent;
	}).observe(document.querySelector("output"), {childList: true, characterData: true, subtree: true}), "ok"`)
	b.chooseFile(filepath.Join(src, "with-js.bin"))
	b.clickUpload()
	waitFor(t, "the upload with JavaScript", func() bool {
		data, err := os.ReadFile(filepath.Join(dir, "with-js.bin"))
		return err == nil && string(data) == big
	})
	waitFor(t, "the listing to reload", func() bool {
		return strings.Contains(b.eval("document.body.innerHTML"), `href="with-js.bin"`)
	})
	seen := b.eval("sessionStorage.seen")
	if !regexp.MustCompile(`\|\d+ of \d+ bytes \(\d+%\)`).MatchString(seen) {
		t.Errorf("no progress shown during the upload; the text went %q", seen)
	}

	// Without JavaScript.
	b.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)
	b.load(base)
	b.chooseFile(filepath.Join(src, "without js.txt"))
	b.clickUpload()
	waitFor(t, "the upload without JavaScript", func() bool {
		data, err := os.ReadFile(filepath.Join(dir, "without js.txt"))
		return err == nil && string(data) == "no script\n"
	})
	b.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": false}, nil)

	// A page of another origin (another port) that submits a form to the
	// server: the browser sends it, the server refuses it.
	b.load("http://" + evil.addr + "/evil.html")
	waitFor(t, "the cross-site POST", func() bool { return strings.Contains(ts.log.String(), `"POST /upload HTTP/1.1" 403`) })

	b.close()
	logs := ts.stop()
	for _, want := range []string{`"POST / HTTP/1.1" 201`, `"POST / HTTP/1.1" 303`, "code 403, message Cross-site upload refused"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	checkTree(t, dir, map[string]string{"with-js.bin": big, "without js.txt": "no script\n"})
}
