package httpserver

import (
	"strings"
	"unicode/utf8"
)

// The names an upload may give a file. A name comes from a client (the
// last segment of a PUT's path, the filename of a multipart part) and
// becomes a directory entry, so it must be one plain name that every
// common file system can hold: a name a Windows machine cannot copy, or
// that a shell or a later listing would read as something else, is
// refused before anything is written.

// maxUploadName is the longest name accepted, in bytes: NAME_MAX of the
// usual Unix file systems (Windows allows 255 UTF-16 units, which is at
// least as many).
const maxUploadName = 255

// tempPrefix begins the name of every temporary file an upload writes.
// UploadHandler's listings leave such names out, and no upload may take
// one.
const tempPrefix = ".httpserver-upload-"

// isTempName reports whether name is that of an upload's temporary file.
func isTempName(name string) bool { return strings.HasPrefix(name, tempPrefix) }

// multipartBaseName returns the part of a multipart filename after its
// last "/": browsers send a bare name, but a client may send a path, and
// only its last element names the file.
func multipartBaseName(filename string) string {
	return filename[strings.LastIndexByte(filename, '/')+1:]
}

// uploadNameProblem returns why name cannot be an uploaded file's name,
// or "" when it can. Refused: the empty name, "." and "..", a name
// holding "/", "\", NUL or any other control character, a name that is
// not UTF-8, and what Windows cannot hold: the characters < > : " | ? *,
// a trailing space or dot, and the device names (CON, PRN, AUX, NUL,
// COM0–COM9, LPT0–LPT9, also with an extension: "nul.txt"); also a name
// longer than 255 bytes, and one that begins as the upload's own
// temporary files do.
func uploadNameProblem(name string) string {
	switch {
	case name == "":
		return "empty name"
	case name == "." || name == "..":
		return "not a file name"
	case len(name) > maxUploadName:
		return "longer than 255 bytes"
	case !utf8.ValidString(name):
		return "not UTF-8"
	case isTempName(name):
		return "reserved for temporary files"
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '/' || c == '\\':
			return "holds a path separator"
		case c < 0x20 || c == 0x7f:
			return "holds a control character"
		case strings.IndexByte(`<>:"|?*`, c) >= 0:
			return "holds a character Windows does not allow"
		}
	}
	if last := name[len(name)-1]; last == ' ' || last == '.' {
		return "ends with a space or dot"
	}
	if isWindowsDevice(name) {
		return "a Windows device name"
	}
	return ""
}

// isWindowsDevice reports whether Windows reads name as a device: its
// part before the first dot, trailing spaces dropped, is one of the
// reserved names in any case (a superscript digit counts as a digit).
func isWindowsDevice(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.TrimRight(stem, " ")
	switch strings.ToUpper(stem) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) < 4 {
		return false
	}
	prefix := strings.ToUpper(stem[:3])
	if prefix != "COM" && prefix != "LPT" {
		return false
	}
	switch stem[3:] {
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}
