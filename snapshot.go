package httpserver

import (
	"os"
	"sync"
	"time"
)

// What SimpleHandler keeps between requests, and why none of it can make
// a response differ from what CPython would read at that moment:
//
//   - File content is never kept. Every body is read from the file when it
//     is sent, so even a write through a shared mapping, which moves no
//     file time, is served as Python serves it.
//   - A connection keeps the last regular file it opened open (openfile.go)
//     and uses that descriptor again only if a fresh stat of the requested
//     path shows the same file (device and inode) in the same state (its
//     status-change time, ctime, to the nanosecond). Reading through the
//     descriptor gives what reading through a new one would; what the
//     ctime guards is the open itself: a chmod, chown, ACL or rename that
//     would now make Python's open fail (or open another file) moves the
//     ctime or the inode.
//   - The server keeps directory listings (the sorted names and types,
//     snapshotCache) and uses one only if a fresh stat shows the same
//     directory with the same ctime. Any entry added, removed or renamed
//     moves the directory's mtime and so its ctime, which, unlike the
//     mtime, no program can set back. What the directory's times do not
//     cover, the type of each symbolic link's target, is looked up on every
//     request (ListDirectory).
//
// Two conditions make the times trustworthy, and nothing is kept without
// them:
//
//   - The file system is local and keeps its times itself: an allow-list
//     of file-system types checked with fstatfs (trustedFS). procfs and
//     sysfs directories never change their times; NFS, SMB and FUSE serve
//     cached attributes that can lag what another machine or process did.
//   - The ctime is older than snapshotMinAge. File times come from a
//     coarse clock on some kernels and file systems (a jiffy, or a second
//     on ext3), so a change made in the same tick as the previous one
//     could leave the ctime equal; a file whose ctime is older than the
//     coarsest tick cannot change again without its ctime moving on.
//
// The check costs the stat Python's handler makes anyway (os.path.isdir),
// so a kept file costs one system call instead of four (open, fstat,
// close, and the epoll registration Go attempts), and a kept listing saves
// the directory read that dominates it. Platforms without the stat fields
// this needs (keyOf) keep nothing.

// snapshotMinAge is how long ago a file's ctime must be before its
// descriptor or listing may be kept.
const snapshotMinAge = 5 * time.Second

// maxSnapshotBytes bounds the memory of a server's listing snapshots, as
// counted by entriesSize.
const maxSnapshotBytes = 32 << 20

// fileID names a file: its device and inode.
type fileID struct{ dev, ino uint64 }

// fileKey is what a fresh stat must show for a kept descriptor or listing
// to be used: the same file, with the same status-change time.
type fileKey struct {
	id    fileID
	ctime int64 // nanoseconds since the epoch
}

// stable reports whether the file's ctime was at least minAge before now.
func (k fileKey) stable(now time.Time, minAge time.Duration) bool {
	return now.UnixNano()-k.ctime >= int64(minAge)
}

// dirSnapshot is a directory's entries, sorted as the listing shows them.
type dirSnapshot struct {
	ctime   int64
	entries []listEntry
	size    int64 // entriesSize(entries)
}

// snapshotCache holds a server's listing snapshots, within maxBytes. It is
// safe for concurrent use.
type snapshotCache struct {
	// Set when the cache is made; tests change them before serving.
	minAge   time.Duration // snapshotMinAge
	maxBytes int64         // maxSnapshotBytes

	mu    sync.Mutex
	dirs  map[fileID]*dirSnapshot
	bytes int64 // the sum of the snapshots' sizes, at most maxBytes
}

// entriesSize is what a snapshot of entries counts against the bound: the
// bytes of its strings and a fixed cost per entry and per snapshot (slice
// and string headers, the map slot).
func entriesSize(entries []listEntry) int64 {
	const perEntry, perSnapshot = 64, 256
	n := int64(perSnapshot)
	for i := range entries {
		e := &entries[i]
		n += perEntry + int64(len(e.name)+len(e.href)+len(e.display))
	}
	return n
}

// dir returns the snapshot of the directory key names if its ctime is
// still key's.
func (c *snapshotCache) dir(key fileKey) []listEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.dirs[key.id]; s != nil && s.ctime == key.ctime {
		return s.entries
	}
	return nil
}

// putDir stores the sorted entries of the directory key names, when it
// qualifies, evicting other snapshots to stay within maxBytes.
func (c *snapshotCache) putDir(key fileKey, entries []listEntry, now time.Time) {
	size := entriesSize(entries)
	if !key.stable(now, c.minAge) || size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirs == nil {
		c.dirs = make(map[fileID]*dirSnapshot)
	}
	if old := c.dirs[key.id]; old != nil {
		delete(c.dirs, key.id)
		c.bytes -= old.size
	}
	for id, s := range c.dirs { // map order is random: random eviction
		if c.bytes+size <= c.maxBytes {
			break
		}
		delete(c.dirs, id)
		c.bytes -= s.size
	}
	c.dirs[key.id] = &dirSnapshot{key.ctime, entries, size}
	c.bytes += size
}

// snapshots returns the server's snapshot cache, or nil for a handler
// without a server.
func (s *HTTPServer) snapshots() *snapshotCache {
	if s == nil {
		return nil
	}
	s.snapOnce.Do(func() {
		s.snap = &snapshotCache{minAge: snapshotMinAge, maxBytes: maxSnapshotBytes}
	})
	return s.snap
}

// keyOfFile returns the key of an open file, from fstat.
func keyOfFile(f *os.File) (fileKey, bool) {
	fi, err := f.Stat()
	if err != nil {
		return fileKey{}, false
	}
	return keyOf(fi)
}

// snapshotCache returns the server's snapshots, or nil where they cannot
// be used: without a server, with StayInDirectory (whose os.Root decides
// what a path may reach), or with FS (whose paths are not the disk's).
func (h *SimpleHandler) snapshotCache() *snapshotCache {
	if h.StayInDirectory || h.FS != nil {
		return nil
	}
	return h.Server.snapshots()
}
