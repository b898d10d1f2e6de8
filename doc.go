// Package httpserver is Python's http.server rebuilt in Go: the same classes,
// the same hooks, and the same bytes on the wire as CPython 3.15.2, with the
// crash paths closed and the speed of a Go server.
//
// A Go program extends it the way a Python program subclasses
// BaseHTTPRequestHandler: embed BaseHandler in a struct, write do-methods
// named Do + the HTTP method (DoGET, DoPOST, or DoSPAM for a custom SPAM
// method), and run it on a server:
//
//	type Hello struct{ httpserver.BaseHandler }
//
//	func (h *Hello) DoGET() {
//		h.SendResponse(200)
//		h.SendHeader("Content-Type", "text/plain")
//		h.SendHeader("Content-Length", "13")
//		h.EndHeaders()
//		h.Wfile.WriteString("Hello, world!")
//	}
//
//	func main() {
//		srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:8000", httpserver.Class[Hello]())
//		if err != nil {
//			log.Fatal(err)
//		}
//		log.Fatal(srv.ServeForever())
//	}
//
// SimpleHandler serves a directory as SimpleHTTPRequestHandler does, and the
// command in cmd/httpserver is `python -m http.server`.
//
// Beyond Python: UploadHandler also receives files (PUT, and multipart POST
// from the upload form its listings carry), atomically and confined to its
// directory, and BasicAuth puts any handler behind HTTP Basic
// authentication with the users of an htpasswd file.
//
// # Subclassing with embedding
//
// Go has no virtual methods, so the server hands each handler a pointer to
// the outermost value ("self") and the base calls every overridable method
// through it. A method defined on the embedding type therefore replaces the
// base's everywhere, also when the base calls it from inside its own code
// (SendResponse calls LogRequest, which calls LogMessage; SendError calls
// LogError; ParseRequest calls HandleExpect100). Call the base's version,
// Python's super(), by naming it: h.BaseHandler.LogMessage(format, args...).
//
// Python's class attributes are exported fields whose zero value means
// Python's default, and a HandlerClass closure sets them, as a subclass
// would:
//
//	class := func() httpserver.Handler {
//		return &Hello{httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"}}
//	}
//
// # net/http
//
// FromNetHTTP runs net/http handlers (a ServeMux, http.FileServer,
// middleware) on these servers, answering as net/http's own server does;
// ToNetHTTP mounts a do-method handler class in a net/http server
// (httptest, a ServeMux route, HTTP/2). See NetHTTPHandler and the README.
//
// # Python names and Go names
//
//	Python (http.server, socketserver)        Go (httpserver)
//	HTTPServer(addr, Handler)                  NewHTTPServer("host:port", class)
//	ThreadingHTTPServer                        NewThreadingHTTPServer
//	HTTPSServer(..., certfile=, keyfile=,      NewHTTPSServer(addr, class, TLSOptions{
//	    password=, alpn_protocols=)                CertFile, KeyFile, Password, ALPNProtocols})
//	ThreadingHTTPSServer                       NewThreadingHTTPSServer
//	server.serve_forever()                     srv.ServeForever()
//	server.shutdown() / server_close()         srv.Shutdown() / srv.ServerClose()
//	server.handle_request(), .timeout          srv.HandleRequest(), srv.Timeout
//	server.server_address / server_name /      srv.ServerAddress / ServerName / ServerPort
//	    server_port
//	daemon_threads, block_on_close             srv.DaemonThreads, srv.BlockOnClose
//	verify_request, handle_error,              srv.VerifyRequest, srv.HandleError,
//	    handle_timeout, service_actions            srv.HandleTimeout, srv.ServiceActions
//	(sys.stderr)                               srv.Stderr
//	RequestHandlerClass                        HandlerClass, Class[T]()
//	BaseHTTPRequestHandler                     BaseHandler (embedded)
//	SimpleHTTPRequestHandler                   SimpleHandler (embedded)
//	def do_GET(self)                           func (h *T) DoGET()
//	self.command, path, request_version,       h.Command, h.Path, h.RequestVersion,
//	    requestline, headers                       h.RequestLine, h.Headers
//	self.headers['X'], get_all('X')            h.Headers.Get("X"), h.Headers.Values("X")
//	self.rfile, self.wfile                     h.Rfile (*bufio.Reader), h.Wfile (*bufio.Writer)
//	self.client_address, self.server           h.ClientAddress, h.Server
//	self.close_connection                      h.CloseConnection
//	send_response(code, msg)                   h.SendResponse(code, msg...)
//	send_response_only, send_header,           h.SendResponseOnly, h.SendHeader,
//	    end_headers, flush_headers                 h.EndHeaders, h.FlushHeaders
//	send_error(code, msg, explain)             h.SendError(code, msg, explain)
//	log_request, log_error, log_message        h.LogRequest, h.LogError, h.LogMessage
//	version_string, date_time_string,          h.VersionString, h.DateTimeString,
//	    log_date_time_string, address_string       h.LogDateTimeString, h.AddressString
//	handle_expect_100                          h.HandleExpect100
//	server_version, sys_version,               ServerVersion, SysVersion,
//	    protocol_version,                          ProtocolVersion,
//	    default_request_version,                   DefaultRequestVersion,
//	    error_message_format,                      ErrorMessageFormat,
//	    error_content_type, timeout                ErrorContentType, Timeout
//	responses[code]                            StatusPhrase(code), StatusExplanation(code)
//
// # Differences from Python
//
// Everything a well-behaved client can observe is CPython 3.15.2's, byte for
// byte. The deliberate differences make the server safer: no request can
// crash a connection (a panic in a do-method is reported through HandleError
// and closes only that connection); SendHeader refuses header names and
// values that would split the response; request framing is enforced so that
// keep-alive cannot desync; Wfile is buffered (what a do-method writes is
// sent when it returns, or at Wfile.Flush). The README lists them all.
package httpserver
