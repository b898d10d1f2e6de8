package httpserver

import (
	"io"
	"io/fs"
	"os"
	"time"
)

// openFile is the regular file a connection opened last, kept open so
// that another request for it (the next chunk of a video, the same asset
// on a kept-alive connection) costs the stat Python makes anyway instead
// of an open, an fstat and a close: nginx's open_file_cache, one entry per
// connection. A kept file of at most maxMappedFile bytes is also mapped
// (read-only, shared), so that its bytes are copied from the page cache
// without a read(2): the mapping shows the file's bytes of the moment, as
// a read does, whoever writes them and however (write(2), another
// process's mapping). snapshot.go explains when a file is kept and why
// that cannot serve what Python would not.
//
// A connection holds at most one descriptor (and mapping) this way, until
// it opens another file, a request finds the path changed or gone, the
// connection waits idle long enough for the server to take back its
// buffers (releaseIdle, conn.awaitFirstByte), or it ends (Finish). Until then a file deleted after it was served
// keeps its disk space, as it does for any process that has it open.
//
// Owned by the connection's goroutine.
type openFile struct {
	fileSource         // f nil: none kept
	key        fileKey // f's key when it was opened
}

// maxMappedFile is the largest kept file that is mapped; larger ones are
// read with pread(2) or sent with sendfile(2), whose cost their size
// dwarfs.
const maxMappedFile = 64 << 10

// fileSource is an open regular file to send bytes from: a file on disk
// (f), or a file of SimpleHandler.FS that is not an *os.File (fsf).
type fileSource struct {
	f    *os.File
	mem  []byte // a mapping of the file's first len(mem) bytes, or nil
	keep bool   // the connection keeps f and mem: a body leaves them open

	fs *fsFile // with f nil: the file of FS (a pointer: every connection's handler holds two fileSources)
}

// fsFile is a file of SimpleHandler.FS that is not an *os.File.
type fsFile struct {
	f  fs.File
	ra io.ReaderAt // f read at an offset; nil: f can only be read through, once
}

// seekable reports whether any byte of the file can be read first, as
// Range needs.
func (s *fileSource) seekable() bool { return s.f != nil || s.fs != nil && s.fs.ra != nil }

// close closes the kept file and unmaps it, if any.
func (o *openFile) close() {
	if o.f != nil {
		if o.mem != nil {
			unmapFile(o.mem)
		}
		o.f.Close()
		*o = openFile{}
	}
}

// openFile opens the regular file at path for reading, or returns the one
// the connection keeps when fi, a fresh stat of path (nil: it failed),
// shows the same file in the same state. It returns the file and the
// FileInfo that describes it (fi, or the fstat of a file just opened, as
// Python takes its headers from fstat). Anything but a regular file is
// refused before it is opened.
func (h *SimpleHandler) openFile(path string, fi os.FileInfo) (fileSource, os.FileInfo, bool) {
	if h.FS != nil {
		return h.openFSFile(path, fi)
	}
	if fi == nil || !fi.Mode().IsRegular() {
		if h.files != nil {
			h.files.kept.close()
		}
		return fileSource{}, nil, false
	}
	kept := &h.fileState().kept
	key, hasKey := keyOf(fi)
	if hasKey && kept.f != nil && kept.key == key {
		return kept.fileSource, fi, true
	}
	kept.close()
	f, ofi, ok := h.openRegular(path, fi)
	if !ok {
		return fileSource{}, nil, false
	}
	if okey, ok := keyOf(ofi); ok && h.keepable(okey) && trustedFS(f) {
		src := fileSource{f: f, keep: true}
		if size := ofi.Size(); size > 0 && size <= maxMappedFile {
			src.mem = mapFile(f, int(size))
		}
		*kept = openFile{src, okey}
		return src, ofi, true
	}
	return fileSource{f: f}, ofi, true
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
