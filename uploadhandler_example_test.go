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

// Inbox receives uploads into the directory inbox/ under Directory,
// whatever directory the request names, each name prefixed with the
// client's address: UploadHandler asks UploadPath, through the outermost
// value, where every file goes.
type Inbox struct{ httpserver.UploadHandler }

func (h *Inbox) UploadPath(dir, name string) string {
	return filepath.Join(h.Directory, "inbox", h.AddressString()+"-"+name)
}

func ExampleUploadHandler() {
	dir, err := os.MkdirTemp("", "inbox")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.Mkdir(filepath.Join(dir, "inbox"), 0o755)

	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", func() httpserver.Handler {
		h := &Inbox{}
		h.Directory = dir
		h.MaxUploadSize = 100 << 20
		return h
	})
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard // the request log
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	// As curl -T notes.txt http://127.0.0.1:PORT/notes.txt
	req, _ := http.NewRequest("PUT", "http://"+srv.ServerAddress.String()+"/notes.txt", strings.NewReader("hello\n"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Print(string(body))
	data, _ := os.ReadFile(filepath.Join(dir, "inbox", "127.0.0.1-notes.txt"))
	fmt.Printf("inbox/127.0.0.1-notes.txt: %q\n", data)
	// Output:
	// 201 Created
	// created 127.0.0.1-notes.txt (6 bytes)
	// inbox/127.0.0.1-notes.txt: "hello\n"
}
