package httpserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
		{"middleware wrapping the writer", recordStatus(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "one ")
			if err := http.NewResponseController(w).Flush(); err != nil {
				io.WriteString(w, err.Error())
			}
			io.WriteString(w, "two")
		})), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"redirect and error helpers", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/new", http.StatusMovedPermanently)
				return
			}
			http.Error(w, "gone", http.StatusGone)
		}), "GET /old HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
}

// statusRecorder is the usual third-party middleware's ResponseWriter:
// it records the status and exposes the writer it wraps through Unwrap,
// for http.ResponseController.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func recordStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		w.Header().Set("X-Late", strconv.Itoa(rec.status)) // after the head: ignored
	})
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

// readsFirst checks that the client reads want from r while the handler
// still runs: within ioLimit, without waiting for the end of the body.
func readsFirst(t *testing.T, r io.Reader, want string) {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		b := make([]byte, len(want))
		n, _ := io.ReadFull(r, b)
		got <- string(b[:n])
	}()
	if part := within(t, got, "the first part"); part != want {
		t.Errorf("first part = %q, want %q", part, want)
	}
}

// plainClient is an HTTP client whose idle connections close at the end
// of the test.
func plainClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: ioLimit}
}

func TestFromNetHTTPKeepAliveAndLog(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /greet/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.PathValue("name"))
	})
	ts := serve(t, httpserver.FromNetHTTP(mux))
	c := plainClient(t)
	var reused []bool
	for _, name := range []string{"ada", "bob"} {
		got, r := fetch(t, c, "http://"+ts.addr+"/greet/"+name)
		if want := (reply{Status: 200, Body: "hello " + name}); got != want {
			t.Errorf("GET /greet/%s = %+v, want %+v", name, got, want)
		}
		reused = append(reused, r)
	}
	if diff := cmp.Diff([]bool{false, true}, reused); diff != "" {
		t.Errorf("connection reused (-want +got):\n%s", diff)
	}
	c.CloseIdleConnections()
	want := `127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /greet/ada HTTP/1.1" 200 -` + "\n" +
		`127.0.0.1 - - [DD/Mon/YYYY hh:mm:ss] "GET /greet/bob HTTP/1.1" 200 -` + "\n"
	if diff := cmp.Diff(want, maskLog(ts.stop())); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

// TestFromNetHTTPStreaming checks that Flush sends what was written:
// the client reads the first part while the handler still runs.
func TestFromNetHTTPStreaming(t *testing.T) {
	release := make(chan struct{})
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second\n")
	})))
	unblock := sync.OnceFunc(func() { close(release) })
	t.Cleanup(unblock) // before the server stops, even after a failure
	resp, err := plainClient(t).Get("http://" + ts.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	readsFirst(t, resp.Body, "first\n")
	unblock()
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second\n" || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("rest = %q, transfer encoding %q; want \"second\\n\", chunked", rest, resp.TransferEncoding)
	}
}

// TestFromNetHTTPContextCancelledOnDisconnect checks that a handler
// waiting on its request's context (or one derived from it) learns that
// the client went away.
func TestFromNetHTTPContextCancelledOnDisconnect(t *testing.T) {
	for _, tc := range []struct {
		name, req       string
		derive, readAll bool
	}{
		{"GET", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, false},
		{"after the body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", false, true},
		{"after the body's length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", false, false},
		{"after a chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", false, true},
		{"derived context", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			started, ended := make(chan struct{}), make(chan error, 1)
			ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.readAll {
					io.ReadAll(r.Body)
				} else {
					io.ReadFull(r.Body, make([]byte, r.ContentLength))
				}
				ctx := r.Context()
				if tc.derive {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, time.Hour)
					defer cancel()
				}
				close(started)
				select {
				case <-ctx.Done():
					ended <- ctx.Err()
				case <-time.After(ioLimit):
					ended <- nil
				}
			})))
			c := dialRaw(t, ts.addr)
			c.send(tc.req)
			within(t, started, "the handler")
			c.nc.Close()
			if err := within(t, ended, "the handler's end"); !errors.Is(err, context.Canceled) {
				t.Errorf("ctx.Err() = %v, want context.Canceled", err)
			}
		})
	}
}

// TestFromNetHTTPWatchKeepsPipelinedRequest checks that watching for a
// client that goes away does not lose a request the client sends while
// the handler runs.
func TestFromNetHTTPWatchKeepsPipelinedRequest(t *testing.T) {
	started, release := make(chan struct{}, 1), make(chan struct{})
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wait" {
			started <- struct{}{}
			select {
			case <-r.Context().Done():
				io.WriteString(w, "cancelled")
				return
			case <-release:
			}
		}
		io.WriteString(w, "done "+r.URL.Path)
	})))
	c := dialRaw(t, ts.addr)
	c.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
	within(t, started, "the first request")
	c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(50 * time.Millisecond) // let the watch read it
	close(release)
	c.closeWrite()
	got, _ := c.readAll()
	want := "HTTP/1.1 200 OK\r\nDate: " + maskedDate + "\r\nContent-Length: 10\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ndone /wait" +
		"HTTP/1.1 200 OK\r\nDate: " + maskedDate + "\r\nContent-Length: 10\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ndone /next"
	if diff := cmp.Diff(want, maskDate(got)); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
}

func TestFromNetHTTPContextEndsWithRequest(t *testing.T) {
	ctxs := make(chan context.Context, 1)
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctxs <- r.Context()
		fmt.Fprint(w, r.Context().Value(http.LocalAddrContextKey), " ", r.Context().Err())
	})))
	if got, _ := fetch(t, plainClient(t), "http://"+ts.addr+"/"); got != (reply{Status: 200, Body: ts.addr + " <nil>"}) {
		t.Errorf("got %+v, want 200 %q", got, ts.addr+" <nil>")
	}
	ctx := <-ctxs
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("after the request, ctx.Err() = %v, want context.Canceled", err)
	}
	select {
	case <-ctx.Done():
	default:
		t.Error("after the request, ctx.Done() is not closed")
	}
}

// TestFromNetHTTPShutdownCancels checks that ShutdownContext, when it
// gives up waiting, cancels the contexts of the requests it cuts off.
func TestFromNetHTTPShutdownCancels(t *testing.T) {
	started, ended := make(chan struct{}), make(chan error, 1)
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		close(started)
		select {
		case <-r.Context().Done():
			ended <- r.Context().Err()
		case <-time.After(ioLimit):
			ended <- nil
		}
	})))
	c := dialRaw(t, ts.addr)
	c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	within(t, started, "the handler")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := ts.ShutdownContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ShutdownContext = %v, want context.DeadlineExceeded", err)
	}
	if err := within(t, ended, "the handler's end"); !errors.Is(err, context.Canceled) {
		t.Errorf("ctx.Err() = %v, want context.Canceled", err)
	}
}

// TestFromNetHTTPHijack checks that a handler can take the connection
// over, with what the client sent beyond the request, and that the
// server leaves it open after the handler returns.
func TestFromNetHTTPHijack(t *testing.T) {
	returned := make(chan struct{})
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nc, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrHijacked) {
			t.Errorf("Write after Hijack = %v, want http.ErrHijacked", err)
		}
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		go func() {
			defer nc.Close()
			<-returned
			line, _ := rw.ReadString('\n')
			rw.WriteString("echo: " + line)
			rw.Flush()
		}()
	})))
	ts.HandleError = func(_ net.Conn, _ net.Addr, err error) { t.Errorf("HandleError(%v)", err) }
	c := dialRaw(t, ts.addr)
	c.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nping\n")
	head, _ := c.readN(len("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"))
	time.Sleep(50 * time.Millisecond) // the handler has returned by now
	close(returned)
	rest, _ := c.readAll()
	if want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\necho: ping\n"; head+rest != want {
		t.Errorf("got %q, want %q", head+rest, want)
	}
}

func TestFromNetHTTPMaxBytesHandler(t *testing.T) {
	h := http.MaxBytesHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprintf(w, "got %d bytes", len(b))
	}), 10)
	ts := serve(t, httpserver.FromNetHTTP(h))
	c := plainClient(t)
	for _, tc := range []struct {
		body   string
		status int
		reply  string
	}{
		{"small", 200, "got 5 bytes"},
		{strings.Repeat("x", 1000), 413, "too large\n"},
		{"again", 200, "got 5 bytes"},
	} {
		resp, err := c.Post("http://"+ts.addr+"/upload", "text/plain", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || string(b) != tc.reply {
			t.Errorf("POST %d bytes = %d %q, want %d %q", len(tc.body), resp.StatusCode, b, tc.status, tc.reply)
		}
	}
}

func TestFromNetHTTPTimeoutHandler(t *testing.T) {
	h := http.TimeoutHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
		}
		io.WriteString(w, "in time")
	}), 50*time.Millisecond, "too slow")
	ts := serve(t, httpserver.FromNetHTTP(h))
	c := plainClient(t)
	for path, want := range map[string]string{"/slow": "503 too slow", "/fast": "200 in time"} {
		r, _ := fetch(t, c, "http://"+ts.addr+path)
		if got := fmt.Sprint(r.Status, " ", r.Body); got != want {
			t.Errorf("GET %s = %q, want %q", path, got, want)
		}
	}
}

func TestFromNetHTTPTLS(t *testing.T) {
	opts, cert := ecPair(t)
	srv := serveTLS(t, true, opts, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Watching for the client to leave reads the TLS connection in
		// the background; the read is cut short when the handler
		// returns, and the connection must serve the next request.
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Millisecond):
		}
		fmt.Fprintf(w, "%v %s %s", r.TLS != nil && r.TLS.HandshakeComplete, r.TLS.NegotiatedProtocol, r.Proto)
	})), nil)
	c := tlsClient(t, cert)
	for i, wantReused := range []bool{false, true, true} {
		got, reused := fetch(t, c, baseURL(srv)+"/")
		if want := (reply{Status: 200, Body: "true http/1.1 HTTP/1.1"}); got != want || reused != wantReused {
			t.Errorf("request %d: got %+v (reused %v), want %+v (reused %v)", i+1, got, reused, want, wantReused)
		}
	}
}

// TestFromNetHTTPPanic checks that a panic in the handler reaches
// HandleError as a do-method's would, and closes the connection; that
// http.ErrAbortHandler closes it silently.
func TestFromNetHTTPPanic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		value  any
		report bool
	}{
		{"panic", "boom", true},
		{"ErrAbortHandler", http.ErrAbortHandler, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reports := make(chan error, 2)
			ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, strings.Repeat("partial ", 1000))
				panic(tc.value)
			})), func(s *httpserver.HTTPServer) {
				s.HandleError = func(_ net.Conn, _ net.Addr, err error) { reports <- err }
			})
			c := dialRaw(t, ts.addr)
			c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
			got, ending := c.readAll()
			if ending == endOpen || strings.Count(got, "HTTP/1.1 200") != 1 || strings.HasSuffix(got, "0\r\n\r\n") {
				t.Errorf("the connection was not cut after the first, unfinished response: %s, %q...", ending, got[:min(len(got), 80)])
			}
			ts.stop()
			close(reports)
			var errs []error
			for err := range reports {
				errs = append(errs, err)
			}
			if !tc.report {
				if len(errs) != 0 {
					t.Errorf("HandleError called with %v", errs)
				}
				return
			}
			var pe *httpserver.PanicError
			if len(errs) != 1 || !errors.As(errs[0], &pe) || pe.Value != tc.value || !strings.Contains(string(pe.Stack), "TestFromNetHTTPPanic") {
				t.Errorf("HandleError got %v, want one *PanicError of %q with the handler's stack", errs, tc.value)
			}
		})
	}
}

// TestFromNetHTTPResponseController checks the deadlines and full duplex
// through http.ResponseController.
func TestFromNetHTTPResponseController(t *testing.T) {
	type result struct{ readTimeout, ctxCancelled, flushTimeout bool }
	results := make(chan result, 1)
	ts := serve(t, httpserver.FromNetHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex: %v", err)
		}
		if err := rc.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
			t.Errorf("SetReadDeadline: %v", err)
		}
		var res result
		_, err := io.ReadAll(r.Body)
		res.readTimeout = errors.Is(err, os.ErrDeadlineExceeded)
		res.ctxCancelled = r.Context().Err() != nil
		if err := rc.SetWriteDeadline(time.Now().Add(-time.Second)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		io.WriteString(w, "late")
		res.flushTimeout = errors.Is(rc.Flush(), os.ErrDeadlineExceeded)
		results <- res
	})))
	c := dialRaw(t, ts.addr)
	c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
	if got, want := within(t, results, "the handler"), (result{true, true, true}); got != want {
		t.Errorf("handler saw %+v, want %+v", got, want)
	}
	if got, _ := c.readAll(); got != "" {
		t.Errorf("a response went out past the write deadline: %q", got)
	}
}

// expect417 refuses uploads before the handler sees them.
type expect417 struct{ httpserver.NetHTTPHandler }

func (h *expect417) HandleExpect100() bool {
	h.SendError(http.StatusExpectationFailed)
	return false
}

func TestFromNetHTTPHandleExpect100Override(t *testing.T) {
	called := false
	ts := serve(t, func() httpserver.Handler {
		return &expect417{httpserver.NetHTTPHandler{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })}}
	})
	c := dialRaw(t, ts.addr)
	c.send("PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	got, _ := c.readAll()
	if !strings.HasPrefix(got, "HTTP/1.1 417 Expectation Failed\r\n") || called {
		t.Errorf("got %q (handler called: %v), want a 417 without calling the handler", got, called)
	}
}

func TestFromNetHTTPOddRequests(t *testing.T) {
	ts := serve(t, httpserver.FromNetHTTP(writeString("body only")))
	for _, tc := range []struct{ name, req, want string }{
		{"HTTP/0.9", "GET /\r\n", "body only"},
		{"bad target", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad request target ('/%zz')\r\n"},
		{"method not a token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad request method ('G(T')\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rawExchange(t, ts.addr, tc.req)
			if !strings.HasPrefix(got, tc.want) || tc.name == "HTTP/0.9" && got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestNetHTTPSendfile checks that a file keeps reaching the socket's
// ReadFrom (sendfile) through both adapters: http.FileServer on this
// server, SimpleHandler on net/http's.
func TestNetHTTPSendfile(t *testing.T) {
	dir := t.TempDir()
	const size = 1 << 20
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	listen := func(t *testing.T) *recordingListener {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return &recordingListener{Listener: l}
	}
	check := func(t *testing.T, l *recordingListener, url string) {
		if r, _ := fetch(t, plainClient(t), url); r.Status != 200 || len(r.Body) != size {
			t.Fatalf("GET = %d with %d bytes, want 200 with %d", r.Status, len(r.Body), size)
		}
		// The server records the call when ReadFrom returns, which may
		// be after the client has read the body.
		for deadline := time.Now().Add(ioLimit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			for _, c := range l.readFromCalls() {
				if c.n > 0 && (strings.HasSuffix(c.reader, "{*os.File}") || c.reader == "*os.File") {
					return
				}
			}
		}
		t.Errorf("no file reached the connection's ReadFrom: %v", l.readFromCalls())
	}
	t.Run("FromNetHTTP", func(t *testing.T) {
		l := listen(t)
		srv := &httpserver.ThreadingHTTPServer{}
		srv.RequestHandlerClass = httpserver.FromNetHTTP(http.FileServer(http.Dir(dir)))
		srv.Stderr = io.Discard
		done := make(chan error, 1)
		go func() { done <- srv.Serve(l) }()
		t.Cleanup(func() { srv.Shutdown(); <-done; srv.ServerClose() })
		check(t, l, "http://"+l.Addr().String()+"/big.bin")
	})
	t.Run("ToNetHTTP", func(t *testing.T) {
		ts := httptest.NewUnstartedServer(httpserver.ToNetHTTP(func() httpserver.Handler {
			return &quietSimpleHandler{httpserver.SimpleHandler{Directory: dir}}
		}))
		l := &recordingListener{Listener: ts.Listener}
		ts.Listener = l
		ts.Start()
		t.Cleanup(ts.Close)
		check(t, l, ts.URL+"/big.bin")
	})
}
