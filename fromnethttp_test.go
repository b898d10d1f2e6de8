package httpserver_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// netHTTPCase is a handler and the raw requests sent to it, in one write
// followed by a half-close: every response the server sends until it
// closes the connection is compared.
type netHTTPCase struct {
	name    string
	handler http.Handler
	req     string
}

// rawExchange sends req to addr, half-closes and returns everything the
// server sends until it closes the connection, Date values masked.
func rawExchange(t *testing.T, addr, req string) string {
	t.Helper()
	c := dialRaw(t, addr)
	c.send(req)
	c.closeWrite()
	got, _ := c.readAll()
	return maskDate(got)
}

// netHTTPServer starts h on net/http's own server, its error log dropped.
func netHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.Listener.Addr().String()
}

func writeString(s string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, s) }
}

// sameAsNetHTTP is the cases whose responses must be net/http's, byte for
// byte but for the Date values.
func sameAsNetHTTP(t *testing.T) []netHTTPCase {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("file a\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "big.bin"), []byte(strings.Repeat("0123456789abcdef", 1024)), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b.html"), []byte("<p>b</p>"), 0o644)
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, p := range []string{"a.txt", "big.bin", "sub/b.html", "sub", "."} {
		os.Chtimes(filepath.Join(dir, p), old, old)
	}
	files := http.FileServer(http.Dir(dir))

	hello := []byte("Hello, world!")
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/plain"}
		h["Content-Length"] = []string{"13"}
		w.Write(hello)
	})
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "item %s via %s", r.PathValue("id"), r.Pattern)
	})
	mux.Handle("/static/", http.StripPrefix("/static", files))
	mux.Handle("/", files)

	big := strings.Repeat("x", 5000)
	return []netHTTPCase{
		{"hello", mux, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"hello twice", mux, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"implicit 200, sniffed text", writeString("plain words"), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"sniffed html", writeString("<!DOCTYPE html><p>hi"), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"nothing written", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"large body chunked", writeString(big), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"large body close-delimited on 1.0", writeString(big), "GET / HTTP/1.0\r\n\r\n"},
		{"1.0 keep-alive", writeString("short"), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"},
		{"1.0 keep-alive, long body", writeString(big), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"},
		{"HEAD", mux, "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"HEAD, length from the write", writeString("some text"), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"HEAD, nothing written", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"204 drops a body", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "3")
			w.WriteHeader(204)
			_, err := w.Write([]byte("abc"))
			w.Header().Set("X-Late", fmt.Sprint(err)) // ignored: the head is set
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"304 drops the type", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Etag", `"x"`)
			w.WriteHeader(304)
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"flush streams chunks", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "one ")
			w.(http.Flusher).Flush()
			io.WriteString(w, "two")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"flush before any write", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.(http.Flusher).Flush()
			io.WriteString(w, "data: 1\n\n")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"client asks to close", writeString("bye"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"handler closes", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"early hints", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Link", "</style.css>; rel=preload")
			w.WriteHeader(103)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(200)
			io.WriteString(w, "done")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"trailers", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trailer", "X-Sum, X-Bad\r\n")
			io.WriteString(w, "body")
			w.Header().Set("X-Sum", "42")
			w.Header().Set(http.TrailerPrefix+"X-Extra", "yes")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"header values cleaned, bad names dropped", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["X-Split"] = []string{" a\r\nInjected: yes ", "b"}
			w.Header()["Bad Name"] = []string{"v"}
			w.Header()["lower-case"] = []string{"kept as set"}
			w.Header().Add("B-Multi", "1")
			w.Header().Add("B-Multi", "2")
			io.WriteString(w, "ok")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"unknown status", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(599) }), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"superfluous WriteHeader", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(202)
			w.WriteHeader(500)
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"short of the declared length", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "abc")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"beyond the declared length", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "2")
			_, err := io.WriteString(w, "abc")
			w.Header().Set("X-Err", fmt.Sprint(err))
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"identity transfer encoding", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Transfer-Encoding", "identity")
			io.WriteString(w, "until close")
		}), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"unread body drained", writeString("ok"), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"unread chunked body drained", writeString("ok"), "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"body echoed", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := io.ReadAll(r.Body)
			fmt.Fprintf(w, "%d %q %v %q", r.ContentLength, b, err, r.TransferEncoding)
		}), "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"},
		{"expect continue, body read", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Write(b)
		}), "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata"},
		{"expect continue, body refused", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusForbidden)
		}), "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata"},
		{"request as net/http reads it", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s %q %q %s %d.%d host=%q close=%v\n", r.Method, r.RequestURI, r.URL.String(), r.Proto, r.ProtoMajor, r.ProtoMinor, r.Host, r.Close)
			fmt.Fprintf(w, "path=%q raw=%q query=%q force=%v\n", r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.URL.ForceQuery)
			for _, k := range []string{"Accept", "X-Dup", "Cache-Control", "Pragma", "Host", "Content-Length"} {
				fmt.Fprintf(w, "%s=%q\n", k, r.Header[k])
			}
			fmt.Fprintf(w, "%d headers, body %T\n", len(r.Header), r.Body)
		}), "GET /a%2Fb/c%20d?q=1&r=%41 HTTP/1.1\r\nhost: example.com:8080\r\naccept: */*  \r\nx-dup: 1\r\nX-DUP: 2\r\nPragma: no-cache\r\n\r\n" +
			"GET http://other.example/p?x HTTP/1.1\r\nHost: ignored\r\n\r\n" +
			"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n" +
			"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" +
			"GET /plain/path? HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /ä/€?é HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET //double//slash HTTP/1.0\r\n\r\n"},
		{"mux patterns", mux, "GET /items/42 HTTP/1.1\r\nHost: x\r\n\r\nPOST /items/42 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"file server", mux, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" +
			"HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n" +
			"GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT\r\n\r\n" +
			"GET /sub HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /static/sub/b.html HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"redirect and error helpers", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/new", http.StatusMovedPermanently)
				return
			}
			http.Error(w, "gone", http.StatusGone)
		}), "GET /old HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
}

// TestFromNetHTTPSameBytes checks that a handler served through
// FromNetHTTP sends what net/http's own server sends for the same
// requests, byte for byte but for the Date values.
func TestFromNetHTTPSameBytes(t *testing.T) {
	for _, tc := range sameAsNetHTTP(t) {
		t.Run(tc.name, func(t *testing.T) {
			want := rawExchange(t, netHTTPServer(t, tc.handler), tc.req)
			got := rawExchange(t, serve(t, httpserver.FromNetHTTP(tc.handler)).addr, tc.req)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("response differs from net/http's (-net/http +FromNetHTTP):\n%s", diff)
			}
		})
	}
}
