// Package httpservertest runs an httpserver handler class on a loopback
// port for a test, as net/http/httptest does for an http.Handler: the
// same names (NewServer, NewTLSServer, NewUnstartedServer, Start,
// StartTLS, Close, CloseClientConnections, Certificate, Client) and the
// same Server fields (URL, Listener, TLS, Config), so a Go programmer
// knows it at sight.
//
//	srv := httpservertest.NewServer(httpserver.Class[Hello]())
//	defer srv.Close()
//	resp, err := srv.Client().Get(srv.URL + "/greeting")
//
// The server is a ThreadingHTTPServer: each connection runs on its own
// goroutine. Server.Config is that server; set its fields (limits such as
// MaxHeaderBytes, Stderr, hooks such as VerifyRequest) between
// NewUnstartedServer and Start or StartTLS.
//
// # Where the log goes
//
// A passing test prints nothing. When Config.Stderr is nil at Start, the
// server's log (the access log, LogError and LogMessage lines, and the
// HandleError reports of I/O errors, such as a client that hung up) is
// discarded, and, when Config.HandleError is also nil, a panic in a
// handler is printed on os.Stderr with its stack, as net/http's test
// server prints one, because it is a bug in the test. To see the log with
// the test's own output (shown when the test fails, or with go test -v),
// or to check log lines, set Config.Stderr before starting:
//
//	srv := httpservertest.NewUnstartedServer(class)
//	srv.Config.Stderr = t.Output() // or a buffer the test reads
//	srv.Start()
//	defer srv.Close()
//
// # Ports and certificates
//
// NewUnstartedServer listens at once on 127.0.0.1 port 0 (on [::1] port
// 0 when the machine has no IPv4 loopback) and the URL is made from the
// port the system chose, so no other program can take the port between
// choosing and listening. TLS servers share one certificate, made the
// first time one starts in the process: an ECDSA P-256 key, self-signed,
// for 127.0.0.1, ::1 and localhost, valid from 1970 to 2100 (so that a
// fake clock, such as testing/synctest's, does not find it expired).
// Client and Dial trust it; Certificate returns it for other clients.
//
// # Differences from httptest
//
// Close closes every connection at once, including one whose request is
// still being handled, where httptest lets requests in progress finish:
// a handler that streams until its client goes away cannot hold Close. A
// test that needs a response reads it before calling Close. Dial is new:
// a raw connection, over TLS after StartTLS, for a test that sends exact
// bytes (a malformed request, a custom method, HTTP/0.9). The Client does
// not send requests for other hosts (example.com) to the server.
package httpservertest
