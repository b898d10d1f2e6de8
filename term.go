package httpserver

import "os"

// isTerminal reports whether f is a terminal, closely enough for choosing
// colour: a character device other than the null device (ttys and ptys are
// character devices; /dev/null, where daemons often send stderr, is one
// too but must stay uncoloured).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
