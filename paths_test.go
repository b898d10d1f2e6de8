package httpserver_test

import (
	"strings"
	"testing"

	"github.com/httpserver-go/httpserver"
)

// Status lines of the hardening tests (ProtocolVersion HTTP/1.0).
const (
	status200      = "HTTP/1.0 200 OK"
	status301      = "HTTP/1.0 301 Moved Permanently"
	status404      = "HTTP/1.0 404 File not found"
	status404List  = "HTTP/1.0 404 No permission to list directory"
	status414      = "HTTP/1.0 414 URI Too Long"
	listingOfSrv   = `<a href="hello.txt">hello.txt</a>`
	listingTitleUp = "Directory listing for /../"
)

// outsideMarks are what no response of the traversal tests may hold: the
// secret files' content, and links to the names beside the served
// directory, which only a listing of its parent would show.
var outsideMarks = []string{secretContent, `href="outside/"`, `href="srv-secret/"`, `href="srv/"`}

// traversalCases try to reach outside/secret.txt, beside the served
// directory, by every spelling of "..", "/" and "\\" a client might try.
// All of them stay inside, as in Python; the literal names they produce
// do not exist.
var traversalCases = []hostileCase{
	{name: "dot-dot", req: get("/../outside/secret.txt"), status: status404},
	{name: "dot-dot-deep", req: get("/../../../../../../../../../../etc/passwd"), status: status404},
	{name: "dot-dot-sibling-prefix", req: get("/../srv-secret/secret.txt"), status: status404},
	{name: "dot-dot-after-dir", req: get("/sub/../../outside/secret.txt"), status: status404},
	{name: "dot-dot-redirect", req: get("/.."), status: status301, location: "/../"},
	{name: "dot-dot-listing", req: get("/../"), status: status200, body: listingTitleUp},
	{name: "encoded-dot-dot", req: get("/%2e%2e/outside/secret.txt"), status: status404},
	{name: "encoded-dot-dot-and-slash", req: get("/%2E%2E%2Foutside%2Fsecret.txt"), status: status404},
	{name: "encoded-dot-dot-listing", req: get("/%2e%2e/%2e%2e/"), status: status200, body: listingOfSrv},
	{name: "half-encoded-dot-dot", req: get("/.%2e/%2e./outside/secret.txt"), status: status404},
	{name: "dot-dot-encoded-slash", req: get("/..%2f..%2foutside%2fsecret.txt"), status: status404},
	{name: "encoded-slash-dot-dot", req: get("/sub%2f..%2f..%2foutside/secret.txt"), status: status404},
	{name: "double-encoded", req: get("/%252e%252e/x.txt"), status: status200, body: "double-encoded\n"},
	{name: "double-encoded-slash", req: get("/%252e%252e%252foutside%252fsecret.txt"), status: status404},
	{name: "backslashes", req: get(`/..\..\outside\secret.txt`), status: status404},
	{name: "backslashes-and-slashes", req: get(`/..\/..\/outside/secret.txt`), status: status404},
	{name: "encoded-backslashes", req: get("/..%5c..%5coutside%5csecret.txt"), status: status404},
	{name: "encoded-nul", req: get("/hello.txt%00"), status: status404},
	{name: "encoded-nul-after-dot-dot", req: get("/..%00/outside/secret.txt"), status: status404},
	{name: "raw-nul", req: get("/hello.txt\x00"), status: status404},
	{name: "overlong-dots", req: get("/%c0%ae%c0%ae/outside/secret.txt"), status: status404},
	{name: "overlong-dots-3-byte", req: get("/%e0%80%ae%e0%80%ae/outside/secret.txt"), status: status404},
	{name: "overlong-slash", req: get("/..%c0%af..%c0%afoutside%c0%afsecret.txt"), status: status404},
	{name: "overlong-dots-listing", req: get("/%c0%ae%c0%ae/"), status: status404},
	{name: "fullwidth-dots", req: get("/%ef%bc%8e%ef%bc%8e/outside/secret.txt"), status: status404},
	{name: "absolute-form", req: get("http://host/../../outside/secret.txt"), status: status404},
	{name: "absolute-form-file", req: get("http://host/hello.txt"), status: status404},
	{name: "relative-target", req: get("../outside/secret.txt"), status: status404},
	{name: "relative-dot-dot", req: get(".."), status: status301, location: "../"},
	{name: "asterisk", req: get("*"), status: status404},
	{name: "file-system-path", req: get("/etc/passwd"), status: status404},
	{name: "query-holds-dot-dot", req: get("/hello.txt?/../../outside/secret.txt"), status: status200, body: "Hello, world!\n"},
	{name: "fragment-holds-dot-dot", req: get("/sub/other.txt#/../../../outside/secret.txt"), status: status200, body: "other\n"},
	{name: "long-path", req: get("/" + strings.Repeat("../", 21000) + "outside/secret.txt"), status: status404},
	{name: "too-long-target", req: get("/" + strings.Repeat("../", 22000)), status: status414},
}

// errnoCases reach each way a file-system call can fail; each must be a
// 404 with Python's message, never a 500, a dropped connection or a hang.
var errnoCases = []hostileCase{
	{name: "symlink-loop", req: get("/loop-a"), status: status404},                                        // ELOOP
	{name: "symlink-loop-slash", req: get("/loop-a/"), status: status404},                                 // ELOOP
	{name: "symlink-loop-inner", req: get("/loop-a/x"), status: status404},                                // ELOOP
	{name: "link-chain-41", req: get("/" + strings.Repeat("self/", 41) + "hello.txt"), status: status404}, // ELOOP
	{name: "name-too-long", req: get("/" + strings.Repeat("x", 300)), status: status404},                  // ENAMETOOLONG
	{name: "name-too-long-slash", req: get("/" + strings.Repeat("x", 300) + "/"), status: status404},      // ENAMETOOLONG
	{name: "name-too-long-encoded", req: get("/" + strings.Repeat("%41", 300)), status: status404},        // ENAMETOOLONG
	{name: "path-too-long", req: get("/" + strings.Repeat("abcd/", 1000)), status: status404},             // ENAMETOOLONG
	{name: "path-too-long-through-links", req: get("/" + strings.Repeat("self/", 1000) + "hello.txt"), status: status404},
	{name: "nul", req: get("/%00"), status: status404},            // EINVAL in os.Root
	{name: "nul-in-dir", req: get("/sub%00/"), status: status404}, // EINVAL in os.Root
	{name: "unencodable-surrogate", req: get("/%ED%A0%80/x"), status: status404},
	{name: "through-a-file", req: get("/file.txt/x"), status: status404},              // ENOTDIR
	{name: "file-with-slash", req: get("/file.txt/"), status: status404},              // not a directory
	{name: "through-a-file-listing", req: get("/file.txt/x/"), status: status404},     // ENOTDIR
	{name: "missing", req: get("/missing/x.txt"), status: status404},                  // ENOENT
	{name: "missing-listing", req: get("/missing/"), status: status404},               // ENOENT
	{name: "head-of-a-loop", req: "HEAD /loop-b HTTP/1.0\r\n\r\n", status: status404}, // ELOOP
}

// TestPathTraversal sends traversalCases to SimpleHandler, with and
// without StayInDirectory (the tree has no link that leads out), and
// checks that nothing outside the served directory is ever served.
func TestPathTraversal(t *testing.T) {
	bothModes(t, func(t *testing.T, stay bool) {
		dir, _ := hostileTree(t, false)
		addr := serveHostile(t, simpleClass(dir, func(h *httpserver.SimpleHandler) { h.StayInDirectory = stay }))
		runHostile(t, addr, traversalCases, outsideMarks...)
	})
}

// TestPathErrors sends errnoCases to SimpleHandler, with and without
// StayInDirectory: every failure of stat, open or readdir is a 404.
func TestPathErrors(t *testing.T) {
	bothModes(t, func(t *testing.T, stay bool) {
		dir, _ := hostileTree(t, false)
		addr := serveHostile(t, simpleClass(dir, func(h *httpserver.SimpleHandler) { h.StayInDirectory = stay }))
		runHostile(t, addr, errnoCases, outsideMarks...)
	})
}
