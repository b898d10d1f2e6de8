package httpserver

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
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
// a symbolic link that leads outside counts as broken; with FS set it is
// read from FS (see FS for what it can tell of links).
//
// The caller must close the listing.
func (h *SimpleHandler) ListDirectory(path string) io.ReadCloser {
	return h.listDirectory(path, "", nil)
}

// listDirectory is ListDirectory with form (HTML) placed between the
// heading and the list, and the entries whose names hide reports true
// left out; UploadHandler's listing has its upload form and hides the
// temporary files of uploads in progress.
func (h *SimpleHandler) listDirectory(path, form string, hide func(name string) bool) io.ReadCloser {
	self := h.this()
	entries, err := h.listEntries(path)
	if err != nil {
		self.SendError(404, "No permission to list directory")
		return nil
	}
	title, _ := pystr.EncodeSurrogateEscape(escapeHTML(unquotePath(cutQueryFragment(h.Path))), "\uFFFD")
	size := 400 + 2*len(title) + len(form)
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
	buf = append(buf, "</h1>\n<hr>\n"...)
	buf = append(buf, form...)
	buf = append(buf, "<ul>\n"...)
	for i := range entries {
		e := &entries[i]
		if hide != nil && hide(e.name) {
			continue
		}
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
	raw, key, err := h.readDir(path, &cache)
	if err != nil {
		return nil, err
	}
	type item struct {
		key string // Python's name.lower(), in WTF-8: code-point order
		i   int    // directory order, for names that lower-case alike
	}
	items := make([]item, len(raw))
	for i, e := range raw {
		items[i] = item{pystr.Lower(pystr.SurrogateEscape(e.Name())), i}
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
		if !pystr.IsUnreserved(name) {
			href = string(pystr.AppendQuoted(nil, pystr.SurrogateEscape(name)))
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

// readDir returns the entries of the directory at path in the order the
// file system gives them, as os.listdir (the listing's stable sort keeps
// that order among names that lower-case alike), and the key of the
// directory as read. It clears *cache when the read cannot be snapshotted:
// a directory of FS, or one on a file system whose times cannot be trusted.
func (h *SimpleHandler) readDir(path string, cache **snapshotCache) ([]os.DirEntry, fileKey, error) {
	if h.FS != nil {
		*cache = nil
		raw, err := h.readFSDir(path)
		return raw, fileKey{}, err
	}
	f, err := h.open(path)
	if err != nil {
		return nil, fileKey{}, err
	}
	defer f.Close()
	// A snapshot is of the directory read, as its fstat before the read
	// describes it, on a file system whose times can be trusted.
	key, ok := keyOfFile(f)
	if !ok || !trustedFS(f) {
		*cache = nil
	}
	raw, err := f.ReadDir(-1)
	return raw, key, err
}
