package httpserver

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Serving an fs.FS (SimpleHandler.FS). The handler's logic is the same as
// for Directory: SendHead and ListDirectory work on the paths TranslatePath
// makes, and only the few places that touch the file system (stat in
// stayindirectory.go, openBody, readDirUnsorted) turn to FS when it is set.
// TranslatePath then translates under fsRoot, a virtual root, and fsName
// turns its paths into the names FS knows.

// fsRoot is the directory TranslatePath translates a request path under
// when FS is set, as it does under Directory: FS's root is named "" (or "/"
// with the trailing "/" of a request path such as "/"), its file "a/b"
// "/a/b".
const fsRoot = ""

// errNotDisk is what the disk's open answers when FS is set, so that a
// path of FS never reaches the disk.
var errNotDisk = errors.New("httpserver: FS is set: the path is not the disk's")

// fsName returns the name in FS of path, a path under fsRoot as
// TranslatePath makes it ("", "/", "/a/b", "/a/"): slash-separated,
// without the leading "/" or a trailing one, "." for the root. A path that
// names nothing in FS (not beginning with "/", an empty or ".." segment,
// bytes that are not UTF-8) gets an error wrapping fs.ErrNotExist, as a
// missing file.
func fsName(op, path string) (string, error) {
	path = filepath.ToSlash(path) // TranslatePath joins with the OS's separator
	if path == fsRoot || path == fsRoot+"/" {
		return ".", nil
	}
	name, ok := strings.CutPrefix(path, fsRoot+"/")
	name = strings.TrimSuffix(name, "/")
	if !ok || !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: path, Err: fs.ErrNotExist}
	}
	return name, nil
}

// fsStat returns the FileInfo of path in FS, as fs.Stat: symbolic links
// followed where FS follows them; see regular.
func (h *SimpleHandler) fsStat(path string) (fs.FileInfo, error) {
	name, err := fsName("stat", path)
	if err != nil {
		return nil, err
	}
	fi, err := fs.Stat(h.FS, name)
	if err != nil {
		return nil, err
	}
	return regular(fi), nil
}

// regular returns fi, made a regular file's if it is of unknown kind
// (fs.ModeIrregular), which is what a gocloud.dev bucket says of every
// object: SimpleHandler serves it as a file, and may take it for an index
// page. Directories, links that FS did not follow, and the FIFOs, devices
// and sockets of os.DirFS stay what they are, and are not served.
func regular(fi fs.FileInfo) fs.FileInfo {
	if fi.Mode().Type() == fs.ModeIrregular {
		return irregularFile{fi}
	}
	return fi
}

// irregularFile is the FileInfo of a file of unknown kind, served as a
// regular file.
type irregularFile struct{ fs.FileInfo }

func (f irregularFile) Mode() fs.FileMode { return f.FileInfo.Mode() &^ fs.ModeIrregular }

// openFSRegular opens the file at path in FS if it is a regular file (see
// regular): fi is what fsStat said of it (nil: it failed). It returns the file and what its
// Stat says, as openRegular does for Directory. The file is an *os.File
// for os.DirFS and (*os.Root).FS, which sendfile can send, and an
// io.ReadSeeker for most others (embed.FS, fstest.MapFS, gocloud.dev
// buckets; not *zip.Reader), which Range can seek.
func (h *SimpleHandler) openFSRegular(path string, fi fs.FileInfo) (fs.File, fs.FileInfo, bool) {
	if fi == nil || !fi.Mode().IsRegular() {
		return nil, nil, false
	}
	name, err := fsName("open", path)
	if err != nil {
		return nil, nil, false
	}
	f, err := h.FS.Open(name)
	if err != nil {
		return nil, nil, false
	}
	fi, err = f.Stat()
	if err != nil || !regular(fi).Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, regular(fi), true
}

// openFSFile is openFile for FS: the file at path, which fsStat said fi
// of (nil: it failed), and the FileInfo its Stat gives. An *os.File
// (os.DirFS) is sent as a file of Directory is, with sendfile; a file that
// can be read at an offset (embed.FS, fstest.MapFS) or seek (a bucket's
// object) serves Range; any other (a zip entry) is read through once.
// Nothing is kept open or snapshotted: FS's files are read on every
// request.
func (h *SimpleHandler) openFSFile(path string, fi fs.FileInfo) (fileSource, fs.FileInfo, bool) {
	f, fi, ok := h.openFSRegular(path, fi)
	if !ok {
		return fileSource{}, nil, false
	}
	if osf, ok := f.(*os.File); ok {
		return fileSource{f: osf}, fi, true
	}
	file := &fsFile{f: f}
	switch r := f.(type) {
	case io.ReaderAt:
		file.ra = r
	case io.ReadSeeker:
		file.ra = &seekReaderAt{r}
	}
	return fileSource{fs: file}, fi, true
}

// seekReaderAt reads at an offset by seeking first: the ReaderAt of a
// file that can only seek. Not safe for concurrent use, as a body's reads
// are not.
type seekReaderAt struct{ rs io.ReadSeeker }

func (s *seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.rs, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// readFSDir returns the entries of the directory at path in FS in the
// order its directory file gives them (for os.DirFS the disk's order, as
// readDirUnsorted), or fs.ReadDir's where the directory cannot be read as
// an fs.ReadDirFile.
func (h *SimpleHandler) readFSDir(path string) ([]fs.DirEntry, error) {
	name, err := fsName("open", path)
	if err != nil {
		return nil, err
	}
	f, err := h.FS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if d, ok := f.(fs.ReadDirFile); ok {
		return d.ReadDir(-1)
	}
	return fs.ReadDir(h.FS, name)
}

// modTime returns the whole second Last-Modified shows for fi, and false
// when fi has no modification time: its ModTime is the zero time.Time, as
// for every file of an embed.FS and a fstest.MapFS file whose ModTime is
// not set. A file on disk always has one.
func modTime(fi fs.FileInfo) (int64, bool) {
	t := fi.ModTime()
	if t.IsZero() {
		return 0, false
	}
	return pyTimestamp(t), true
}
