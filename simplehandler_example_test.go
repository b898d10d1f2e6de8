package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/httpserver-go/httpserver"
)

// Notes serves a directory with its own Content-type for Markdown, as a
// Python subclass of SimpleHTTPRequestHandler overriding guess_type.
type Notes struct{ httpserver.SimpleHandler }

func (n *Notes) GuessType(path string) string {
	if strings.HasSuffix(path, ".md") {
		return "text/markdown; charset=utf-8"
	}
	return n.SimpleHandler.GuessType(path)
}

func ExampleSimpleHandler() {
	dir, err := os.MkdirTemp("", "notes")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "todo.md"), []byte("# To do\n"), 0o644)

	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", func() httpserver.Handler {
		return &Notes{httpserver.SimpleHandler{Directory: dir}}
	})
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard // the request log
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	resp, err := http.Get("http://" + srv.ServerAddress.String() + "/todo.md")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println(resp.Header.Get("Content-Type"))
	fmt.Print(string(body))
	// Output:
	// 200 OK
	// text/markdown; charset=utf-8
	// # To do
}
