package httpserver

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
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
	entries, err := h.readDirUnsorted(path)
	if err != nil {
		self.SendError(404, "No permission to list directory")
		return nil
	}
	type item struct {
		key string // Python's name.lower(), in WTF-8: code-point order
		ent os.DirEntry
	}
	items := make([]item, len(entries))
	for i, e := range entries {
		items[i] = item{pyLower(surrogateEscape(e.Name())), e}
	}
	slices.SortStableFunc(items, func(a, b item) int { return strings.Compare(a.key, b.key) })

	title, _ := encodeSurrogateEscape(escapeHTML(unquotePath(cutQueryFragment(h.Path))), "\uFFFD")
	buf := make([]byte, 0, 400+2*len(title)+len(items)*80)
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
	for _, it := range items {
		name := it.ent.Name()
		isLink := it.ent.Type()&os.ModeSymlink != 0
		isDir := it.ent.IsDir()
		if isLink {
			fi, err := h.stat(joinPath(path, name))
			isDir = err == nil && fi.IsDir()
		}
		buf = append(buf, `<li><a href="`...)
		buf = appendQuoted(buf, surrogateEscape(name))
		if isDir {
			buf = append(buf, '/')
		}
		buf = append(buf, `">`...)
		buf = append(buf, escapeHTML(name)...)
		switch {
		case isLink:
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

// readDirUnsorted returns the entries of a directory in the order the
// file system gives them, as os.listdir; the listing's stable sort keeps
// that order among names that lower-case alike.
func (h *SimpleHandler) readDirUnsorted(path string) ([]os.DirEntry, error) {
	f, err := h.open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}
