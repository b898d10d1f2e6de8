package httpserver_test

import (
	"sync"
	"testing"

	"github.com/httpserver-go/httpserver"
	"github.com/httpserver-go/httpserver/internal/syncbuf"
)

// testServer is a ThreadingHTTPServer on 127.0.0.1:0 serving in the
// background, its log captured. stop waits for every connection to end,
// so the log it returns is complete.
type testServer struct {
	*httpserver.ThreadingHTTPServer
	addr   string
	log    *syncbuf.Buffer
	served chan error
	once   sync.Once
}

// serve starts class on a ThreadingHTTPServer whose ServerClose waits for
// its connections; configure, if given, adjusts the server before it
// serves. The server is stopped at the end of the test.
func serve(t testing.TB, class httpserver.HandlerClass, configure ...func(*httpserver.HTTPServer)) *testServer {
	t.Helper()
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", class)
	if err != nil {
		t.Fatalf("NewThreadingHTTPServer: %v", err)
	}
	ts := &testServer{ThreadingHTTPServer: srv, addr: srv.ServerAddress.String(), log: new(syncbuf.Buffer), served: make(chan error, 1)}
	srv.DaemonThreads = false
	srv.Stderr = ts.log
	for _, f := range configure {
		f(&srv.HTTPServer)
	}
	go func() { ts.served <- srv.ServeForever() }()
	t.Cleanup(func() { ts.stop() })
	return ts
}

// stop shuts the server down, waits for its connections to finish and
// returns everything it logged.
func (ts *testServer) stop() string {
	ts.once.Do(func() {
		ts.Shutdown()
		<-ts.served
		ts.ServerClose()
	})
	return ts.log.String()
}
