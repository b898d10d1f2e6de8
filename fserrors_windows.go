package httpserver

import (
	"errors"
	"syscall"
)

// The system errors an upload tells apart (see uploadstage.go).

// Windows error codes (winerror.h) the syscall package does not name.
const (
	errorHandleDiskFull syscall.Errno = 39
	errorDiskFull       syscall.Errno = 112
)

// isNoSpace reports whether err says the disk is full.
func isNoSpace(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}

// noHardLinks reports whether a link failed because the file system has
// no hard links (FAT): the syscall package maps ERROR_NOT_SUPPORTED and
// its kin to errors.ErrUnsupported.
func noHardLinks(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

// isDirectoryInTheWay reports whether a rename failed because a directory
// holds the new name; Windows says so with an error that also means "no
// permission", so it is not told apart.
func isDirectoryInTheWay(error) bool { return false }
