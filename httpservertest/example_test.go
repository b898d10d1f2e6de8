package httpservertest_test

import (
	"bufio"
	"fmt"
	"io"
	"log"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/httpservertest"
)

// Hello answers every GET with a greeting.
type Hello struct{ httpserver.BaseHandler }

func (h *Hello) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", "13")
	h.EndHeaders()
	h.Wfile.WriteString("Hello, world!")
}

func ExampleNewServer() {
	srv := httpservertest.NewServer(httpserver.Class[Hello]())
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/greeting")
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 200 OK text/plain
	// Hello, world!
}

// A test that must send exact bytes, here a request for a method the
// handler lacks, writes them on a raw connection.
func ExampleServer_Dial() {
	srv := httpservertest.NewServer(httpserver.Class[Hello]())
	defer srv.Close()

	conn, err := srv.Dial()
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "BREW /pot HTTP/1.0\r\n\r\n")
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", status)
	// Output:
	// "HTTP/1.0 501 Unsupported method ('BREW')\r\n"
}
