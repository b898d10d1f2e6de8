package httpserver

import "strings"

// crossSite reports whether a request was sent by a browser on behalf of
// a page from another origin, by the headers browsers add and pages
// cannot forge: Sec-Fetch-Site, when present, must be "same-origin" or
// "none" (typed by the user); without it, an Origin must name the same
// host and port as the Host header. A request with neither header (curl,
// scripts, older browsers' same-origin requests) is not cross-site: what
// this stops is a web page making the visitor's browser write to a server
// on their machine or network.
func crossSite(headers *Headers) bool {
	switch headers.Get("Sec-Fetch-Site") {
	case "":
	case "same-origin", "none":
		return false
	default:
		return true
	}
	origin := headers.Get("Origin")
	if origin == "" {
		return false
	}
	// Origin is scheme "://" host [":" port], or "null" for an opaque
	// origin (a sandboxed frame, a file:// page), which matches no host.
	_, hostPort, ok := strings.Cut(origin, "://")
	return !ok || !equalFoldASCII(hostPort, headers.Get("Host"))
}
