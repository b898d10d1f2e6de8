package httpserver_test

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// rangeTree is the tree the Range tests serve: hello.txt (14 bytes) and
// 1m.bin (1 MiB of a pattern), with fixedMtime, and a directory.
func rangeTree(t *testing.T) (root string, big []byte) {
	t.Helper()
	root = t.TempDir()
	big = make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i*31 + i>>8)
	}
	writeFiles(t, root, map[string]string{"hello.txt": "Hello, world!\n", "1m.bin": string(big), "sub/a.txt": "a"})
	for _, p := range []string{"hello.txt", "1m.bin"} {
		if err := os.Chtimes(filepath.Join(root, p), fixedMtime, fixedMtime); err != nil {
			t.Fatal(err)
		}
	}
	return root, big
}

// rangeResponse is the whole expected response to a request for
// hello.txt, with {etag} for its ETag.
func rangeResponse(status, headers, body string) string {
	return status + "\r\nServer: SimpleHTTP Go/<version>\r\nDate: <date>\r\n" + headers + "\r\n" + body
}

const helloValidators = "Last-Modified: Sat, 03 Feb 2001 04:05:06 GMT\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\n"

// TestRangeResponses checks whole responses, byte for byte, for the
// Range values RFC 9110 §14 describes, and that Range is ignored where it
// does not apply.
func TestRangeResponses(t *testing.T) {
	root, _ := rangeTree(t)
	extras := []httpserver.HeaderField{{Name: "Access-Control-Allow-Origin", Value: "*"}}
	plain := serve(t, simpleClass(root, nil))
	withExtras := serve(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.ExtraResponseHeaders = extras }))
	etag := statETag(t, filepath.Join(root, "hello.txt"))
	full := rangeResponse("HTTP/1.0 200 OK", "Content-type: text/plain\r\nContent-Length: 14\r\n"+helloValidators, "Hello, world!\n")
	partial := func(cr, body string) string {
		return rangeResponse("HTTP/1.0 206 Partial Content", "Content-type: text/plain\r\nContent-Range: bytes "+cr+"\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n"+helloValidators, body)
	}
	tests := []struct {
		name string
		srv  *testServer
		req  string
		want string
	}{
		{"first-last", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n", partial("0-4/14", "Hello")},
		{"first-", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=7-\r\n\r\n", partial("7-13/14", "world!\n")},
		{"suffix", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=-6\r\n\r\n", partial("8-13/14", "orld!\n")},
		{"clamped", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=12-99\r\n\r\n", partial("12-13/14", "!\n")},
		{"suffix longer than the file", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=-100\r\n\r\n", partial("0-13/14", "Hello, world!\n")},
		{"unit in capitals", plain, "GET /hello.txt HTTP/1.0\r\nRange: BYTES=0-0\r\n\r\n", partial("0-0/14", "H")},
		{"overlapping ranges are one", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=0-2,1-4\r\n\r\n", partial("0-4/14", "Hello")},
		{"unsatisfiable ones dropped", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=50-60,0-0\r\n\r\n", partial("0-0/14", "H")},
		{"HEAD", plain, "HEAD /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n", strings.TrimSuffix(partial("0-4/14", "Hello"), "Hello")},
		{"extra headers on 206", withExtras, "GET /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n",
			rangeResponse("HTTP/1.0 206 Partial Content", "Content-type: text/plain\r\nContent-Range: bytes 0-4/14\r\nContent-Length: 5\r\n"+helloValidators+"Access-Control-Allow-Origin: *\r\n", "Hello")},
		// Ignored: the whole file.
		{"no Range", plain, "GET /hello.txt HTTP/1.0\r\n\r\n", full},
		{"last before first", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=4-0\r\n\r\n", full},
		{"other unit", plain, "GET /hello.txt HTTP/1.0\r\nRange: lines=0-4\r\n\r\n", full},
		{"no unit", plain, "GET /hello.txt HTTP/1.0\r\nRange: 0-4\r\n\r\n", full},
		{"two Range lines", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\nRange: bytes=5-6\r\n\r\n", full},
		{"too many ranges", plain, "GET /hello.txt HTTP/1.0\r\nRange: bytes=" + strings.Repeat("0-0,", 65) + "\r\n\r\n", full},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(maskResponse(exchangeRaw(t, tt.srv.addr, tt.req)))
			want := strings.ReplaceAll(tt.want, "{etag}", etag)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tt.req, diff)
			}
		})
	}
}

// TestRangeIgnoredBeyondFiles sends Range with requests that are not a GET
// or HEAD of a file: each answer must be the one without Range.
func TestRangeIgnoredBeyondFiles(t *testing.T) {
	root, _ := rangeTree(t)
	addr := serve(t, simpleClass(root, nil)).addr
	for _, req := range []string{
		"GET / HTTP/1.0\r\n",           // a listing
		"GET /sub HTTP/1.0\r\n",        // a redirect
		"GET /nope.txt HTTP/1.0\r\n",   // 404
		"POST /hello.txt HTTP/1.0\r\n", // 501
	} {
		without := maskResponse(exchangeRaw(t, addr, req+"\r\n"))
		with := maskResponse(exchangeRaw(t, addr, req+"Range: bytes=0-4\r\n\r\n"))
		if diff := cmp.Diff(string(without), string(with)); diff != "" {
			t.Errorf("%q with Range differs from without (-without +with):\n%s", req, diff)
		}
	}
}

// TestRangeNotSatisfiable checks the 416: SendError's page and log, with
// Content-Range naming the file's length, for GET and HEAD. SendError
// sends the headers it is given by the package's own callers (this one,
// Basic authentication's challenge) right after Connection: close.
func TestRangeNotSatisfiable(t *testing.T) {
	root, _ := rangeTree(t)
	srv := serve(t, simpleClass(root, nil))
	page := errorPage(416, "Range Not Satisfiable", "Cannot satisfy request range")
	head := "HTTP/1.0 416 Range Not Satisfiable\r\nServer: SimpleHTTP Go/<version>\r\nDate: <date>\r\nConnection: close\r\n" +
		"Content-Range: bytes */14\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: " + strconv.Itoa(len(page)) + "\r\n\r\n"
	for _, tt := range []struct{ req, want string }{
		{"GET /hello.txt HTTP/1.0\r\nRange: bytes=14-\r\n\r\n", head + page},
		{"GET /hello.txt HTTP/1.0\r\nRange: bytes=-0, 20-30\r\n\r\n", head + page},
		{"HEAD /hello.txt HTTP/1.0\r\nRange: bytes=100-200\r\n\r\n", head},
	} {
		if diff := cmp.Diff(tt.want, string(maskResponse(exchangeRaw(t, srv.addr, tt.req)))); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.req, diff)
		}
	}
	log := srv.stop()
	for _, want := range []string{`code 416, message Range Not Satisfiable`, `"GET /hello.txt HTTP/1.0" 416 -`, `"HEAD /hello.txt HTTP/1.0" 416 -`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// TestRangeMultipart parses a response of several ranges with
// mime/multipart: parts in the order asked, each with Content-Type and
// Content-Range, no top-level Content-Range, an exact Content-Length; the
// extra headers are there too, and HEAD has the same headers.
func TestRangeMultipart(t *testing.T) {
	root, big := rangeTree(t)
	srv := serve(t, simpleClass(root, func(h *httpserver.SimpleHandler) {
		h.ExtraResponseHeaders = []httpserver.HeaderField{{Name: "X-Extra", Value: "1"}}
	}))
	ranges := [][2]int{{900000, 1048575}, {0, 0}, {5000, 40000}}
	var specs []string
	for _, r := range ranges {
		specs = append(specs, strconv.Itoa(r[0])+"-"+strconv.Itoa(r[1]))
	}
	rangeHeader := "Range: bytes=" + strings.Join(specs, ", ") + "\r\n"
	resp, body := roundTrip(t, srv.addr, "GET /1m.bin HTTP/1.0\r\n"+rangeHeader+"\r\n")
	if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != "" || resp.Header.Get("X-Extra") != "1" {
		t.Fatalf("status %d, headers %v; want 206 with X-Extra, no Content-Range", resp.StatusCode, resp.Header)
	}
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d, body %d bytes", resp.ContentLength, len(body))
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("Content-Type %q: %v", resp.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i, r := range ranges {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		wantRange := "bytes " + specs[i] + "/1048576"
		if got := p.Header.Get("Content-Range"); got != wantRange {
			t.Errorf("part %d Content-Range %q, want %q", i, got, wantRange)
		}
		if got := p.Header.Get("Content-Type"); got != "application/octet-stream" {
			t.Errorf("part %d Content-Type %q", i, got)
		}
		data, err := io.ReadAll(p)
		if err != nil || !bytes.Equal(data, big[r[0]:r[1]+1]) {
			t.Errorf("part %d: %d bytes (%v), not bytes %s", i, len(data), err, specs[i])
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("after the last part: %v, want io.EOF", err)
	}

	headResp, headBody := roundTrip(t, srv.addr, "HEAD /1m.bin HTTP/1.0\r\n"+rangeHeader+"\r\n")
	mask := regexp.MustCompile(`boundary=[0-9a-f]+`)
	for _, h := range []http.Header{resp.Header, headResp.Header} {
		h.Set("Content-Type", mask.ReplaceAllString(h.Get("Content-Type"), "boundary=B"))
		h.Del("Date")
	}
	if diff := cmp.Diff(resp.Header, headResp.Header); diff != "" || headResp.StatusCode != 206 || len(headBody) != 0 {
		t.Errorf("HEAD: status %d, %d body bytes, headers (-GET +HEAD):\n%s", headResp.StatusCode, len(headBody), diff)
	}
}

// roundTrip sends req on a new connection and reads the response (the
// body whole, through Content-Length or the close).
func roundTrip(t *testing.T, addr, req string) (*http.Response, []byte) {
	t.Helper()
	raw := exchangeRaw(t, addr, req)
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%q: %v", req, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%q: body: %v", req, err)
	}
	return resp, body
}

// TestRangeAbuse sends the shapes of the "Apache Killer" (CVE-2011-3192):
// hundreds of overlapping or tiny ranges. Each answer is at most the file
// plus one part's headers, and comes at once.
func TestRangeAbuse(t *testing.T) {
	root, big := rangeTree(t)
	addr := serve(t, simpleClass(root, nil)).addr
	var overlapping, tiny, apart []string
	for i := range 64 {
		overlapping = append(overlapping, strconv.Itoa(i)+"-")
		tiny = append(tiny, strconv.Itoa(2*i)+"-"+strconv.Itoa(2*i))
		apart = append(apart, strconv.Itoa(i*16000)+"-"+strconv.Itoa(i*16000))
	}
	var killer []string
	for i := range 1300 {
		killer = append(killer, "5-"+strconv.Itoa(i))
	}
	tests := []struct {
		name       string
		value      string
		wantStatus int
		wantParts  int // 0: not multipart
	}{
		{"Apache Killer: 1300 overlapping", "bytes=0-," + strings.Join(killer, ","), 200, 0},
		{"64 overlapping open ranges", "bytes=" + strings.Join(overlapping, ","), 206, 0},
		{"64 one-byte ranges a byte apart", "bytes=" + strings.Join(tiny, ","), 206, 0},
		{"64 one-byte ranges far apart", "bytes=" + strings.Join(apart, ","), 206, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			resp, body := roundTrip(t, addr, "GET /1m.bin HTTP/1.0\r\nRange: "+tt.value+"\r\n\r\n")
			elapsed := time.Since(start)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if isMultipart := strings.HasPrefix(resp.Header.Get("Content-Type"), "multipart/"); isMultipart != (tt.wantParts > 0) {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if limit := len(big) + 200; len(body) > limit {
				t.Errorf("body of %d bytes for a file of %d", len(body), len(big))
			}
			if tt.wantParts > 0 {
				if n := bytes.Count(body, []byte("Content-Range: ")); n != tt.wantParts {
					t.Errorf("%d parts, want %d", n, tt.wantParts)
				}
			}
			t.Logf("%d bytes in %v", len(body), elapsed)
		})
	}
}

// TestRangeKeepAlive sends ranged requests one after the other on one
// HTTP/1.1 connection: each response is framed by its exact
// Content-Length, so the next one is read whole.
func TestRangeKeepAlive(t *testing.T) {
	root, big := rangeTree(t)
	addr := serve(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.ProtocolVersion = "HTTP/1.1" })).addr
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for i, rg := range []string{"0-99", "1000-", "-5", "0-0,500000-500099", "10-20"} {
		io.WriteString(conn, "GET /1m.bin HTTP/1.1\r\nHost: x\r\nRange: bytes="+rg+"\r\n\r\n")
		resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
		if err != nil {
			t.Fatalf("request %d (%s): %v", i, rg, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 206 || int64(len(body)) != resp.ContentLength {
			t.Fatalf("request %d (%s): status %d, %d bytes of %d, %v", i, rg, resp.StatusCode, len(body), resp.ContentLength, err)
		}
		if rg == "1000-" && !bytes.Equal(body, big[1000:]) {
			t.Errorf("bytes=1000- is not the file from byte 1000")
		}
	}
}

// TestRangeFilesAsCPython checks the switch: Range and the validators are
// Python's, that is absent.
func TestRangeFilesAsCPython(t *testing.T) {
	root, _ := rangeTree(t)
	addr := serve(t, simpleClass(root, func(h *httpserver.SimpleHandler) { h.FilesAsCPython = true })).addr
	want := rangeResponse("HTTP/1.0 200 OK", "Content-type: text/plain\r\nContent-Length: 14\r\nLast-Modified: Sat, 03 Feb 2001 04:05:06 GMT\r\n", "Hello, world!\n")
	for _, req := range []string{
		"GET /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n",
		"GET /hello.txt HTTP/1.0\r\nRange: bytes=100-\r\n\r\n",
		"GET /hello.txt HTTP/1.0\r\nRange: bytes=0-0,5-5\r\n\r\n",
	} {
		if diff := cmp.Diff(want, string(maskResponse(exchangeRaw(t, addr, req)))); diff != "" {
			t.Errorf("%q (-want +got):\n%s", req, diff)
		}
	}
}
