package httpserver

import (
	"os"
	"syscall"
)

// keyOf extracts the snapshot key from what os.Stat returned.
func keyOf(fi os.FileInfo) (statKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return statKey{}, false
	}
	return statKey{
		dev:   uint64(st.Dev),
		ino:   uint64(st.Ino),
		size:  st.Size,
		mode:  uint32(st.Mode),
		uid:   st.Uid,
		gid:   st.Gid,
		mtime: st.Mtim.Nano(),
		ctime: st.Ctim.Nano(),
	}, true
}
