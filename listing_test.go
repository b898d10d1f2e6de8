package httpserver_test

import "testing"

// TestListDirectoryGolden checks listings byte for byte: the sort order
// (Python's str.lower(), surrogates for undecodable bytes), the "/" and
// "@" markers, percent-encoded links, escaped names and titles.
func TestListDirectoryGolden(t *testing.T) {
	root, rawNames := makeSimpleTree(t)
	plain := simpleClass(root, nil)
	py := []string{}
	runResponseGoldens(t, "listing", root, rawNames, []responseCase{
		{"names", plain, py, "GET /names/ HTTP/1.0\r\n\r\n", false},
		{"empty", plain, py, "GET /empty/ HTTP/1.0\r\n\r\n", false},
		{"unicode-sort", plain, py, "GET /sort/ HTTP/1.0\r\n\r\n", false},
		{"raw-names", plain, py, "GET /raw/ HTTP/1.0\r\n\r\n", true},
		{"title-escaped-query-cut", plain, py, "GET /names/%3Cb%3E%26/../?q=<x>#frag HTTP/1.0\r\n\r\n", false},
		{"title-latin1", plain, py, "GET /empty/\xe9/../ HTTP/1.0\r\n\r\n", false},
		{"title-surrogate-escape", plain, py, "GET /empty/%ED%B3%BF/../ HTTP/1.0\r\n\r\n", false},
		{"title-replacement", plain, py, "GET /empty/%FF%C3/../ HTTP/1.0\r\n\r\n", false},
		{"title-unencodable-surrogate", plain, nil, "GET /empty/%ED%A0%80/../ HTTP/1.0\r\n\r\n", false},
		{"title-not-normalised", plain, py, "GET /empty/./ HTTP/1.0\r\n\r\n", false},
		{"title-nul", plain, py, "GET /empty/%00/../ HTTP/1.0\r\n\r\n", false},
		{"symlinked-directory", plain, py, "GET /names/link2dir/ HTTP/1.0\r\n\r\n", false},
	})
}
