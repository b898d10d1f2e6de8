//go:build !linux

package httpserver_test

// statHasCtime: the package does not read the status-change time here.
const statHasCtime = false

func statCtime(st any) int64 { return 0 }
