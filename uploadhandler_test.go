package httpserver_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// tempPrefix begins the names of the temporary files of uploads.
const tempPrefix = ".httpserver-upload-"

// uploadTree makes the directory the upload tests serve:
//
//	existing.txt   "old\n"
//	sub/keep.txt   "keep\n"
func uploadTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"existing.txt": "old\n", "sub/keep.txt": "keep\n"})
	return dir
}

// initialTree is uploadTree as fileTree shows it.
func initialTree() map[string]string {
	return map[string]string{"existing.txt": "old\n", "sub/": "", "sub/keep.txt": "keep\n"}
}

// withFiles returns initialTree with files added or replaced.
func withFiles(files ...string) map[string]string {
	m := initialTree()
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = files[i+1]
	}
	return m
}

// fileTree returns everything under root: each regular file's content by
// its slash-separated path, each directory as "path/" → "", each
// symbolic link as "path@" → its target. A temporary file left behind
// shows up as itself.
func fileTree(t *testing.T, root string) map[string]string {
	t.Helper()
	got := make(map[string]string)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			got[rel+"@"] = target
		case d.IsDir():
			got[rel+"/"] = ""
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			got[rel] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// checkTree compares the files under root with want.
func checkTree(t *testing.T, root string, want map[string]string) {
	t.Helper()
	if diff := cmp.Diff(want, fileTree(t, root)); diff != "" {
		t.Errorf("files under the served directory (-want +got):\n%s", diff)
	}
}

// uploadClass serves dir with an UploadHandler configured by conf.
func uploadClass(dir string, conf func(h *httpserver.UploadHandler)) httpserver.HandlerClass {
	return func() httpserver.Handler {
		h := &httpserver.UploadHandler{}
		h.Directory = dir
		if conf != nil {
			conf(h)
		}
		return h
	}
}

func allowOverwrite(h *httpserver.UploadHandler) { h.AllowOverwrite = true }

// upReply is a response as a test checks it.
type upReply struct {
	status int
	header http.Header
	body   string
}

// send makes a request with net/http's client (a new connection each
// time) and returns the response. A body of type chunkedBody goes out
// chunked.
func send(t *testing.T, method, url string, body io.Reader, header ...string) upReply {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := body.(chunkedBody); ok {
		req.ContentLength = -1
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true, Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return upReply{resp.StatusCode, resp.Header, string(data)}
}

// chunkedBody is a body net/http's client sends chunked: its length is
// not known in advance.
type chunkedBody struct{ io.Reader }

// formFile is one part of a multipart form.
type formFile struct {
	field, filename, content string
	plain                    bool // a plain field: no filename parameter
}

// multipartForm encodes parts as a multipart/form-data body, as a browser
// or curl -F would, and returns it with its Content-Type.
func multipartForm(t *testing.T, parts ...formFile) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := make(textproto.MIMEHeader)
		if p.plain {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.field))
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.filename))
			h.Set("Content-Type", "application/octet-stream")
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(pw, p.content)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func TestUploadPUT(t *testing.T) {
	long := strings.Repeat("x", 256)
	tests := []struct {
		name       string
		conf       func(*httpserver.UploadHandler)
		path, body string
		chunked    bool
		wantStatus int
		wantBody   string // "" when any
		wantTree   map[string]string
	}{
		{name: "new file", path: "/sub/new.txt", body: "hello",
			wantStatus: 201, wantBody: "created new.txt (5 bytes)\n", wantTree: withFiles("sub/new.txt", "hello")},
		{name: "chunked", path: "/sub/new.txt", body: "hello, chunked", chunked: true,
			wantStatus: 201, wantBody: "created new.txt (14 bytes)\n", wantTree: withFiles("sub/new.txt", "hello, chunked")},
		{name: "empty body", path: "/empty", body: "",
			wantStatus: 201, wantBody: "created empty (0 bytes)\n", wantTree: withFiles("empty", "")},
		{name: "encoded name, query dropped", path: "/sub/caf%C3%A9%20%231.txt?x=1", body: "é",
			wantStatus: 201, wantTree: withFiles("sub/café #1.txt", "é")},
		{name: "dot segments stay inside", path: "/sub/../../up.txt", body: "up",
			wantStatus: 201, wantTree: withFiles("up.txt", "up")},
		{name: "existing name", path: "/existing.txt", body: "new",
			wantStatus: 409, wantTree: initialTree()},
		{name: "existing name replaced", conf: allowOverwrite, path: "/existing.txt", body: "new",
			wantStatus: 204, wantBody: "", wantTree: withFiles("existing.txt", "new")},
		{name: "directory in the way", path: "/sub", body: "x",
			wantStatus: 409, wantTree: initialTree()},
		{name: "directory in the way, overwrite allowed", conf: allowOverwrite, path: "/sub", body: "x",
			wantStatus: 409, wantTree: initialTree()},
		{name: "no such directory", path: "/nodir/x.txt", body: "x",
			wantStatus: 404, wantTree: initialTree()},
		{name: "through a file", path: "/existing.txt/x.txt", body: "x",
			wantStatus: 404, wantTree: initialTree()},
	}
	for _, bad := range []string{
		"/sub/", "/sub/.", "/sub/..", "/a%2Fb", "/a%5Cb", "/a%00b", "/a%0Ab", "/a%7Fb",
		"/con", "/CON.txt", "/lpt1.log", "/com%C2%B9", "/nul%20.txt", "/a:b", "/a%3Fb", "/a*b", "/a%3Cb%3E",
		"/a%22b", "/a%7Cb", "/x%20", "/x.", "/%FF.txt", "/%ED%B3%BF", "/" + tempPrefix + "x", "/" + long,
	} {
		tests = append(tests, struct {
			name       string
			conf       func(*httpserver.UploadHandler)
			path, body string
			chunked    bool
			wantStatus int
			wantBody   string
			wantTree   map[string]string
		}{name: "bad name " + bad[:min(len(bad), 20)], path: bad, body: "bad", wantStatus: 400, wantTree: initialTree()})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := uploadTree(t)
			ts := serve(t, uploadClass(dir, tt.conf))
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = chunkedBody{body}
			}
			got := send(t, "PUT", "http://"+ts.addr+tt.path, body)
			if got.status != tt.wantStatus {
				t.Errorf("status %d, want %d; body %q", got.status, tt.wantStatus, got.body)
			}
			if tt.wantBody != "" || tt.wantStatus == 204 {
				if got.body != tt.wantBody {
					t.Errorf("body %q, want %q", got.body, tt.wantBody)
				}
			}
			ts.stop()
			checkTree(t, dir, tt.wantTree)
		})
	}
}

// TestUploadPUTNeedsLength checks that a PUT whose length is not declared
// (no Content-Length, not chunked) is refused with 411 rather than stored
// empty.
func TestUploadPUTNeedsLength(t *testing.T) {
	dir := uploadTree(t)
	ts := serve(t, uploadClass(dir, nil))
	c := dialRaw(t, ts.addr)
	c.send("PUT /x.txt HTTP/1.0\r\n\r\nbody until the end")
	c.closeWrite()
	got, _ := c.readAll()
	if !strings.HasPrefix(got, "HTTP/1.0 411 Length Required\r\n") {
		t.Errorf("response %q, want 411", got)
	}
	ts.stop()
	checkTree(t, dir, initialTree())
}

func TestUploadPOST(t *testing.T) {
	tests := []struct {
		name       string
		conf       func(*httpserver.UploadHandler)
		path       string
		parts      []formFile
		header     []string
		wantStatus int
		wantHeader map[string]string
		wantBody   string
		wantTree   map[string]string
	}{
		{name: "two files", path: "/sub/",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}, {field: "files", filename: "b.bin", content: "BB\x00"}},
			wantStatus: 201, wantBody: "created a.txt (1 bytes)\ncreated b.bin (3 bytes)\n",
			wantTree: withFiles("sub/a.txt", "A", "sub/b.bin", "BB\x00")},
		{name: "directory without slash", path: "/sub",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			wantStatus: 201, wantTree: withFiles("sub/a.txt", "A")},
		{name: "POST /upload stores in the root", path: "/upload?x",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			wantStatus: 201, wantTree: withFiles("a.txt", "A")},
		{name: "browser form", path: "/sub/?sort=x",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			header:     []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8", "Origin", "http://HOST", "Sec-Fetch-Site", "same-origin"},
			wantStatus: 303, wantHeader: map[string]string{"Location": "/sub/", "Content-Length": "0"},
			wantTree: withFiles("sub/a.txt", "A")},
		{name: "browser form to /upload", path: "/upload",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			header:     []string{"Accept", "text/html"},
			wantStatus: 303, wantHeader: map[string]string{"Location": "/"},
			wantTree: withFiles("a.txt", "A")},
		{name: "only the base name", path: "/sub/",
			parts:      []formFile{{field: "files", filename: "../../evil.txt", content: "E"}, {field: "files", filename: "/etc/passwd", content: "P"}},
			wantStatus: 201, wantTree: withFiles("sub/evil.txt", "E", "sub/passwd", "P")},
		{name: "other fields ignored", path: "/sub/",
			parts: []formFile{{field: "note", plain: true, content: "hi"}, {field: "other", filename: "o.txt", content: "O"},
				{field: "files", filename: "a.txt", content: "A"}, {field: "files", plain: true, content: "text"}},
			wantStatus: 201, wantBody: "created a.txt (1 bytes)\n", wantTree: withFiles("sub/a.txt", "A")},
		{name: "bad name refuses the whole form", path: "/sub/",
			parts:      []formFile{{field: "files", filename: "good.txt", content: "G"}, {field: "files", filename: `a\b.txt`, content: "B"}},
			wantStatus: 400, wantTree: initialTree()},
		{name: "empty name", path: "/sub/",
			parts:      []formFile{{field: "files", filename: "", content: ""}},
			wantStatus: 400, wantTree: initialTree()},
		{name: "dot dot", path: "/sub/",
			parts:      []formFile{{field: "files", filename: "x/..", content: ""}},
			wantStatus: 400, wantTree: initialTree()},
		{name: "no files", path: "/sub/",
			parts:      []formFile{{field: "note", plain: true, content: "hi"}},
			wantStatus: 400, wantTree: initialTree()},
		{name: "existing name refuses the whole form", path: "/",
			parts:      []formFile{{field: "files", filename: "new.txt", content: "N"}, {field: "files", filename: "existing.txt", content: "X"}},
			wantStatus: 409, wantTree: initialTree()},
		{name: "one name twice", path: "/",
			parts:      []formFile{{field: "files", filename: "twice.txt", content: "1"}, {field: "files", filename: "twice.txt", content: "2"}},
			wantStatus: 409, wantTree: initialTree()},
		{name: "existing name replaced", conf: allowOverwrite, path: "/",
			parts:      []formFile{{field: "files", filename: "existing.txt", content: "X"}},
			wantStatus: 200, wantBody: "replaced existing.txt (1 bytes)\n", wantTree: withFiles("existing.txt", "X")},
		{name: "no such directory", path: "/nodir/",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			wantStatus: 404, wantTree: initialTree()},
		{name: "a file's URL", path: "/existing.txt",
			parts:      []formFile{{field: "files", filename: "a.txt", content: "A"}},
			wantStatus: 404, wantTree: initialTree()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := uploadTree(t)
			ts := serve(t, uploadClass(dir, tt.conf))
			body, ctype := multipartForm(t, tt.parts...)
			header := append([]string{"Content-Type", ctype}, tt.header...)
			for i := range header {
				header[i] = strings.ReplaceAll(header[i], "HOST", ts.addr)
			}
			got := send(t, "POST", "http://"+ts.addr+tt.path, body, header...)
			if got.status != tt.wantStatus {
				t.Errorf("status %d, want %d; body %q", got.status, tt.wantStatus, got.body)
			}
			for k, v := range tt.wantHeader {
				if got.header.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, got.header.Get(k), v)
				}
			}
			if tt.wantBody != "" && got.body != tt.wantBody {
				t.Errorf("body %q, want %q", got.body, tt.wantBody)
			}
			ts.stop()
			checkTree(t, dir, tt.wantTree)
		})
	}
}

// TestUploadPOSTBadBodies sends POSTs whose body is not a usable form.
func TestUploadPOSTBadBodies(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		want              string
	}{
		{"url-encoded form", "application/x-www-form-urlencoded", "files=a", "415 Unsupported Media Type"},
		{"no boundary", "multipart/form-data", "--x\r\n", "415 Unsupported Media Type"},
		{"no content type", "", "x", "415 Unsupported Media Type"},
		{"no parts", "multipart/form-data; boundary=x", "garbage", "400 Malformed multipart body"},
		{"file cut short", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\npartial", "400 Malformed multipart body"},
		{"second file cut short", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nwhole\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n\r\npartial", "400 Malformed multipart body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := uploadTree(t)
			ts := serve(t, uploadClass(dir, nil))
			c := dialRaw(t, ts.addr)
			head := "POST /sub/ HTTP/1.0\r\nContent-Length: " + strconv.Itoa(len(tt.body)) + "\r\n"
			if tt.ctype != "" {
				head += "Content-Type: " + tt.ctype + "\r\n"
			}
			c.send(head + "\r\n" + tt.body)
			got, _ := c.readAll()
			if !strings.HasPrefix(got, "HTTP/1.0 "+tt.want+"\r\n") {
				t.Errorf("response %q, want %s", got, tt.want)
			}
			ts.stop()
			checkTree(t, dir, initialTree())
		})
	}
}

// TestUploadCrossSite checks that an upload a browser sends for a page of
// another origin is refused, and that clients without those headers are
// not.
func TestUploadCrossSite(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"no Origin (curl)", nil, 201},
		{"same origin", []string{"Origin", "http://HOST"}, 201},
		{"same origin by Sec-Fetch-Site", []string{"Sec-Fetch-Site", "same-origin", "Origin", "http://other.example"}, 201},
		{"typed by the user", []string{"Sec-Fetch-Site", "none"}, 201},
		{"other origin", []string{"Origin", "http://evil.example"}, 403},
		{"other port", []string{"Origin", "http://127.0.0.1:1"}, 403},
		{"opaque origin", []string{"Origin", "null"}, 403},
		{"cross-site", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same site, other origin", []string{"Sec-Fetch-Site", "same-site", "Origin", "http://HOST"}, 403},
	}
	for _, tt := range tests {
		for _, method := range []string{"PUT", "POST"} {
			t.Run(method+" "+tt.name, func(t *testing.T) {
				dir := uploadTree(t)
				ts := serve(t, uploadClass(dir, nil))
				var header []string
				for _, h := range tt.header {
					header = append(header, strings.ReplaceAll(h, "HOST", ts.addr))
				}
				var got upReply
				if method == "PUT" {
					got = send(t, "PUT", "http://"+ts.addr+"/a.txt", strings.NewReader("A"), header...)
				} else {
					body, ctype := multipartForm(t, formFile{field: "files", filename: "a.txt", content: "A"})
					got = send(t, "POST", "http://"+ts.addr+"/", body, append(header, "Content-Type", ctype)...)
				}
				if got.status != tt.want {
					t.Errorf("status %d, want %d", got.status, tt.want)
				}
				ts.stop()
				want := initialTree()
				if tt.want == 201 {
					want = withFiles("a.txt", "A")
				}
				checkTree(t, dir, want)
			})
		}
	}
}

// TestUploadSizeLimit checks MaxUploadSize: a declared length over it is
// refused before the body is sent; a chunked or multipart body is cut off
// as it passes the limit; nothing is left either way.
func TestUploadSizeLimit(t *testing.T) {
	limit := func(h *httpserver.UploadHandler) { h.MaxUploadSize = 1000 }
	t.Run("Content-Length over the limit, before the body", func(t *testing.T) {
		dir := uploadTree(t)
		ts := serve(t, uploadClass(dir, limit))
		c := dialRaw(t, ts.addr)
		c.send("PUT /big HTTP/1.0\r\nContent-Length: 1001\r\n\r\n") // no body: the answer must not wait for it
		got, _ := c.readAll()
		if !strings.HasPrefix(got, "HTTP/1.0 413 Content Too Large\r\n") {
			t.Errorf("response %q, want 413", got)
		}
		ts.stop()
		checkTree(t, dir, initialTree())
	})
	t.Run("Expect: 100-continue gets 413 instead of 100", func(t *testing.T) {
		dir := uploadTree(t)
		ts := serve(t, uploadClass(dir, func(h *httpserver.UploadHandler) {
			h.MaxUploadSize = 1000
			h.ProtocolVersion = "HTTP/1.1"
		}))
		c := dialRaw(t, ts.addr)
		c.send("PUT /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
		got, _ := c.readAll()
		if !strings.HasPrefix(got, "HTTP/1.1 413 Content Too Large\r\n") {
			t.Errorf("response %q, want 413 without 100 Continue", got)
		}
		ts.stop()
		checkTree(t, dir, initialTree())
	})
	tests := []struct {
		name    string
		size    int
		chunked bool
		want    int
	}{
		{"at the limit", 1000, false, 201},
		{"chunked at the limit", 1000, true, 201},
		{"chunked over the limit", 1001, true, 413},
		// Far over: the server drains what the client still sends once
		// refused (closeConn), so the client reads the 413 rather than
		// meet a reset mid-body.
		{"chunked far over the limit", 4 << 20, true, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := uploadTree(t)
			ts := serve(t, uploadClass(dir, limit))
			content := strings.Repeat("z", tt.size)
			var body io.Reader = strings.NewReader(content)
			if tt.chunked {
				body = chunkedBody{body}
			}
			got := send(t, "PUT", "http://"+ts.addr+"/f", body)
			if got.status != tt.want {
				t.Errorf("status %d, want %d", got.status, tt.want)
			}
			ts.stop()
			want := initialTree()
			if tt.want == 201 {
				want = withFiles("f", content)
			}
			checkTree(t, dir, want)
		})
	}
	t.Run("multipart over the limit", func(t *testing.T) {
		dir := uploadTree(t)
		ts := serve(t, uploadClass(dir, limit))
		body, ctype := multipartForm(t, formFile{field: "files", filename: "a.txt", content: "small"},
			formFile{field: "files", filename: "b.txt", content: strings.Repeat("b", 2000)})
		got := send(t, "POST", "http://"+ts.addr+"/", chunkedBody{body}, "Content-Type", ctype)
		if got.status != 413 {
			t.Errorf("status %d, want 413", got.status)
		}
		ts.stop()
		checkTree(t, dir, initialTree())
	})
}

// TestUploadBrokenOff cuts uploads off mid-body, and breaks a chunked
// body's framing: no file and no temporary file may remain.
func TestUploadBrokenOff(t *testing.T) {
	part := "--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
	tests := []struct {
		name, req string
		want      string // the response's start; "" when the client is gone
	}{
		{"Content-Length", "PUT /a.txt HTTP/1.0\r\nContent-Length: 100000\r\n\r\n" + strings.Repeat("a", 50000), ""},
		{"chunked", "PUT /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + strings.Repeat("a", 4096) + "\r\n100\r\naa", ""},
		{"chunked framing broken", "PUT /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaa\r\nzz\r\n", "HTTP/1.0 400 Malformed chunked body\r\n"},
		{"chunk without CRLF", "PUT /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaaXX0\r\n\r\n", "HTTP/1.0 400 Malformed chunked body\r\n"},
		{"multipart", "POST / HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n" + part + strings.Repeat("a", 5000), ""},
		{"multipart, second file", "POST / HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n" +
			part + "whole\r\n" + strings.ReplaceAll(part, "a.txt", "b.txt") + strings.Repeat("b", 5000), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := uploadTree(t)
			ts := serve(t, uploadClass(dir, nil))
			c := dialRaw(t, ts.addr)
			c.send(tt.req)
			if tt.want == "" {
				c.nc.Close()
			} else {
				c.closeWrite()
				got, _ := c.readAll()
				if !strings.HasPrefix(got, tt.want) {
					t.Errorf("response %q, want %q", got, tt.want)
				}
			}
			ts.stop() // waits for the connection's handler to finish
			checkTree(t, dir, initialTree())
		})
	}
}

// TestUploadTemporaryFileHidden checks that an upload in progress is a
// temporary file in the target directory that listings leave out, and
// that it becomes the file only when complete.
func TestUploadTemporaryFileHidden(t *testing.T) {
	dir := uploadTree(t)
	ts := serve(t, uploadClass(dir, nil))
	c := dialRaw(t, ts.addr)
	c.send("PUT /sub/a.txt HTTP/1.0\r\nContent-Length: 10\r\n\r\n01234")
	var temp string
	for temp == "" {
		entries, err := os.ReadDir(filepath.Join(dir, "sub"))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), tempPrefix) {
				temp = e.Name()
			}
		}
		runtime.Gosched()
	}
	listing := send(t, "GET", "http://"+ts.addr+"/sub/", nil)
	if strings.Contains(listing.body, tempPrefix) || strings.Contains(listing.body, "a.txt") {
		t.Errorf("the listing shows the upload in progress (%s):\n%s", temp, listing.body)
	}
	if !strings.Contains(listing.body, "keep.txt") {
		t.Errorf("the listing lacks keep.txt:\n%s", listing.body)
	}
	simple := serve(t, simpleClass(dir, nil))
	if got := send(t, "GET", "http://"+simple.addr+"/sub/", nil); !strings.Contains(got.body, temp) {
		t.Errorf("SimpleHandler's listing should show every name, %s included:\n%s", temp, got.body)
	}
	c.send("56789")
	got, _ := c.readAll()
	if !strings.HasPrefix(got, "HTTP/1.0 201 Created\r\n") {
		t.Errorf("response %q, want 201", got)
	}
	ts.stop()
	checkTree(t, dir, withFiles("sub/a.txt", "0123456789"))
}

// TestUploadListingForm checks that an UploadHandler's listing is
// SimpleHandler's with the upload form added after the heading.
func TestUploadListingForm(t *testing.T) {
	dir := uploadTree(t)
	up := send(t, "GET", "http://"+serve(t, uploadClass(dir, nil)).addr+"/sub/", nil)
	plain := send(t, "GET", "http://"+serve(t, simpleClass(dir, nil)).addr+"/sub/", nil)
	const start, end = "<hr>\n<form ", "</script>\n<hr>\n"
	i, j := strings.Index(up.body, start), strings.Index(up.body, end)
	if i < 0 || j < i {
		t.Fatalf("no form between the heading's <hr> and the list:\n%s", up.body)
	}
	form := up.body[i+len("<hr>\n") : j+len(end)]
	for _, want := range []string{`method="post"`, `enctype="multipart/form-data"`, `type="file" name="files" multiple`, "<progress", "upload.onprogress", "%"} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %q:\n%s", want, form)
		}
	}
	if diff := cmp.Diff(plain.body, up.body[:i+len("<hr>\n")]+up.body[j+len(end):]); diff != "" {
		t.Errorf("listing without the form differs from SimpleHandler's (-simple +upload):\n%s", diff)
	}
	if got := up.header.Get("Content-Length"); got != strconv.Itoa(len(up.body)) {
		t.Errorf("Content-Length %s for a body of %d bytes", got, len(up.body))
	}
}

// TestUploadRace races 8 clients to upload one new name: exactly one may
// win, the file must hold exactly its bytes, the others get 409, and no
// temporary file is left.
func TestUploadRace(t *testing.T) {
	const clients, size = 8, 256 << 10
	dir := uploadTree(t)
	ts := serve(t, uploadClass(dir, nil))
	for round := range 5 {
		name := "race" + strconv.Itoa(round)
		conns := make([]*rawConn, clients)
		bodies := make([]string, clients)
		for i := range conns {
			bodies[i] = strings.Repeat(string(rune('a'+i)), size)
			conns[i] = dialRaw(t, ts.addr)
			conns[i].send("PUT /" + name + " HTTP/1.0\r\nContent-Length: " + strconv.Itoa(size) + "\r\n\r\n" + bodies[i][:size/2])
		}
		// Every client has passed the name check and is mid-body; now
		// all finish at once.
		var wg sync.WaitGroup
		responses := make([]string, clients)
		for i, c := range conns {
			wg.Go(func() {
				c.nc.Write([]byte(bodies[i][size/2:]))
				responses[i], _ = c.readAll()
			})
		}
		wg.Wait()
		winner := -1
		for i, r := range responses {
			switch {
			case strings.HasPrefix(r, "HTTP/1.0 201 "):
				if winner >= 0 {
					t.Errorf("round %d: clients %d and %d both got 201", round, winner, i)
				}
				winner = i
			case !strings.HasPrefix(r, "HTTP/1.0 409 "):
				t.Errorf("round %d: client %d got %q, want 201 or 409", round, i, r)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no client won", round)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != bodies[winner] {
			t.Errorf("round %d: the file is not exactly the winner's bytes (%d bytes, starting %q)", round, len(data), data[:min(len(data), 8)])
		}
	}
	ts.stop()
	want := initialTree()
	for round := range 5 {
		data, _ := os.ReadFile(filepath.Join(dir, "race"+strconv.Itoa(round)))
		want["race"+strconv.Itoa(round)] = string(data)
	}
	checkTree(t, dir, want)
}

// TestUploadSymlinks checks that no symbolic link in the tree leads an
// upload outside Directory, and that a link in the way is replaced, not
// written through.
func TestUploadSymlinks(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "srv")
	writeFiles(t, base, map[string]string{"outside/secret.txt": secretContent, "srv/sub/keep.txt": "keep\n"})
	for _, l := range [][2]string{{"outdir", "../outside"}, {"secret.txt", "../outside/secret.txt"}, {"subdir", "sub"}} {
		if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	tests := []struct {
		name       string
		conf       func(*httpserver.UploadHandler)
		method     string
		path       string
		wantStatus int
		wantSrv    map[string]string // additions to the served tree
	}{
		{name: "PUT through a link out", method: "PUT", path: "/outdir/x.txt", wantStatus: 403},
		{name: "POST through a link out", method: "POST", path: "/outdir/", wantStatus: 403},
		{name: "PUT onto a link to a file outside", method: "PUT", path: "/secret.txt", wantStatus: 409},
		{name: "PUT replaces the link, not its target", conf: allowOverwrite, method: "PUT", path: "/secret.txt", wantStatus: 204,
			wantSrv: map[string]string{"secret.txt": "data"}},
		{name: "PUT through a link inside", method: "PUT", path: "/subdir/x.txt", wantStatus: 201,
			wantSrv: map[string]string{"sub/x.txt": "data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := serve(t, uploadClass(dir, tt.conf))
			before := fileTree(t, dir)
			var got upReply
			if tt.method == "PUT" {
				got = send(t, "PUT", "http://"+ts.addr+tt.path, strings.NewReader("data"))
			} else {
				body, ctype := multipartForm(t, formFile{field: "files", filename: "x.txt", content: "data"})
				got = send(t, "POST", "http://"+ts.addr+tt.path, body, "Content-Type", ctype)
			}
			if got.status != tt.wantStatus {
				t.Errorf("status %d, want %d", got.status, tt.wantStatus)
			}
			ts.stop()
			for k, v := range tt.wantSrv {
				if k == "secret.txt" {
					delete(before, "secret.txt@")
				}
				before[k] = v
			}
			checkTree(t, dir, before)
			checkTree(t, filepath.Join(base, "outside"), map[string]string{"secret.txt": secretContent})
			for p := range tt.wantSrv { // undo, for the next case
				os.Remove(filepath.Join(dir, p))
			}
			os.Symlink("../outside/secret.txt", filepath.Join(dir, "secret.txt"))
		})
	}
}

// inbox puts every upload into Directory/inbox/ and refuses .exe files:
// both hooks reached through self from UploadHandler's own methods.
type inbox struct{ httpserver.UploadHandler }

func (h *inbox) UploadPath(dir, name string) string { return filepath.Join(h.Directory, "inbox", name) }

func (h *inbox) AllowUpload(path string) bool { return !strings.HasSuffix(path, ".exe") }

func TestUploadHooksThroughSelf(t *testing.T) {
	dir := uploadTree(t)
	os.Mkdir(filepath.Join(dir, "inbox"), 0o755)
	ts := serve(t, func() httpserver.Handler { h := &inbox{}; h.Directory = dir; return h })
	if got := send(t, "PUT", "http://"+ts.addr+"/sub/a.txt", strings.NewReader("A")); got.status != 201 {
		t.Errorf("PUT a.txt: status %d, want 201", got.status)
	}
	if got := send(t, "PUT", "http://"+ts.addr+"/sub/a.exe", strings.NewReader("MZ")); got.status != 403 {
		t.Errorf("PUT a.exe: status %d, want 403", got.status)
	}
	body, ctype := multipartForm(t, formFile{field: "files", filename: "b.txt", content: "B"})
	if got := send(t, "POST", "http://"+ts.addr+"/upload", body, "Content-Type", ctype); got.status != 201 {
		t.Errorf("POST b.txt: status %d, want 201", got.status)
	}
	ts.stop()
	checkTree(t, dir, withFiles("inbox/", "", "inbox/a.txt", "A", "inbox/b.txt", "B"))
}

// outsider sends every upload outside Directory.
type outsider struct {
	httpserver.UploadHandler
	elsewhere string
}

func (h *outsider) UploadPath(dir, name string) string { return filepath.Join(h.elsewhere, name) }

func TestUploadPathOutsideDirectoryRefused(t *testing.T) {
	dir, elsewhere := uploadTree(t), t.TempDir()
	ts := serve(t, func() httpserver.Handler { h := &outsider{elsewhere: elsewhere}; h.Directory = dir; return h })
	if got := send(t, "PUT", "http://"+ts.addr+"/a.txt", strings.NewReader("A")); got.status != 403 {
		t.Errorf("status %d, want 403", got.status)
	}
	ts.stop()
	checkTree(t, dir, initialTree())
	checkTree(t, elsewhere, map[string]string{})
}

// TestUploadStreams checks that an upload is streamed to disk: a 64 MiB
// body makes the whole process allocate a few hundred KiB, not the body.
func TestUploadStreams(t *testing.T) {
	const size = 64 << 20
	dir := uploadTree(t)
	ts := serve(t, uploadClass(dir, nil))
	block := bytes.Repeat([]byte("abcdefghijklmnopqrstuvwxyz012345"), 8<<10) // 256 KiB
	partHead := "--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big2\"\r\n\r\n"
	const tail = "\r\n--x--\r\n"
	for _, tt := range []struct{ name, head, tail string }{
		{"PUT", "PUT /big HTTP/1.0\r\nContent-Length: " + strconv.Itoa(size) + "\r\n\r\n", ""},
		{"POST", "POST /upload HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " +
			strconv.Itoa(len(partHead)+size+len(tail)) + "\r\n\r\n" + partHead, tail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dialRaw(t, ts.addr)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			c.send(tt.head)
			for range size / len(block) {
				if _, err := c.nc.Write(block); err != nil {
					t.Fatal(err)
				}
			}
			c.send(tt.tail)
			got, _ := c.readAll()
			runtime.ReadMemStats(&after)
			if !strings.HasPrefix(got, "HTTP/1.0 201 ") {
				t.Fatalf("response %q, want 201", got)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
				t.Errorf("a %d MiB upload allocated %d KiB: the body is not streamed", size>>20, alloc>>10)
			}
		})
	}
	ts.stop()
	for _, name := range []string{"big", "big2"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Size() != size {
			t.Errorf("%s: %v, want %d bytes", name, err, size)
		}
	}
}

// TestUploadCurl uploads as people do from a shell: curl -T with a file
// (Content-Length) and from standard input (chunked), curl -F with
// several files to uploadserver's URL and to a directory.
func TestUploadCurl(t *testing.T) {
	curlPath := curl(t)
	dir := uploadTree(t)
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"a.txt": "alpha\n", "b.bin": "\x00\x01\x02", "c d.txt": "spaces\n"})
	ts := serve(t, uploadClass(dir, nil))
	base := "http://" + ts.addr
	run := func(stdin string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), ioLimit)
		defer cancel()
		cmd := exec.CommandContext(ctx, curlPath, append([]string{"--silent", "--show-error", "--fail", "--noproxy", "*"}, args...)...)
		cmd.Dir = src
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("curl %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"-T", "a.txt", base + "/sub/a.txt"}, "created a.txt (6 bytes)\n"},
		{"from a pipe\n", []string{"-T", "-", base + "/piped.txt"}, "created piped.txt (12 bytes)\n"},
		{"", []string{"-F", "files=@b.bin", "-F", "files=@c d.txt", base + "/upload"}, "created b.bin (3 bytes)\ncreated c d.txt (7 bytes)\n"},
		{"", []string{"-F", "files=@a.txt;filename=../../renamed.txt", base + "/sub/"}, "created renamed.txt (6 bytes)\n"},
	} {
		if got := run(tt.stdin, tt.args...); got != tt.want {
			t.Errorf("curl %s: %q, want %q", strings.Join(tt.args, " "), got, tt.want)
		}
	}
	ts.stop()
	checkTree(t, dir, withFiles("sub/a.txt", "alpha\n", "piped.txt", "from a pipe\n", "b.bin", "\x00\x01\x02",
		"c d.txt", "spaces\n", "sub/renamed.txt", "alpha\n"))
}
