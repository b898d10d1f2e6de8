package httpserver

import (
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// An uploaded file reaches its name in one step, whole or not at all:
//
//  1. Its bytes go to a temporary file beside the final name, created with
//     O_EXCL under a random name that begins with tempPrefix (listings of
//     UploadHandler leave such names out, and no upload may take one).
//  2. When the body has been read to its end, the file is fsynced and
//     closed.
//  3. It is hard-linked to the final name, which fails if the name exists,
//     so of concurrent uploads to one new name exactly one wins without any
//     check-then-act window; the temporary name is then removed. Replacing
//     an existing file, when allowed, is a rename over it, which readers
//     see as the old file or the new one, never a mix.
//  4. The directory is fsynced, so the new name survives a crash.
//
// Any failure before step 3 (the client disconnects, the body breaks its
// framing or grows past the size limit, the disk is full) removes the
// temporary file. Every path goes through the os.Root on Directory, so no
// symbolic link can lead a write outside it.
//
// A file system without hard links (FAT, some network file systems) gets
// the same guarantees from another order: the final name is claimed by
// creating it empty with O_EXCL, then the temporary file is renamed over
// it; a reader may then see the empty file for a moment.

// stagedFile is one uploaded file on its way into place.
type stagedFile struct {
	root     *os.Root
	temp     string                              // the temporary file, relative to root
	final    string                              // where it goes, relative to root
	f        *os.File                            // the open temporary file; nil once closed
	size     int64                               // bytes written
	hardLink func(oldname, newname string) error // root.Link
}

// Errors of staging and placing a file; UploadHandler answers each with
// its own status.
var (
	errUploadExists = errors.New("httpserver: the file exists")
	errNoStorage    = errors.New("httpserver: no space left on the device")
)

// stage creates the temporary file for final (relative to root) in
// final's directory.
func stage(root *os.Root, final string) (*stagedFile, error) {
	dir := filepath.Dir(final)
	for range 8 {
		temp := filepath.Join(dir, tempPrefix+rand.Text())
		f, err := root.OpenFile(temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue // 130 random bits met a name: try another
		}
		if err != nil {
			return nil, storageError(err)
		}
		return &stagedFile{root: root, temp: temp, final: final, f: f, hardLink: root.Link}, nil
	}
	return nil, errors.New("httpserver: cannot create a temporary file")
}

var _ io.Writer = (*stagedFile)(nil)

// Write writes to the temporary file, translating a full disk into
// errNoStorage.
func (s *stagedFile) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.size += int64(n)
	return n, storageError(err)
}

// discard closes and removes the temporary file.
func (s *stagedFile) discard() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.root.Remove(s.temp)
}

// place fsyncs the temporary file and gives it its final name: a new
// name only, or also over an existing file when overwrite is set. It
// reports whether the name is new, and errUploadExists when the name is
// taken (by a file without overwrite, by a directory with it). The
// temporary file is gone afterwards, whatever the outcome.
func (s *stagedFile) place(overwrite bool) (created bool, err error) {
	err = storageError(s.f.Sync())
	if cerr := storageError(s.f.Close()); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil {
		s.discard()
		return false, err
	}
	created, err = s.link(overwrite)
	if err != nil {
		s.discard()
		return false, err
	}
	if d, err := s.root.Open(filepath.Dir(s.final)); err == nil {
		d.Sync() // not possible everywhere (Windows); the data itself is synced
		d.Close()
	}
	return created, nil
}

// link moves the closed temporary file to its final name.
func (s *stagedFile) link(overwrite bool) (created bool, err error) {
	err = s.hardLink(s.temp, s.final)
	switch {
	case err == nil:
		s.root.Remove(s.temp)
		return true, nil
	case errors.Is(err, fs.ErrExist):
		if !overwrite {
			return false, errUploadExists
		}
		return false, s.rename()
	case !noHardLinks(err):
		return false, storageError(err)
	}
	// No hard links here: claim the name, then rename over the claim.
	claim, err := s.root.OpenFile(s.final, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	switch {
	case err == nil:
		claim.Close()
		return true, s.rename()
	case errors.Is(err, fs.ErrExist) && overwrite:
		return false, s.rename()
	case errors.Is(err, fs.ErrExist):
		return false, errUploadExists
	}
	return false, storageError(err)
}

// rename moves the temporary file over the final name.
func (s *stagedFile) rename() error {
	err := s.root.Rename(s.temp, s.final)
	if err != nil && (errors.Is(err, fs.ErrExist) || isDirectoryInTheWay(err)) {
		return errUploadExists // a directory holds the name
	}
	return storageError(err)
}

// storageError returns errNoStorage, wrapping err, when err says the file
// system is full or the quota is used up, and err otherwise.
func storageError(err error) error {
	if err != nil && isNoSpace(err) {
		return &noSpaceError{err}
	}
	return err
}

// noSpaceError is a full disk: it matches errNoStorage and keeps the
// system's error.
type noSpaceError struct{ err error }

func (e *noSpaceError) Error() string        { return e.err.Error() }
func (e *noSpaceError) Is(target error) bool { return target == errNoStorage }
func (e *noSpaceError) Unwrap() error        { return e.err }

// copyInto copies src into the staged file with buf, and returns the
// error of the reading side and that of the writing side apart: a client
// that breaks off is not a disk that failed. It fills buf before each
// write, since src may return little at a time (a multipart part returns
// at most a few KiB per read).
func (s *stagedFile) copyInto(src io.Reader, buf []byte) (readErr, writeErr error) {
	for {
		n, err := 0, error(nil)
		for n < len(buf) && err == nil {
			var m int
			m, err = src.Read(buf[n:])
			n += m
		}
		if n > 0 {
			if _, werr := s.Write(buf[:n]); werr != nil {
				return nil, werr
			}
		}
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return err, nil
		}
	}
}
