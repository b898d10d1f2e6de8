package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/httpserver-go/httpserver"
)

// Hello is the handler of the package documentation: it embeds
// BaseHandler and answers GET, as a Python subclass of
// BaseHTTPRequestHandler with a do_GET method.
type Hello struct{ httpserver.BaseHandler }

func (h *Hello) DoGET() {
	h.SendResponse(200)
	h.SendHeader("Content-Type", "text/plain")
	h.SendHeader("Content-Length", "13")
	h.EndHeaders()
	h.Wfile.WriteString("Hello, world!")
}

// A handler type on a ThreadingHTTPServer, fetched with net/http.
func Example() {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.Class[Hello]())
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard // the request log; os.Stderr by default
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", srv.ServerPort))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Server") != "")
	fmt.Println(string(body))
	// Output:
	// 200 OK true
	// Hello, world!
}

// Spam answers the method SPAM: any token becomes a method once the
// handler has a do-method for it.
type Spam struct{ httpserver.BaseHandler }

func (h *Spam) DoSPAM() {
	h.SendResponse(200, "Spam OK")
	h.SendHeader("Content-Length", "4")
	h.EndHeaders()
	h.Wfile.WriteString("eggs")
}

// A custom method: a request for SPAM reaches DoSPAM, and a method with no
// do-method gets Python's 501 response.
func Example_customMethod() {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.Class[Spam]())
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	for _, method := range []string{"SPAM", "EGGS"} {
		req, _ := http.NewRequest(method, fmt.Sprintf("http://127.0.0.1:%d/", srv.ServerPort), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(method, "->", resp.Status)
	}
	// Output:
	// SPAM -> 200 Spam OK
	// EGGS -> 501 Unsupported method ('EGGS')
}

// Missing answers every GET with an error page.
type Missing struct{ httpserver.BaseHandler }

func (h *Missing) DoGET() {
	h.SendError(404, "Nothing at "+h.Path)
}

// SendError sends Python's error page; the message becomes the reason
// phrase of the status line and appears, HTML-escaped, in the page.
func ExampleBaseHandler_SendError() {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.Class[Missing]())
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/<away>", srv.ServerPort))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println(resp.Header.Get("Content-Type"), resp.Header.Get("Connection"))
	for line := range strings.Lines(string(body)) {
		if strings.Contains(line, "<p>") {
			fmt.Print(strings.TrimSpace(line), "\n")
		}
	}
	// Output:
	// 404 Nothing at /%3Caway%3E
	// text/html;charset=utf-8 close
	// <p>Error code: 404</p>
	// <p>Message: Nothing at /%3Caway%3E.</p>
	// <p>Error code explanation: 404 - Nothing matches the given URI.</p>
}

// Class makes a new zero handler for each connection; a closure gives the
// handler settings, here Python's class attribute protocol_version, which
// turns on HTTP/1.1 keep-alive.
func ExampleHandlerClass() {
	class := func() httpserver.Handler {
		return &Hello{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
	}
	for _, c := range []httpserver.HandlerClass{httpserver.Class[Hello](), class} {
		srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", c)
		if err != nil {
			panic(err)
		}
		srv.Stderr = io.Discard
		go srv.ServeForever()
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", srv.ServerPort))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Proto, "close:", resp.Close)
		srv.Shutdown()
		srv.ServerClose()
	}
	// Output:
	// HTTP/1.0 close: true
	// HTTP/1.1 close: false
}

// Quiet reports its requests on stdout instead of the server's Stderr.
type Quiet struct{ Hello }

func (h *Quiet) LogMessage(format string, args ...any) {
	fmt.Printf("log: "+format+"\n", args...)
}

// Overriding a hook: SendResponse logs through LogRequest, which calls
// LogMessage on the outermost handler, so the override receives every
// line, as in Python.
func ExampleBaseHandler_LogMessage() {
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", httpserver.Class[Quiet]())
	if err != nil {
		panic(err)
	}
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	for _, path := range []string{"/", "/again"} {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", srv.ServerPort, path))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
	// Output:
	// log: "GET / HTTP/1.1" 200 -
	// log: "GET /again HTTP/1.1" 200 -
}
