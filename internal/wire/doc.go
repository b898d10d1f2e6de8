// Package wire holds the HTTP/1 primitives that need no handler, as
// net/http/internal does for net/http: the request body reader with its
// chunked decoder, header-line splitting, HTTP version parsing and the
// field values that decide framing (Content-Length, lists, Host). The
// handler in the httpserver package decides what to answer; this package
// only says what the bytes are.
package wire
