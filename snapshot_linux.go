package httpserver

import (
	"os"
	"syscall"
)

// keyOf extracts a file's key from what a stat returned.
func keyOf(fi os.FileInfo) (fileKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{
		id:    fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)},
		ctime: st.Ctim.Nano(),
	}, true
}

// Magic numbers of the file systems whose times trustedFS vouches for
// (statfs(2), linux/magic.h).
const (
	ext4Magic  = 0xef53 // ext2, ext3 and ext4
	xfsMagic   = 0x58465342
	btrfsMagic = 0x9123683e
	tmpfsMagic = 0x01021994
	ramfsMagic = 0x858458f6
	f2fsMagic  = 0xf2f52010
	zfsMagic   = 0x2fc12fc1
)

// trustedFS reports whether f lies on a local file system that keeps its
// files' times itself: the allow-list above. Anything else (procfs,
// sysfs, NFS, SMB, FUSE, overlayfs, ...) is not trusted.
func trustedFS(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var st syscall.Statfs_t
	if cerr := rc.Control(func(fd uintptr) { err = syscall.Fstatfs(int(fd), &st) }); cerr != nil || err != nil {
		return false
	}
	switch uint32(st.Type) {
	case ext4Magic, xfsMagic, btrfsMagic, tmpfsMagic, ramfsMagic, f2fsMagic, zfsMagic:
		return true
	}
	return false
}
