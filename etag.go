package httpserver

import (
	"os"
	"strconv"
)

// appendETag appends the strong entity tag SimpleHandler gives the file
// fi describes: on Linux "INODE-SIZE-CTIME", each in lower-case hex, CTIME
// the status-change time in nanoseconds since the epoch (for example
// "1a2b3-1000-187c2e0f8d3a4b10"); elsewhere "SIZE-MTIME", MTIME the
// modification time in nanoseconds.
//
// The tag changes whenever the bytes can have changed through the file
// system: a write or truncation moves the ctime (as it moves the mtime),
// a rename over the path brings another inode, and, unlike the mtime, the
// ctime cannot be set back (touch -d, tar and rsync restore mtimes). A
// chmod, chown or link moves it too, which only costs a client a
// download. What no time records, a write through a shared mapping to a
// page already dirty, no stat-derived tag can see; the body itself is
// always read fresh.
func appendETag(b []byte, fi os.FileInfo) []byte {
	b = append(b, '"')
	if key, ok := keyOf(fi); ok {
		b = strconv.AppendUint(b, key.id.ino, 16)
		b = append(b, '-')
		b = strconv.AppendUint(b, uint64(fi.Size()), 16)
		b = append(b, '-')
		b = strconv.AppendUint(b, uint64(key.ctime), 16)
	} else {
		b = strconv.AppendUint(b, uint64(fi.Size()), 16)
		b = append(b, '-')
		b = strconv.AppendUint(b, uint64(fi.ModTime().UnixNano()), 16)
	}
	return append(b, '"')
}
