package httpserver

import "net"

// CloseConnections closes every connection the server is serving, idle
// between requests or in the middle of one, and goes on accepting new
// ones. A handler in progress sees its reads and writes fail; its
// connection ends as any failed connection does (HandleError reports the
// I/O error). CloseConnections does not wait for the handlers to return:
// ShutdownContext does, after stopping the server.
//
// It is safe to call from any goroutine, a handler included (its own
// connection is closed too). Python has no counterpart; it is what a test
// uses to make its client see the server hang up.
func (s *HTTPServer) CloseConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for tc := range s.conns {
		conns = append(conns, tc.nc)
	}
	s.mu.Unlock()
	// Outside the lock: closing a TLS connection sends close_notify,
	// which may wait for the client.
	for _, nc := range conns {
		nc.Close()
	}
}
