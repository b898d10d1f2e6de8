package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// pyHandler is a do-method handler written as for this package's own
// servers; its log lines go to a shared buffer.
type pyHandler struct {
	httpserver.BaseHandler
	log     *syncbuf.Buffer
	release chan struct{}
}

func (h *pyHandler) LogMessage(format string, args ...any) {
	fmt.Fprintf(h.log, format+"\n", args...)
}

func (h *pyHandler) DoGET() {
	switch h.Path {
	case "/fields":
		var b strings.Builder
		fmt.Fprintf(&b, "%s|%s|%s|%s|%s\n", h.Command, h.Path, h.RequestVersion, h.RequestLine, h.AddressString())
		for name, value := range h.Headers.All() {
			fmt.Fprintf(&b, "%s: %s\n", name, value)
		}
		h.reply(200, b.String())
	case "/stream":
		h.SendResponse(200)
		h.SendHeader("Content-type", "text/plain")
		h.EndHeaders()
		h.Wfile.WriteString("first\n")
		h.Wfile.Flush()
		<-h.release
		h.Wfile.WriteString("second\n")
	case "/hints":
		h.SendResponseOnly(103)
		h.SendHeader("Link", "</a.css>; rel=preload")
		h.EndHeaders()
		h.reply(200, "final")
	case "/chunked":
		h.SendResponse(200)
		h.SendHeader("Transfer-Encoding", "chunked")
		h.EndHeaders()
		h.Wfile.WriteString("5\r\nhello\r\n")
		h.Wfile.Flush()
		h.Wfile.WriteString("6; ext=1\r\n world\r\n0\r\nX-Trailer: dropped\r\n\r\n")
	case "/raw":
		h.Wfile.WriteString("HTTP/1.0 202 Whatever\r\nX-Raw: yes\r\n\r\nraw body")
	case "/bodyonly":
		h.Wfile.WriteString("no status line\r\n")
	case "/short":
		h.Wfile.WriteString("HT")
	case "/missing":
		h.SendError(404, "Nothing here")
	default:
		h.reply(200, "hello from DoGET")
	}
}

func (h *pyHandler) DoSPAM() { h.reply(200, "spam and eggs") }

func (h *pyHandler) DoPOST() {
	n, _ := strconv.Atoi(h.Headers.Get("Content-Length"))
	b := make([]byte, n)
	io.ReadFull(h.Rfile, b)
	h.reply(201, "got "+string(b))
}

// reply sends a complete response as Python code does.
func (h *pyHandler) reply(code int, body string) {
	h.SendResponse(code)
	h.SendHeader("Content-type", "text/plain")
	h.SendHeader("Content-Length", strconv.Itoa(len(body)))
	h.EndHeaders()
	h.Wfile.WriteString(body)
}

func pyClass(log *syncbuf.Buffer, release chan struct{}) httpserver.HandlerClass {
	return func() httpserver.Handler { return &pyHandler{log: log, release: release} }
}

// pyServer runs pyHandler under httptest.NewServer. Calling release
// lets /stream finish; it is called at the end of the test in any case.
func pyServer(t *testing.T) (ts *httptest.Server, log *syncbuf.Buffer, release func()) {
	log, ch := new(syncbuf.Buffer), make(chan struct{})
	ts = httptest.NewServer(httpserver.ToNetHTTP(pyClass(log, ch)))
	t.Cleanup(ts.Close)
	release = sync.OnceFunc(func() { close(ch) })
	t.Cleanup(release)
	return ts, log, release
}

func TestToNetHTTPResponse(t *testing.T) {
	ts, log, _ := pyServer(t)
	resp, err := ts.Client().Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got := fmt.Sprintf("%d %q %q %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Length"), resp.Header.Get("Server"), body)
	want := fmt.Sprintf("200 %q %q %q %q", "text/plain", "16", "BaseHTTP Go/"+strings.TrimPrefix(runtime.Version(), "go"), "hello from DoGET")
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := http.ParseTime(resp.Header.Get("Date")); err != nil {
		t.Errorf("Date %q: %v", resp.Header.Get("Date"), err)
	}
	if want := "\"GET / HTTP/1.1\" 200 -\n"; log.String() != want {
		t.Errorf("log = %q, want LogRequest's line through LogMessage", log.String())
	}
}

func TestToNetHTTPFields(t *testing.T) {
	ts, _, _ := pyServer(t)
	c := dialRaw(t, ts.Listener.Addr().String())
	c.send("GET //fields HTTP/1.1\r\nHost: example.com\r\nX-B: 2\r\nx-a: 1\r\nX-B: 3\r\nConnection: close\r\n\r\n")
	got, _ := c.readAll()
	_, body, _ := strings.Cut(got, "\r\n\r\n")
	want := "GET|/fields|HTTP/1.1|GET /fields HTTP/1.1|127.0.0.1\n" +
		"Host: example.com\nConnection: close\nX-A: 1\nX-B: 2\nX-B: 3\n"
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestToNetHTTPMethods(t *testing.T) {
	ts, _, _ := pyServer(t)
	for _, tc := range []struct {
		method, path, body string
		status             int
		reply              string
	}{
		{"SPAM", "/", "", 200, "spam and eggs"},
		{"POST", "/", "payload", 201, "got payload"},
		{"DELETE", "/", "", 501, "Message: Unsupported method ('DELETE')."},
		{"GET", "/missing", "", 404, "Message: Nothing here."},
		{"GET", "/raw", "", 202, "raw body"},
		{"GET", "/chunked", "", 200, "hello world"},
		{"GET", "/bodyonly", "", 200, "no status line\r\n"},
		{"GET", "/short", "", 200, "HT"},
		{"HEAD", "/", "", 501, ""},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.reply) {
			t.Errorf("%s %s = %d %q, want %d with %q", tc.method, tc.path, resp.StatusCode, b, tc.status, tc.reply)
		}
	}
}

func TestToNetHTTPInterimResponse(t *testing.T) {
	ts, _, _ := pyServer(t)
	c := dialRaw(t, ts.Listener.Addr().String())
	c.send("GET /hints HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	got, _ := c.readAll()
	interim, final, _ := strings.Cut(maskDate(got), "\r\n\r\n")
	if want := "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload"; interim != want {
		t.Errorf("interim response %q, want %q", interim, want)
	}
	if !strings.HasPrefix(final, "HTTP/1.1 200 OK\r\n") || strings.Contains(final, "Link") {
		t.Errorf("final response %q: want a 200 without the interim's Link", final)
	}
}

// TestToNetHTTPStreaming checks that Wfile.Flush() sends what was
// written: the client reads it while the do-method still runs.
func TestToNetHTTPStreaming(t *testing.T) {
	ts, _, release := pyServer(t)
	resp, err := ts.Client().Get(ts.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	readsFirst(t, resp.Body, "first\n")
	release()
	if rest, _ := io.ReadAll(resp.Body); string(rest) != "second\n" {
		t.Errorf("rest %q", rest)
	}
}

func TestToNetHTTPHTTP2(t *testing.T) {
	log := new(syncbuf.Buffer)
	ts := httptest.NewUnstartedServer(httpserver.ToNetHTTP(pyClass(log, nil)))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	resp, err := ts.Client().Get(ts.URL + "/fields")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/2.0" || !strings.HasPrefix(string(b), "GET|/fields|HTTP/2.0|GET /fields HTTP/2.0|127.0.0.1\nHost: 127.0.0.1:") {
		t.Errorf("got %s %q, want the fields of an HTTP/2 request", resp.Proto, b)
	}
}

// TestToNetHTTPSimpleHandler mounts directory serving on a ServeMux
// route, under http.StripPrefix.
func TestToNetHTTPSimpleHandler(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("file a\n"), 0o644)
	big := strings.Repeat("0123456789", 100000)
	os.WriteFile(filepath.Join(dir, "big.txt"), []byte(big), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files", httpserver.ToNetHTTP(func() httpserver.Handler {
		return &quietSimpleHandler{httpserver.SimpleHandler{Directory: dir}}
	})))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/files/a.txt", 200, "file a\n"},
		{"/files/big.txt", 200, big},
		{"/files/", 200, `<a href="sub/">sub/</a>`},
		{"/files/nothing", 404, "File not found"},
	} {
		r, _ := fetch(t, ts.Client(), ts.URL+tc.path)
		if r.Status != tc.status || !strings.Contains(r.Body, tc.want) {
			t.Errorf("GET %s = %d %.60q, want %d with %.60q", tc.path, r.Status, r.Body, tc.status, tc.want)
		}
	}
}

type quietSimpleHandler struct{ httpserver.SimpleHandler }

func (h *quietSimpleHandler) LogMessage(string, ...any) {}
