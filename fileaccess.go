package httpserver

// How SimpleHandler reaches the files it serves, on every request: stat
// and open on disk, through an os.Root on Directory (StayInDirectory), or
// in FS. Serving files and listings goes through these two, never os.Stat
// or os.Open (uploads write through an os.Root of their own).

import (
	"errors"
	"os"
	"path/filepath"
)

// errOutsideDirectory is why a path is refused with StayInDirectory: it
// does not name Directory or a path under it.
var errOutsideDirectory = errors.New("httpserver: path outside Directory")

// stat returns the FileInfo of the file-system path, symbolic links
// followed: os.Stat, or with StayInDirectory the same through the
// connection's os.Root on Directory, or with FS set fsStat.
func (h *SimpleHandler) stat(path string) (os.FileInfo, error) {
	if h.FS != nil {
		return h.fsStat(path)
	}
	if !h.StayInDirectory {
		return os.Stat(path)
	}
	root, rel, err := h.inRoot(path)
	if err != nil {
		return nil, err
	}
	return root.Stat(rel)
}

// open opens the file-system path for reading, with openFlags: os.OpenFile,
// or with StayInDirectory the same through the connection's os.Root.
// With FS set it refuses: the path is FS's, and "/x" must not open the
// disk's /x.
func (h *SimpleHandler) open(path string) (*os.File, error) {
	if h.FS != nil {
		return nil, errNotDisk
	}
	if !h.StayInDirectory {
		return os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	}
	root, rel, err := h.inRoot(path)
	if err != nil {
		return nil, err
	}
	return root.OpenFile(rel, os.O_RDONLY|openFlags, 0)
}

// inRoot returns the os.Root on Directory, opened once per connection
// (again if Directory changed), and path relative to Directory. A path
// that is not Directory or lexically under it gets errOutsideDirectory,
// whatever TranslatePath said; the root then refuses any symbolic link
// on the way that leads out of Directory.
func (h *SimpleHandler) inRoot(path string) (*os.Root, string, error) {
	dir := h.Directory
	if dir == "" {
		dir = "."
	}
	if filepath.IsAbs(dir) != filepath.IsAbs(path) {
		// Both relative to the current directory, as the root is.
		var err error
		if dir, err = filepath.Abs(dir); err != nil {
			return nil, "", err
		}
		if path, err = filepath.Abs(path); err != nil {
			return nil, "", err
		}
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || !filepath.IsLocal(rel) {
		return nil, "", errOutsideDirectory
	}
	if h.root == nil || h.rootDir != h.Directory {
		h.closeRoot()
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, "", err
		}
		h.root, h.rootDir = root, h.Directory
	}
	return h.root, rel, nil
}

// closeRoot closes the connection's os.Root, if one is open.
func (h *SimpleHandler) closeRoot() {
	if h.root != nil {
		h.root.Close()
		h.root = nil
	}
}
