package httpserver

import (
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

type overridesHandle struct{ SimpleHandler }

func (h *overridesHandle) Handle() { h.SimpleHandler.Handle() }

type overridesOneRequest struct{ BaseHandler }

func (h *overridesOneRequest) HandleOneRequest() { h.BaseHandler.HandleOneRequest() }

type embedsSimple struct{ SimpleHandler }

// embedsOverride inherits overridesHandle's Handle: promoted, but not
// BaseHandler's.
type embedsOverride struct{ overridesHandle }

type handleMethod struct{}

func (handleMethod) Handle() {}

// shadowsHandle embeds SimpleHandler and, shallower, another Handle.
type shadowsHandle struct {
	SimpleHandler
	handleMethod
}

// TestCanPark checks which handlers' connections may give up their
// goroutine: those whose Handle and HandleOneRequest are BaseHandler's.
func TestCanPark(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, c := range []struct {
		name string
		h    Handler
		want bool
	}{
		{"SimpleHandler", &SimpleHandler{}, peekable},
		{"embeds SimpleHandler", &embedsSimple{}, peekable},
		{"overrides Handle", &overridesHandle{}, false},
		{"overrides HandleOneRequest", &overridesOneRequest{}, false},
		{"embeds a type that overrides Handle", &embedsOverride{}, false},
		{"embeds SimpleHandler and a Handle of another type", &shadowsHandle{}, false},
	} {
		if got := canPark(c.h, raw); got != c.want {
			t.Errorf("%s: canPark %v, want %v", c.name, got, c.want)
		}
	}
	if canPark(&SimpleHandler{}, struct{ net.Conn }{raw}) {
		t.Errorf("canPark true for a connection without a file descriptor")
	}
}

// TestIdleConnectionParks checks that a kept-alive connection idle past
// the sweep waits on a goroutine of its own, the one that served it gone.
func TestIdleConnectionParks(t *testing.T) {
	if !peekable {
		t.Skip("connections do not park on " + runtime.GOOS)
	}
	_, get := keptAlive(t, serveDir(t, t.TempDir()))
	get("/")
	time.Sleep(700 * time.Millisecond)
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	var waiting []string
	for _, g := range strings.Split(stacks, "\n\n") {
		if strings.Contains(g, "httpserver.(*conn).awaitFirstByte") || strings.Contains(g, "httpserver.(*HTTPServer).unpark") {
			waiting = append(waiting, g)
		}
	}
	if len(waiting) != 1 || !strings.Contains(waiting[0], "httpserver.(*HTTPServer).unpark") || strings.Contains(waiting[0], "handleConn") {
		t.Errorf("the idle connection's goroutines, want one, parked:\n%s", strings.Join(waiting, "\n\n"))
	}
	get("/") // and it serves on
}
