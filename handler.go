package httpserver

import (
	"reflect"
	"sync"
	"time"
)

// Handler is the set of methods a server calls on a request handler, and
// that the handler's own code calls on itself: every method Python's
// BaseHTTPRequestHandler reaches through self. A type satisfies it by
// embedding BaseHandler (or SimpleHandler) in a struct and being used by
// pointer; the unexported method seals the interface so that nothing else
// can.
//
// A method the embedding type defines replaces the base's everywhere,
// including calls made from inside other base methods: the server gives
// the handler a pointer to the outermost value ("self") before Setup, and
// base code calls every hook through it. To call the base's version from an
// override ("super"), name it: h.BaseHandler.LogMessage(format, args...).
type Handler interface {
	Setup()
	Handle()
	Finish()
	HandleOneRequest()
	ParseRequest() bool
	HandleExpect100() bool
	SendError(code int, text ...string)
	SendResponse(code int, message ...string)
	SendResponseOnly(code int, message ...string)
	SendHeader(keyword, value string) error
	EndHeaders() error
	FlushHeaders() error
	LogRequest(code int, size ...int)
	LogError(format string, args ...any)
	LogMessage(format string, args ...any)
	VersionString() string
	DateTimeString(t time.Time) string
	LogDateTimeString() string
	AddressString() string
	Do(command string) bool

	baseHandler() *BaseHandler
}

// HandlerClass makes the handler for one connection, as Python instantiates
// RequestHandlerClass once per connection and then loops over its
// keep-alive requests. Each call must return a new value: the server sets
// per-connection state on it. Use Class for a plain type, or a closure to
// configure the value:
//
//	class := func() httpserver.Handler {
//		return &httpserver.SimpleHandler{Directory: dir}
//	}
type HandlerClass func() Handler

// Class returns the HandlerClass that makes a new zero T for every
// connection; *T must implement Handler, which it does when T embeds
// BaseHandler or SimpleHandler.
//
//	srv, err := httpserver.NewHTTPServer(":8000", httpserver.Class[Hello]())
func Class[T any, PT interface {
	*T
	Handler
}]() HandlerClass {
	return func() Handler { return PT(new(T)) }
}

// Do calls the do-method for command and reports whether there was one: the
// method named "Do" + command exactly (GET → DoGET, SPAM → DoSPAM,
// SEND_ERROR → DoSEND_ERROR), as Python's getattr(self, 'do_' + command).
// The method must be exported, take no arguments and return nothing.
// HandleOneRequest calls it and sends 501 when it returns false.
//
// The standard verbs are found by interface assertion; any other command
// through a table built by reflection once per handler type. Note that the
// match is purely by name: a method such as Done() is the do-method of a
// request whose method is "ne", as do_ne would be in Python.
func (b *BaseHandler) Do(command string) bool {
	self := b.this()
	switch command {
	case "GET":
		if m, ok := self.(interface{ DoGET() }); ok {
			m.DoGET()
			return true
		}
		return false
	case "HEAD":
		if m, ok := self.(interface{ DoHEAD() }); ok {
			m.DoHEAD()
			return true
		}
		return false
	case "POST":
		if m, ok := self.(interface{ DoPOST() }); ok {
			m.DoPOST()
			return true
		}
		return false
	case "PUT":
		if m, ok := self.(interface{ DoPUT() }); ok {
			m.DoPUT()
			return true
		}
		return false
	case "DELETE":
		if m, ok := self.(interface{ DoDELETE() }); ok {
			m.DoDELETE()
			return true
		}
		return false
	case "OPTIONS":
		if m, ok := self.(interface{ DoOPTIONS() }); ok {
			m.DoOPTIONS()
			return true
		}
		return false
	case "PATCH":
		if m, ok := self.(interface{ DoPATCH() }); ok {
			m.DoPATCH()
			return true
		}
		return false
	}
	i, ok := doMethods(reflect.TypeOf(self))[command]
	if !ok {
		return false
	}
	reflect.ValueOf(self).Method(i).Call(nil)
	return true
}

// doTables caches, per concrete handler type, the index of each do-method
// by its command.
var doTables sync.Map // reflect.Type → map[string]int

func doMethods(t reflect.Type) map[string]int {
	if m, ok := doTables.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int)
	for i := range t.NumMethod() {
		meth := t.Method(i)
		if len(meth.Name) > 2 && meth.Name[:2] == "Do" && meth.Type.NumIn() == 1 && meth.Type.NumOut() == 0 {
			m[meth.Name[2:]] = i
		}
	}
	actual, _ := doTables.LoadOrStore(t, m)
	return actual.(map[string]int)
}
