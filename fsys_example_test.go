package httpserver_test

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"

	"github.com/httpserver-go/httpserver"
)

// fstree is the site the example serves, compiled into the program.
//
//go:embed testdata/fstree
var fstree embed.FS

func ExampleSimpleHandler_fs() {
	site, err := fs.Sub(fstree, "testdata/fstree") // the site's root
	if err != nil {
		panic(err)
	}
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", func() httpserver.Handler {
		return &httpserver.SimpleHandler{FS: site}
	})
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard // the request log
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	base := "http://" + srv.ServerAddress.String()
	for _, path := range []string{"/hello.txt", "/docs", "/nothing"} {
		resp, err := http.Get(base + path) // follows the redirect of /docs to /docs/
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// An embed.FS keeps no modification times: no Last-Modified.
		fmt.Printf("%s: %s, %s, Last-Modified %q\n", resp.Request.URL.Path, resp.Status,
			resp.Header.Get("Content-Type"), resp.Header.Get("Last-Modified"))
		if resp.StatusCode == http.StatusOK {
			first, _, _ := strings.Cut(string(body), "\n")
			fmt.Println(first)
		}
	}
	// Output:
	// /hello.txt: 200 OK, text/plain, Last-Modified ""
	// Hello from an fs.FS.
	// /docs/: 200 OK, text/html, Last-Modified ""
	// <!DOCTYPE html>
	// /nothing: 404 File not found, text/html;charset=utf-8, Last-Modified ""
}
