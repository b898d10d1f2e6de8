package httpserver

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGuessTypeEmbeddedTable checks SimpleHandler's type guessing against
// the embedded 3.15 table alone (no system mime.types): the default
// extensions map first, then the suffix map, the encoding suffixes and the
// types, then the default type. The expectations are Python 3.15's
// SimpleHTTPRequestHandler.guess_type with mimetypes built from its
// defaults.
func TestGuessTypeEmbeddedTable(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/srv/x.svgz", "image/svg+xml"},
		{"/srv/x.SVGZ", "image/svg+xml"},
		{"/srv/x.tgz", "application/x-tar"},
		{"/srv/x.TGZ", "application/x-tar"},
		{"/srv/x.taz", "application/x-tar"},
		{"/srv/x.tz", "application/x-tar"},
		{"/srv/x.tbz2", "application/x-tar"},
		{"/srv/x.txz", "application/x-tar"},
		{"/srv/x.txt.br", "text/plain"},
		{"/srv/x.txt.BR", "application/octet-stream"}, // encodings are case-sensitive
		{"/srv/x.Z", "application/octet-stream"},      // extensions map
		{"/srv/x.z", "application/octet-stream"},      // no such type
		{"/srv/x.tar.Z", "application/octet-stream"},  // extensions map wins
		{"/srv/x.tar.gz", "application/gzip"},
		{"/srv/x.GZ", "application/gzip"}, // extensions map, lower-cased
		{"/srv/x.Gz", "application/gzip"},
		{"/srv/x.bz2", "application/x-bzip2"},
		{"/srv/x.xz", "application/x-xz"},
		{"/srv/x.svg.GZ", "application/gzip"},
		{"/srv/x.TXT", "text/plain"},
		{"/srv/x.Txt", "text/plain"},
		{"/srv/x.HTML", "text/html"},
		{"/srv/x.htm", "text/html"},
		{"/srv/x.xml", "text/xml"},
		{"/srv/x.c", "text/plain"},
		{"/srv/x.json", "application/json"},
		{"/srv/x.js", "text/javascript"},
		{"/srv/x.mjs", "text/javascript"},
		{"/srv/x.md", "text/markdown"},
		{"/srv/x.wasm", "application/wasm"},
		{"/srv/x.webp", "image/webp"},
		{"/srv/x.avif", "image/avif"},
		{"/srv/x.py", "text/x-python"},
		{"/srv/x.css", "text/css"},
		{"/srv/x.csv", "text/csv"},
		{"/srv/x.ico", "image/vnd.microsoft.icon"},
		{"/srv/x.yaml", "application/yaml"},
		{"/srv/x.yml", "application/yaml"},
		{"/srv/x.toml", "application/toml"},
		{"/srv/x.wav", "audio/vnd.wave"},
		{"/srv/x.exe", "application/vnd.microsoft.portable-executable"},
		{"/srv/x.bat", "text/plain"},
		{"/srv/x.sh", "application/x-sh"},
		{"/srv/a.b.c.md", "text/markdown"},
		{"/srv/.bashrc", "application/octet-stream"},
		{"/srv/..x", "application/octet-stream"},
		{"/srv/x.", "application/octet-stream"},
		{"/srv/noext", "application/octet-stream"},
		{"/srv/d.d/file", "application/octet-stream"},
		{"/srv/x.\xff", "application/octet-stream"},
	}
	h := &SimpleHandler{}
	db := builtinMimeDB()
	for _, tt := range tests {
		if got := h.guessType(tt.path, db); got != tt.want {
			t.Errorf("guessType(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestBuiltinMimeDBSize guards the embedded table against truncation.
func TestBuiltinMimeDBSize(t *testing.T) {
	db := builtinMimeDB()
	got := [3]int{len(db.suffixes), len(db.encodings), len(db.types)}
	if want := [3]int{6, 5, 213}; got != want {
		t.Errorf("suffixes, encodings, types = %v, want %v", got, want)
	}
}

// TestReadMIMETypes checks the mime.types overlay as MimeTypes.readfp
// reads a file: later lines win, '#' words end a line, extensions keep
// their case (so an upper-case one never matches the lower-cased lookup),
// and "\r" ends a line.
func TestReadMIMETypes(t *testing.T) {
	db := builtinMimeDB().clone()
	db.readMIMETypes("# comment\n" +
		"application/xml xml xsl\n" +
		"text/x-c c #zzh\tzzcc\n" +
		"text/one txt\ntext/two txt\n" +
		"text/upper UPPER\n" +
		"type-only\n" +
		"text/cr crx\rtext/after after\u00a0nbsp\n")
	tests := []struct{ path, want string }{
		{"x.xml", "application/xml"},
		{"x.xsl", "application/xml"},
		{"x.c", "text/x-c"},
		{"x.zzh", ""},
		{"x.zzcc", ""},
		{"x.txt", "text/two"},
		{"x.UPPER", ""},
		{"x.crx", "text/cr"},
		{"x.after", "text/after"},
		{"x.nbsp", "text/after"},
		{"x.html", "text/html"},
	}
	for _, tt := range tests {
		if got := db.guessFileType(tt.path); got != tt.want {
			t.Errorf("guessFileType(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got := builtinMimeDB().guessFileType("x.xml"); got != "text/xml" {
		t.Errorf("the overlay changed the embedded table: x.xml is %q", got)
	}
}

func TestSplitExt(t *testing.T) {
	tests := []struct{ in, root, ext string }{
		{"a.tar.gz", "a.tar", ".gz"},
		{"/d/.bashrc", "/d/.bashrc", ""},
		{"/d/..x", "/d/..x", ""},
		{"/d/..x.y", "/d/..x", ".y"},
		{"/d.d/f", "/d.d/f", ""},
		{"x.", "x", "."},
		{"", "", ""},
	}
	for _, tt := range tests {
		root, ext := splitExt(tt.in)
		if diff := cmp.Diff([2]string{tt.root, tt.ext}, [2]string{root, ext}); diff != "" {
			t.Errorf("splitExt(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
