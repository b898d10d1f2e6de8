package httpserver

import "time"

// SetHandshakeTimeout shortens the TLS handshake limit of s, so that tests
// need not wait defaultHandshakeTimeout.
func SetHandshakeTimeout(s *HTTPServer, d time.Duration) { s.handshakeTimeout = d }
