package httpserver

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ListDirectory sends the 200 headers of an HTML listing of the directory
// at path (a file-system path, as TranslatePath makes) and returns the
// listing, or answers 404 "No permission to list directory" when the
// directory cannot be read and returns nil. It mirrors list_directory,
// byte for byte:
//   - entries sorted by their lower-cased names (Python's str.lower(), so
//     Unicode-aware), in directory order where names tie; no "..";
//   - a directory's name, and its link, end with "/"; a symbolic link's
//     name ends with "@" instead (its link still ends with "/" if it
//     points at a directory); the type comes from the directory entry,
//     and only symbolic links cost a stat;
//   - links percent-encoded, keeping only A–Z a–z 0–9 _ . - ~ /; name
//     bytes that are not UTF-8 are encoded as Python's surrogates
//     (0xFF → %ED%B3%BF), which TranslatePath maps back to the byte;
//   - names and the title (Path without query and fragment,
//     percent-decoded) with &, < and > escaped, and written as the raw
//     bytes they are;
//   - Content-type "text/html; charset=utf-8", Content-Length, and
//     ExtraResponseHeaders.
//
// So a name holding markup, quotes, CR or LF, or bytes that are not UTF-8,
// shows as text and links to itself: the link has no byte that could end
// the attribute or make it another URL (":" is encoded, so a name such as
// "javascript:x" links to "javascript%3Ax", a relative path). With
// StayInDirectory the directory is read through Directory's os.Root, and
// a symbolic link that leads outside counts as broken.
//
// The caller must close the listing.
func (h *SimpleHandler) ListDirectory(path string) io.ReadCloser {
	self := h.this()
	entries, err := h.listEntries(path)
	if err != nil {
		self.SendError(404, "No permission to list directory")
		return nil
	}
	title, _ := encodeSurrogateEscape(escapeHTML(unquotePath(cutQueryFragment(h.Path))), "\uFFFD")
	size := 400 + 2*len(title)
	for i := range entries {
		size += 32 + len(entries[i].href) + len(entries[i].display)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, "<!DOCTYPE HTML>\n"+
		"<html lang=\"en\">\n"+
		"<head>\n"+
		"<meta charset=\"utf-8\">\n"+
		"<style type=\"text/css\">\n:root {\ncolor-scheme: light dark;\n}\n</style>\n"+
		"<title>Directory listing for "...)
	buf = append(buf, title...)
	buf = append(buf, "</title>\n</head>\n<body>\n<h1>Directory listing for "...)
	buf = append(buf, title...)
	buf = append(buf, "</h1>\n<hr>\n<ul>\n"...)
	for i := range entries {
		e := &entries[i]
		isDir := e.isDir
		if e.isLink {
			// What a link points at can change without the directory
			// changing: look again on every request.
			fi, err := h.stat(joinPath(path, e.name))
			isDir = err == nil && fi.IsDir()
		}
		buf = append(buf, `<li><a href="`...)
		buf = append(buf, e.href...)
		if isDir {
			buf = append(buf, '/')
		}
		buf = append(buf, `">`...)
		buf = append(buf, e.display...)
		switch {
		case e.isLink:
			buf = append(buf, '@')
		case isDir:
			buf = append(buf, '/')
		}
		buf = append(buf, "</a></li>\n"...)
	}
	buf = append(buf, "</ul>\n<hr>\n</body>\n</html>\n"...)

	self.SendResponse(200)
	self.SendHeader("Content-type", "text/html; charset=utf-8")
	self.SendHeader("Content-Length", strconv.Itoa(len(buf)))
	h.sendExtraResponseHeaders()
	self.EndHeaders()
	return io.NopCloser(bytes.NewReader(buf))
}

// listEntry is one directory entry as the listing shows it.
type listEntry struct {
	name    string // the file name's bytes
	href    string // its link, percent-encoded, without a directory's "/"
	display string // its text, &<>-escaped
	isLink  bool
	isDir   bool // from the entry's type; a link's target is looked up per request
}

// listEntries returns the entries of the directory at path, sorted as the
// listing shows them: from the server's snapshot when the directory is
// unchanged since it was taken (see snapshot.go), else read afresh.
func (h *SimpleHandler) listEntries(path string) ([]listEntry, error) {
	cache := h.snapshotCache()
	if cache != nil {
		fi, err := h.stat(path)
		if err != nil {
			return nil, err
		}
		if key, ok := keyOf(fi); ok && fi.IsDir() {
			if entries := cache.dir(key); entries != nil {
				return entries, nil
			}
		}
	}
	f, err := h.open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A snapshot is of the directory read, as its fstat before the read
	// describes it, on a file system whose times can be trusted.
	key, ok := keyOfFile(f)
	if !ok || !trustedFS(f) {
		cache = nil
	}
	raw, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	type item struct {
		key string // Python's name.lower(), in WTF-8: code-point order
		i   int    // directory order, for names that lower-case alike
	}
	items := make([]item, len(raw))
	for i, e := range raw {
		items[i] = item{pyLower(surrogateEscape(e.Name())), i}
	}
	slices.SortFunc(items, func(a, b item) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.i - b.i
	})
	entries := make([]listEntry, len(items))
	for j, it := range items {
		e := raw[it.i]
		name := e.Name()
		href := name
		if !isUnreserved(name) {
			href = string(appendQuoted(nil, surrogateEscape(name)))
		}
		entries[j] = listEntry{
			name:    name,
			href:    href,
			display: escapeHTML(name),
			isLink:  e.Type()&os.ModeSymlink != 0,
			isDir:   e.IsDir(),
		}
	}
	if cache != nil {
		cache.putDir(key, entries, time.Now())
	}
	return entries, nil
}

// snapshotCache returns the server's snapshots, or nil where they cannot
// be used: without a server, or with StayInDirectory (whose os.Root
// decides what a path may reach).
func (h *SimpleHandler) snapshotCache() *snapshotCache {
	if h.StayInDirectory {
		return nil
	}
	return h.Server.snapshots()
}

// isUnreserved reports whether quoting leaves s as it is: every byte is one
// of A–Z a–z 0–9 _ . - ~ /.
func isUnreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '_' || c == '.' || c == '-' || c == '~' || c == '/') {
			return false
		}
	}
	return true
}
