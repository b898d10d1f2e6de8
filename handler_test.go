package httpserver_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

// verbs answers every method it has a do-method for with 200 and the
// method's name as the body.
type verbs struct{ httpserver.BaseHandler }

func (h *verbs) reply(name string) {
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(len(name)))
	h.EndHeaders()
	h.Wfile.WriteString(name)
}

func (h *verbs) DoGET()        { h.reply("DoGET") }
func (h *verbs) DoHEAD()       { h.reply("DoHEAD") }
func (h *verbs) DoPOST()       { h.reply("DoPOST") }
func (h *verbs) DoPUT()        { h.reply("DoPUT") }
func (h *verbs) DoDELETE()     { h.reply("DoDELETE") }
func (h *verbs) DoOPTIONS()    { h.reply("DoOPTIONS") }
func (h *verbs) DoPATCH()      { h.reply("DoPATCH") }
func (h *verbs) DoSPAM()       { h.reply("DoSPAM") }
func (h *verbs) DoSEND_ERROR() { h.reply("DoSEND_ERROR") }
func (h *verbs) Doeggs()       { h.reply("Doeggs") }

// Not do-methods: they take arguments or return something.
func (h *verbs) DoARGS(n int)  { h.reply("DoARGS") }
func (h *verbs) DoRESULT() int { h.reply("DoRESULT"); return 0 }

// noVerbs has no do-method of its own; dispatching on it after verbs
// must not find verbs' methods.
type noVerbs struct{ httpserver.BaseHandler }

// overGET embeds verbs and replaces its DoGET.
type overGET struct{ verbs }

func (h *overGET) DoGET() { h.reply("overGET.DoGET") }

// TestDoDispatch checks that a request reaches the method named Do + its
// method token exactly, for the standard verbs and any other token, and
// gets Python's 501 otherwise.
func TestDoDispatch(t *testing.T) {
	classes := map[string]httpserver.HandlerClass{
		"verbs":   httpserver.Class[verbs](),
		"noVerbs": httpserver.Class[noVerbs](),
		"overGET": httpserver.Class[overGET](),
	}
	tests := []struct {
		class, method string
		want          string // the body, or the status line of a 501
	}{
		{"verbs", "GET", "DoGET"},
		{"verbs", "HEAD", "DoHEAD"},
		{"verbs", "POST", "DoPOST"},
		{"verbs", "PUT", "DoPUT"},
		{"verbs", "DELETE", "DoDELETE"},
		{"verbs", "OPTIONS", "DoOPTIONS"},
		{"verbs", "PATCH", "DoPATCH"},
		{"verbs", "SPAM", "DoSPAM"},
		{"verbs", "SEND_ERROR", "DoSEND_ERROR"},
		{"verbs", "eggs", "Doeggs"},
		{"verbs", "TRACE", "HTTP/1.0 501 Unsupported method ('TRACE')"},
		{"verbs", "get", "HTTP/1.0 501 Unsupported method ('get')"},
		{"verbs", "Get", "HTTP/1.0 501 Unsupported method ('Get')"},
		{"verbs", "M-SEARCH", "HTTP/1.0 501 Unsupported method ('M-SEARCH')"},
		{"verbs", "ARGS", "HTTP/1.0 501 Unsupported method ('ARGS')"},
		{"verbs", "RESULT", "HTTP/1.0 501 Unsupported method ('RESULT')"},
		{"verbs", "reply", "HTTP/1.0 501 Unsupported method ('reply')"},
		{"noVerbs", "SPAM", "HTTP/1.0 501 Unsupported method ('SPAM')"},
		{"noVerbs", "GET", "HTTP/1.0 501 Unsupported method ('GET')"},
		{"overGET", "GET", "overGET.DoGET"},
		{"overGET", "SPAM", "DoSPAM"},
	}
	servers := make(map[string]*testServer)
	for name, class := range classes {
		servers[name] = serve(t, class)
	}
	for _, tt := range tests {
		t.Run(tt.class+"/"+tt.method, func(t *testing.T) {
			c := dialRaw(t, servers[tt.class].addr)
			c.send(tt.method + " / HTTP/1.0\r\n\r\n")
			got, _ := c.readAll()
			if strings.HasPrefix(tt.want, "HTTP/") {
				got, _, _ = strings.Cut(got, "\r\n")
			} else {
				_, got, _ = strings.Cut(got, "\r\n\r\n")
			}
			if got != tt.want {
				t.Errorf("%s on %s: %q, want %q", tt.method, tt.class, got, tt.want)
			}
		})
	}
}

// connCounter reports, in each response, which connection's handler
// answered and how many requests that handler has served.
type connCounter struct {
	httpserver.BaseHandler
	id       string
	requests int
}

var handlerIDs struct {
	sync.Mutex
	n int
}

func (h *connCounter) DoGET() {
	if h.id == "" {
		handlerIDs.Lock()
		handlerIDs.n++
		h.id = strconv.Itoa(handlerIDs.n)
		handlerIDs.Unlock()
	}
	h.requests++
	body := fmt.Sprintf("handler %s request %d", h.id, h.requests)
	h.SendResponse(200)
	h.SendHeader("Content-Length", strconv.Itoa(len(body)))
	h.EndHeaders()
	h.Wfile.WriteString(body)
}

// TestHandlerClassPerConnection checks that Class and a closure both make
// one handler per connection that lives across its keep-alive requests,
// as Python instantiates RequestHandlerClass per connection, and that the
// closure's settings reach every handler.
func TestHandlerClassPerConnection(t *testing.T) {
	for name, class := range map[string]httpserver.HandlerClass{
		"Class": httpserver.Class[connCounter](),
		"closure": func() httpserver.Handler {
			return &connCounter{BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			ts := serve(t, class)
			c1 := dialRaw(t, ts.addr)
			c1.send("GET / HTTP/1.1\r\n\r\n")
			r1 := readResponse(t, c1)
			c2 := dialRaw(t, ts.addr)
			c2.send("GET / HTTP/1.1\r\n\r\n")
			r2 := readResponse(t, c2)
			id1 := strings.Fields(r1.body)[1]
			id2 := strings.Fields(r2.body)[1]
			if id1 == id2 || !strings.HasSuffix(r1.body, "request 1") || !strings.HasSuffix(r2.body, "request 1") {
				t.Errorf("two connections: %q and %q, want two handlers", r1.body, r2.body)
			}
			if name == "closure" {
				c1.send("GET / HTTP/1.1\r\n\r\n")
				again := readResponse(t, c1)
				if want := "handler " + id1 + " request 2"; again.body != want {
					t.Errorf("second request on a kept-alive connection: %q, want %q", again.body, want)
				}
				if !strings.HasPrefix(again.head, "HTTP/1.1 ") {
					t.Errorf("closure's ProtocolVersion not used: %q", again.head)
				}
			} else if !strings.HasPrefix(r1.head, "HTTP/1.0 ") {
				t.Errorf("Class's zero ProtocolVersion: %q, want HTTP/1.0", r1.head)
			}
		})
	}
}

// response is one response read from a rawConn.
type response struct{ head, body string }

// readResponse reads one response whose length is given by its
// Content-Length (0 when absent).
func readResponse(t *testing.T, c *rawConn) response {
	t.Helper()
	var head strings.Builder
	for !strings.HasSuffix(head.String(), "\r\n\r\n") {
		b, end := c.readN(1)
		if b == "" {
			t.Fatalf("connection %s after %q", end, head.String())
		}
		head.WriteString(b)
	}
	n := 0
	for _, l := range strings.Split(head.String(), "\r\n") {
		if v, ok := strings.CutPrefix(l, "Content-Length: "); ok {
			n, _ = strconv.Atoi(v)
		}
	}
	body, _ := c.readN(n)
	return response{head.String(), body}
}

// callLog records calls or events in the order they happen, from any
// goroutine: the hooks a recorder reached, a client's trace events.
type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) add(call string) {
	l.mu.Lock()
	l.calls = append(l.calls, call)
	l.mu.Unlock()
}

// take returns the calls recorded so far and starts a new record.
func (l *callLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.calls
	l.calls = nil
	return c
}

func (l *callLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}

// recorder overrides every hook of the Handler interface: each records its
// call and delegates to BaseHandler ("super"). Since BaseHandler reaches
// hooks only through self, the calls that base methods make among
// themselves land here too.
type recorder struct {
	httpserver.BaseHandler
	log *callLog
}

func (h *recorder) Setup()  { h.log.add("Setup"); h.BaseHandler.Setup() }
func (h *recorder) Handle() { h.log.add("Handle"); h.BaseHandler.Handle() }
func (h *recorder) Finish() { h.log.add("Finish"); h.BaseHandler.Finish() }
func (h *recorder) HandleOneRequest() {
	h.log.add("HandleOneRequest")
	h.BaseHandler.HandleOneRequest()
}
func (h *recorder) ParseRequest() bool {
	h.log.add("ParseRequest")
	return h.BaseHandler.ParseRequest()
}
func (h *recorder) HandleExpect100() bool {
	h.log.add("HandleExpect100")
	return h.BaseHandler.HandleExpect100()
}
func (h *recorder) SendError(code int, text ...string) {
	h.log.add("SendError " + strconv.Itoa(code))
	h.BaseHandler.SendError(code, text...)
}
func (h *recorder) SendResponse(code int, message ...string) {
	h.log.add("SendResponse " + strconv.Itoa(code))
	h.BaseHandler.SendResponse(code, message...)
}
func (h *recorder) SendResponseOnly(code int, message ...string) {
	h.log.add("SendResponseOnly " + strconv.Itoa(code))
	h.BaseHandler.SendResponseOnly(code, message...)
}
func (h *recorder) SendHeader(keyword, value string) error {
	h.log.add("SendHeader " + keyword)
	return h.BaseHandler.SendHeader(keyword, value)
}
func (h *recorder) EndHeaders() error { h.log.add("EndHeaders"); return h.BaseHandler.EndHeaders() }
func (h *recorder) FlushHeaders() error {
	h.log.add("FlushHeaders")
	return h.BaseHandler.FlushHeaders()
}
func (h *recorder) LogRequest(code int, size ...int) {
	h.log.add("LogRequest " + strconv.Itoa(code))
	h.BaseHandler.LogRequest(code, size...)
}
func (h *recorder) LogError(format string, args ...any) {
	h.log.add("LogError")
	h.BaseHandler.LogError(format, args...)
}
func (h *recorder) LogMessage(format string, args ...any) {
	h.log.add("LogMessage")
	h.BaseHandler.LogMessage(format, args...)
}
func (h *recorder) VersionString() string {
	h.log.add("VersionString")
	return h.BaseHandler.VersionString()
}
func (h *recorder) DateTimeString(t time.Time) string {
	h.log.add("DateTimeString")
	return h.BaseHandler.DateTimeString(t)
}
func (h *recorder) LogDateTimeString() string {
	h.log.add("LogDateTimeString")
	return h.BaseHandler.LogDateTimeString()
}
func (h *recorder) AddressString() string {
	h.log.add("AddressString")
	return h.BaseHandler.AddressString()
}
func (h *recorder) Do(command string) bool {
	h.log.add("Do " + command)
	return h.BaseHandler.Do(command)
}

func (h *recorder) DoGET() {
	h.log.add("DoGET")
	h.SendResponse(200)
	h.SendHeader("Content-Length", "0")
	h.EndHeaders()
}

// TestHooksReachedThroughSelf is the override matrix of ARCHITECTURE.md "Rules": a
// handler overrides every hook, and each path through the base code must
// reach the overrides, in Python's order.
func TestHooksReachedThroughSelf(t *testing.T) {
	// What SendResponse(code) does, as Python's send_response.
	sendResponse := func(code string) []string {
		return []string{
			"SendResponse " + code,
			"LogRequest " + code, "LogMessage", "AddressString", "LogDateTimeString",
			"SendResponseOnly " + code,
			"VersionString", "SendHeader Server",
			"DateTimeString", "SendHeader Date",
		}
	}
	sendError := func(code string, body bool) []string {
		calls := []string{"SendError " + code, "LogError", "LogMessage", "AddressString", "LogDateTimeString"}
		calls = append(calls, sendResponse(code)...)
		calls = append(calls, "SendHeader Connection")
		if body {
			calls = append(calls, "SendHeader Content-Type", "SendHeader Content-Length")
		}
		return append(calls, "EndHeaders", "FlushHeaders")
	}
	concat := func(parts ...[]string) []string { return slices.Concat(parts...) }
	tests := []struct {
		name    string
		timeout time.Duration
		send    string
		want    []string
	}{
		{
			name: "GET with Expect, then an unknown method",
			send: "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\nFOO / HTTP/1.1\r\n\r\n",
			want: concat(
				[]string{"Setup", "Handle", "HandleOneRequest", "ParseRequest",
					"HandleExpect100", "SendResponseOnly 100", "EndHeaders", "FlushHeaders",
					"Do GET", "DoGET"},
				sendResponse("200"),
				[]string{"SendHeader Content-Length", "EndHeaders", "FlushHeaders",
					"HandleOneRequest", "ParseRequest", "Do FOO"},
				sendError("501", true),
				[]string{"Finish"},
			),
		},
		{
			name: "bad request line",
			send: "GET / FUBAR\r\n\r\n",
			want: concat([]string{"Setup", "Handle", "HandleOneRequest", "ParseRequest"},
				sendError("400", true), []string{"Finish"}),
		},
		{
			name: "request line too long",
			send: "GET /" + strings.Repeat("a", 65536) + "\r\n",
			want: concat([]string{"Setup", "Handle", "HandleOneRequest"},
				sendError("414", true), []string{"Finish"}),
		},
		{
			name:    "timeout",
			timeout: 100 * time.Millisecond,
			send:    "GET",
			want: []string{"Setup", "Handle", "HandleOneRequest",
				"LogError", "LogMessage", "AddressString", "LogDateTimeString", "Finish"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			log := new(callLog)
			ts := serve(t, func() httpserver.Handler {
				h := &recorder{log: log}
				h.ProtocolVersion = "HTTP/1.1"
				h.Timeout = tt.timeout
				return h
			})
			c := dialRaw(t, ts.addr)
			c.send(tt.send)
			c.readAll()
			ts.stop()
			if diff := cmp.Diff(tt.want, log.get()); diff != "" {
				t.Errorf("hook calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBaseCallsHooksOnlyThroughSelf is the static half of the ARCHITECTURE.md "Rules"
// rule: no method of BaseHandler (or of a package type embedding it) calls
// a hook on its own receiver, where an override would be bypassed; hooks
// are called on b.this() or a variable holding it.
func TestBaseCallsHooksOnlyThroughSelf(t *testing.T) {
	fset := token.NewFileSet()
	files := make(map[string]*ast.File)
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = f
	}
	hooks, bases := packageHooks(files)
	if !hooks["LogMessage"] || !hooks["Do"] || !bases["BaseHandler"] {
		t.Fatalf("did not find the Handler interface and BaseHandler: hooks %v, types %v", hooks, bases)
	}
	var bad []string
	for _, f := range files {
		bad = append(bad, selfCallViolations(fset, f, hooks, bases)...)
	}
	for _, b := range bad {
		t.Errorf("%s: call it through self (b.this()), or an override is bypassed", b)
	}
}

// TestSelfCallCheckerFindsViolations shows that the checker of
// TestBaseCallsHooksOnlyThroughSelf catches direct calls.
func TestSelfCallCheckerFindsViolations(t *testing.T) {
	const src = `package p
type Handler interface { LogMessage(string, ...any); Do(string) bool }
type BaseHandler struct{ self Handler }
type Other struct{ BaseHandler }
func (b *BaseHandler) this() Handler { return b.self }
func (b *BaseHandler) LogMessage(string, ...any) {}
func (b *BaseHandler) Do(string) bool { return false }
func (b *BaseHandler) good() { b.this().LogMessage("x"); self := b.this(); self.Do("GET") }
func (b *BaseHandler) bad1() { b.LogMessage("x") }
func (o *Other) bad2() { o.BaseHandler.Do("GET"); o.LogMessage("y") }
func (o *Other) Do(c string) bool { return o.BaseHandler.Do(c) }
func (o *Other) LogMessage(f string, a ...any) { o.BaseHandler.Do(f) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	hooks, bases := packageHooks(map[string]*ast.File{"p.go": f})
	got := selfCallViolations(fset, f, hooks, bases)
	want := []string{
		"p.go:9:32: (*BaseHandler).bad1 calls b.LogMessage",
		"p.go:10:26: (*Other).bad2 calls o.BaseHandler.Do",
		"p.go:10:51: (*Other).bad2 calls o.LogMessage",
		"p.go:12:50: (*Other).LogMessage calls o.BaseHandler.Do",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

// packageHooks returns the hook names (the methods of the Handler interface
// and of any interface that embeds it) and the names of BaseHandler and of
// the struct types that embed a type among them.
func packageHooks(files map[string]*ast.File) (hooks, bases map[string]bool) {
	hooks, bases = make(map[string]bool), map[string]bool{"BaseHandler": true}
	var ifaces []*ast.InterfaceType
	structs := make(map[string]*ast.StructType)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			switch tt := ts.Type.(type) {
			case *ast.InterfaceType:
				if ts.Name.Name == "Handler" || embeds(tt.Methods, map[string]bool{"Handler": true}) {
					ifaces = append(ifaces, tt)
				}
			case *ast.StructType:
				structs[ts.Name.Name] = tt
			}
			return true
		})
	}
	for _, it := range ifaces {
		for _, m := range it.Methods.List {
			for _, n := range m.Names {
				if n.IsExported() {
					hooks[n.Name] = true
				}
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for name, st := range structs {
			if !bases[name] && embeds(st.Fields, bases) {
				bases[name], grew = true, true
			}
		}
	}
	return hooks, bases
}

// embeds reports whether fields has an embedded field of one of the named
// types (or a pointer to one).
func embeds(fields *ast.FieldList, names map[string]bool) bool {
	for _, f := range fields.List {
		if len(f.Names) > 0 {
			continue
		}
		typ := f.Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		if id, ok := typ.(*ast.Ident); ok && names[id.Name] {
			return true
		}
	}
	return false
}

// selfCallViolations lists the calls of a hook on the receiver (or on a
// field chain from it, as o.BaseHandler.X) inside methods of the base
// types.
func selfCallViolations(fset *token.FileSet, f *ast.File, hooks, bases map[string]bool) []string {
	var bad []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List[0].Names) == 0 || fd.Body == nil {
			continue
		}
		recvType := fd.Recv.List[0].Type
		if star, ok := recvType.(*ast.StarExpr); ok {
			recvType = star.X
		}
		id, ok := recvType.(*ast.Ident)
		if !ok || !bases[id.Name] {
			continue
		}
		recv := fd.Recv.List[0].Names[0].Name
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !hooks[sel.Sel.Name] || !rootedAt(sel.X, recv) {
				return true
			}
			// An override calling the version it overrides on the embedded
			// base (Python's super()) is what embedding is for:
			// (*SimpleHandler).Setup calling h.BaseHandler.Setup().
			if sel.Sel.Name == fd.Name.Name && isEmbeddedBase(sel.X, recv, bases) {
				return true
			}
			bad = append(bad, fmt.Sprintf("%s: (*%s).%s calls %s", fset.Position(call.Pos()), id.Name, fd.Name.Name, exprString(sel)))
			return true
		})
	}
	return bad
}

// isEmbeddedBase reports whether e is recv.T for a base type T (the
// embedded base of the receiver).
func isEmbeddedBase(e ast.Expr, recv string, bases map[string]bool) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || !bases[sel.Sel.Name] {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == recv
}

// rootedAt reports whether e is the identifier recv or a chain of field
// selections from it (recv.BaseHandler).
func rootedAt(e ast.Expr, recv string) bool {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == recv
		case *ast.SelectorExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return false
		}
	}
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return "?"
}
