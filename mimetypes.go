package httpserver

import (
	_ "embed"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// mimeTable is Python 3.15's default mimetypes table (strict types, suffix
// map and encodings map), one "kind<TAB>extension<TAB>value" line each.
//
//go:embed mimetypes.tsv
var mimeTable string

// mimeDB is a MIME types database, as a mimetypes.MimeTypes holds it.
// Immutable once built.
type mimeDB struct {
	suffixes  map[string]string // suffix_map: ".tgz" → ".tar.gz"
	encodings map[string]string // encodings_map: ".gz" → "gzip"
	types     map[string]string // types_map[True]: ".html" → "text/html"
}

// builtinMimeDB returns the embedded 3.15 table alone, parsed on first use.
var builtinMimeDB = sync.OnceValue(func() *mimeDB {
	db := &mimeDB{
		suffixes:  make(map[string]string),
		encodings: make(map[string]string),
		types:     make(map[string]string),
	}
	for line := range strings.Lines(mimeTable) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		kind, rest, _ := strings.Cut(line, "\t")
		ext, value, _ := strings.Cut(rest, "\t")
		switch kind {
		case "suffix":
			db.suffixes[ext] = value
		case "encoding":
			db.encodings[ext] = value
		case "type":
			db.types[ext] = value
		}
	}
	return db
})

// knownMIMEFiles are the mime.types files Python's mimetypes reads on
// first use, in its order (one of them twice, as in Python's list); later
// entries win. Windows has none: Python reads the registry there, which
// this package does not.
func knownMIMEFiles() []string {
	if runtime.GOOS == "windows" {
		return nil
	}
	return []string{
		"/etc/mime.types",
		"/etc/httpd/mime.types",
		"/etc/httpd/conf/mime.types",
		"/etc/apache/mime.types",
		"/etc/apache2/mime.types",
		"/usr/local/etc/httpd/conf/mime.types",
		"/usr/local/lib/netscape/mime.types",
		"/usr/local/etc/httpd/conf/mime.types",
		"/usr/local/etc/mime.types",
	}
}

// systemMimeDB returns the database SimpleHandler.GuessType consults: the
// embedded table overlaid by the system's mime.types files that exist,
// read once per process on first use, as mimetypes.init() does. A file
// that cannot be read is skipped (Python fails every request instead).
var systemMimeDB = sync.OnceValue(func() *mimeDB {
	db := builtinMimeDB().clone()
	for _, name := range knownMIMEFiles() {
		if fi, err := os.Stat(name); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		db.readMIMETypes(string(data))
	}
	return db
})

func (db *mimeDB) clone() *mimeDB {
	c := &mimeDB{
		suffixes:  make(map[string]string, len(db.suffixes)),
		encodings: make(map[string]string, len(db.encodings)),
		types:     make(map[string]string, len(db.types)),
	}
	for k, v := range db.suffixes {
		c.suffixes[k] = v
	}
	for k, v := range db.encodings {
		c.encodings[k] = v
	}
	for k, v := range db.types {
		c.types[k] = v
	}
	return c
}

// readMIMETypes adds the lines of a mime.types file, as
// MimeTypes.readfp: "type ext1 ext2 ..." split at whitespace, a word
// starting with '#' ends the line, each extension (dot prepended, case
// kept) maps to the type, replacing what it mapped to before. Lines end
// at "\n", "\r" or "\r\n", as Python's text files read them.
func (db *mimeDB) readMIMETypes(data string) {
	for line := range strings.FieldsFuncSeq(data, func(r rune) bool { return r == '\n' || r == '\r' }) {
		words := strings.FieldsFunc(line, pystr.IsUnicodeSpace)
		for i, w := range words {
			if w[0] == '#' {
				words = words[:i]
				break
			}
		}
		if len(words) < 2 {
			continue
		}
		for _, suff := range words[1:] {
			db.types["."+suff] = words[0]
		}
	}
}

// guessFileType returns the type mimetypes.guess_file_type(path) gives,
// or "" if it has none: the suffix map applied (case-insensitively, over
// and over: .svgz → .svg.gz), one encoding suffix stripped
// (case-sensitively: .gz .Z .bz2 .xz .br) and thrown away, then the
// lower-cased extension looked up.
func (db *mimeDB) guessFileType(path string) string {
	base, ext := splitExt(path)
	for {
		s, ok := db.suffixes[pystr.Lower(ext)]
		if !ok {
			break
		}
		base, ext = splitExt(base + s)
	}
	if _, ok := db.encodings[ext]; ok {
		_, ext = splitExt(base)
	}
	return db.types[pystr.Lower(ext)]
}

// splitExt splits off the extension of the last segment of a '/'-separated
// path, as posixpath.splitext: from the last '.', unless only dots precede
// it in the segment (".bashrc" and "..x" have none).
func splitExt(p string) (root, ext string) {
	sep := strings.LastIndexByte(p, '/')
	dot := strings.LastIndexByte(p, '.')
	if dot > sep {
		for i := sep + 1; i < dot; i++ {
			if p[i] != '.' {
				return p[:dot], p[dot:]
			}
		}
	}
	return p, ""
}
