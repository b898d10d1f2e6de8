package httpserver_test

import "syscall"

// statHasCtime: the package reads the status-change time here.
const statHasCtime = true

func statCtime(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
