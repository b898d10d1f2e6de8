//go:build !unix && !windows

package httpserver

import "errors"

// The system errors an upload tells apart (see uploadstage.go); here only
// the portable ones.

func isNoSpace(error) bool { return false }

func noHardLinks(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

func isDirectoryInTheWay(error) bool { return false }
