//go:build unix

package httpserver

import (
	"errors"
	"syscall"
)

// The system errors an upload tells apart (see uploadstage.go).

// isNoSpace reports whether err says the file system is full or the
// user's quota is used up.
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// noHardLinks reports whether a link failed because the file system has
// no hard links (Linux says EPERM for FAT).
func noHardLinks(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EPERM) ||
		errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP)
}

// isDirectoryInTheWay reports whether a rename failed because a directory
// holds the new name.
func isDirectoryInTheWay(err error) bool {
	return errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ENOTEMPTY)
}
