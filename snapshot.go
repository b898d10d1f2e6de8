package httpserver

import (
	"os"
	"sync"
	"time"
)

// Snapshots let SimpleHandler serve a small file or a directory listing
// without reading it again, while every request still gets what is on disk
// at that moment ("faithful before fast"). Two rules make that hold:
//
//   - Every request stats the path afresh and uses a snapshot only if the
//     file's identity and state are unchanged: device, inode, size, mode,
//     owner, group, and the modification and status-change times to the
//     nanosecond. Any write, truncation, rename over, chmod, chown or
//     replacement changes one of them.
//   - A snapshot is taken only of a file whose times are both older than
//     snapshotMinAge. File times come from a coarse clock (a few ms on
//     Linux, up to 2 s on some file systems), so a change made in the same
//     tick as the previous one could leave the times equal; a file that
//     has not changed for snapshotMinAge cannot change again without its
//     status-change time (which no program can set) moving on.
//
// The stat is the same one Python's handler makes (os.path.isdir), so a
// request costs one system call instead of five (open, fstat, read,
// close), or instead of the directory read that dominates a listing.
// Platforms without the stat fields this needs never take snapshots.

// snapshotMinAge is how long a file must have been unchanged before it may
// be snapshotted.
const snapshotMinAge = 5 * time.Second

// Limits of the snapshot cache of one server.
const (
	maxSnapshotFile  = 64 << 10 // larger files go through sendfile each time
	maxSnapshotBytes = 32 << 20 // all file snapshots together
	maxSnapshotDirs  = 256      // directory snapshots
)

// statKey is what a fresh stat must match for a snapshot to be used.
type statKey struct {
	dev, ino     uint64
	size         int64
	mode         uint32
	uid, gid     uint32
	mtime, ctime int64 // nanoseconds since the epoch
}

// stable reports whether the file had not changed for minAge at now.
func (k statKey) stable(now time.Time, minAge time.Duration) bool {
	n := now.UnixNano()
	return n-k.mtime >= int64(minAge) && n-k.ctime >= int64(minAge)
}

// fileSnapshot is the content of a small regular file.
type fileSnapshot struct {
	key  statKey
	data []byte
}

// dirSnapshot is a directory's entries, sorted as the listing shows them.
type dirSnapshot struct {
	key     statKey
	entries []listEntry
}

// snapshotCache holds a server's snapshots. It is safe for concurrent use.
type snapshotCache struct {
	minAge time.Duration // snapshotMinAge; tests shorten it

	mu    sync.Mutex
	files map[string]*fileSnapshot
	dirs  map[string]*dirSnapshot
	bytes int64 // total size of the file snapshots
}

// file returns the snapshot of the file at path if key matches it.
func (c *snapshotCache) file(path string, key statKey) []byte {
	c.mu.Lock()
	s := c.files[path]
	c.mu.Unlock()
	if s == nil || s.key != key {
		return nil
	}
	return s.data
}

// putFile stores data as the snapshot of the file at path, when the file
// qualifies, evicting other snapshots to stay within maxSnapshotBytes.
func (c *snapshotCache) putFile(path string, key statKey, data []byte, now time.Time) {
	if int64(len(data)) != key.size || len(data) > maxSnapshotFile || !key.stable(now, c.minAge) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = make(map[string]*fileSnapshot)
	}
	if old := c.files[path]; old != nil {
		c.bytes -= int64(len(old.data))
	}
	for p, s := range c.files { // map order is random: random eviction
		if c.bytes+int64(len(data)) <= maxSnapshotBytes {
			break
		}
		delete(c.files, p)
		c.bytes -= int64(len(s.data))
	}
	c.files[path] = &fileSnapshot{key, data}
	c.bytes += int64(len(data))
}

// dir returns the snapshot of the directory at path if key matches it.
func (c *snapshotCache) dir(path string, key statKey) []listEntry {
	c.mu.Lock()
	s := c.dirs[path]
	c.mu.Unlock()
	if s == nil || s.key != key {
		return nil
	}
	return s.entries
}

// putDir stores the sorted entries of the directory at path, when the
// directory qualifies.
func (c *snapshotCache) putDir(path string, key statKey, entries []listEntry, now time.Time) {
	if !key.stable(now, c.minAge) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirs == nil {
		c.dirs = make(map[string]*dirSnapshot)
	}
	for p := range c.dirs {
		if len(c.dirs) < maxSnapshotDirs {
			break
		}
		delete(c.dirs, p)
	}
	c.dirs[path] = &dirSnapshot{key, entries}
}

// snapshots returns the server's snapshot cache, or nil for a handler
// without a server.
func (s *HTTPServer) snapshots() *snapshotCache {
	if s == nil {
		return nil
	}
	s.snapOnce.Do(func() { s.snap = &snapshotCache{minAge: snapshotMinAge} })
	return s.snap
}

// statPath stats path, following symbolic links, and returns its key; ok is
// false where the platform cannot give one (then nothing is snapshotted).
func statPath(path string) (os.FileInfo, statKey, bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, statKey{}, false, err
	}
	key, ok := keyOf(fi)
	return fi, key, ok, nil
}
