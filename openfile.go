package httpserver

import (
	"os"
	"time"
)

// openFile is the regular file a connection opened last, kept open so
// that another request for it (the next chunk of a video, the same asset
// on a kept-alive connection) costs the stat Python makes anyway instead
// of an open, an fstat and a close: nginx's open_file_cache, one entry per
// connection. snapshot.go explains when it is used and why that cannot
// serve what Python would not.
//
// A connection holds at most one descriptor this way, until it opens
// another file, a request finds the path changed or gone, or the
// connection ends (Finish). Until then a file deleted after it was served
// keeps its disk space, as it does for any process that has it open.
//
// Owned by the connection's goroutine.
type openFile struct {
	f   *os.File // nil: none kept
	key fileKey  // f's key when it was opened
}

// close closes the kept file, if any.
func (o *openFile) close() {
	if o.f != nil {
		o.f.Close()
		*o = openFile{}
	}
}

// openFile opens the regular file at path for reading, or returns the one
// the connection keeps when fi, a fresh stat of path (nil: it failed),
// shows the same file in the same state. It returns the file, the
// FileInfo that describes it (fi, or the fstat of a file just opened, as
// Python takes its headers from fstat), and whether the connection keeps
// the file, so that the body must leave it open. Anything but a regular
// file is refused before it is opened.
func (h *SimpleHandler) openFile(path string, fi os.FileInfo) (f *os.File, info os.FileInfo, keep, ok bool) {
	if fi == nil || !fi.Mode().IsRegular() {
		h.kept.close()
		return nil, nil, false, false
	}
	key, hasKey := keyOf(fi)
	if hasKey && h.kept.f != nil && h.kept.key == key {
		return h.kept.f, fi, true, true
	}
	h.kept.close()
	f, ofi, ok := h.openRegular(path, fi)
	if !ok {
		return nil, nil, false, false
	}
	if okey, ok := keyOf(ofi); ok && h.keepable(okey) && trustedFS(f) {
		h.kept = openFile{f, okey}
		return f, ofi, true, true
	}
	return f, ofi, false, true
}

// keepable reports whether a file of key may be kept open: its ctime is
// old enough (see snapshot.go).
func (h *SimpleHandler) keepable(key fileKey) bool {
	minAge := snapshotMinAge
	if c := h.Server.snapshots(); c != nil {
		minAge = c.minAge
	}
	return key.stable(time.Now(), minAge)
}

// openRegular opens path for reading if it is a regular file: fi is what
// stat said of it (nil: it failed). Anything else is refused before it
// is opened, and the opened file is checked again, so a FIFO or device
// swapped in meanwhile is never read (the open itself does not block on
// it).
func (h *SimpleHandler) openRegular(path string, fi os.FileInfo) (*os.File, os.FileInfo, bool) {
	if fi == nil || !fi.Mode().IsRegular() {
		return nil, nil, false
	}
	f, err := h.open(path)
	if err != nil {
		return nil, nil, false
	}
	fi, err = f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, fi, true
}
