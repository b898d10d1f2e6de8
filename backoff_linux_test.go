package httpserver_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutOfFileDescriptors runs the server out of file descriptors: the
// test lowers its own process's RLIMIT_NOFILE below the next free
// descriptor and connects 150 clients (their sockets made beforehand),
// so every accept fails with EMFILE while the clients wait in the listen
// backlog. Meanwhile the server must not spin (under half a core), and
// must log the failure once; when descriptors are free again it must
// serve every client, the first soon after.
func TestOutOfFileDescriptors(t *testing.T) {
	const clients = 150
	ts := serve(t, hostileClass)
	checkFreshGET(t, ts.addr)
	time.Sleep(300 * time.Millisecond) // the server has closed its side
	port, _ := strconv.Atoi(ts.addr[strings.LastIndexByte(ts.addr, ':')+1:])

	fds := make([]int, 0, clients)
	defer func() {
		for _, fd := range fds {
			syscall.Close(fd)
		}
	}()
	for range clients {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		fds = append(fds, fd)
		// Reads give up after ioLimit rather than hang the test.
		tv := syscall.NsecToTimeval(ioLimit.Nanoseconds())
		syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
	}

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	low := old
	low.Cur = uint64(lowestFreeFD(t))
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skipf("cannot lower RLIMIT_NOFILE: %v", err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
				t.Fatalf("restoring RLIMIT_NOFILE: %v", err)
			}
		}
	}
	defer restore()

	addr := &syscall.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}
	for i, fd := range fds {
		if err := syscall.Connect(fd, addr); err != nil {
			restore()
			t.Fatalf("client %d: connect: %v", i, err)
		}
		if _, err := syscall.Write(fd, []byte(freshRequest)); err != nil {
			restore()
			t.Fatalf("client %d: write: %v", i, err)
		}
	}

	const window = 2 * time.Second
	before := cpuTime(t)
	time.Sleep(window)
	used := cpuTime(t) - before
	share := float64(used) / float64(window)
	t.Logf("out of descriptors with %d clients waiting: %v of CPU in %v (%.1f%% of a core)", clients, used, window, 100*share)
	if share > 0.5 {
		t.Errorf("the server used %.0f%% of a core while out of descriptors, want under 50%%", 100*share)
	}

	freed := time.Now()
	restore()
	var first time.Duration
	buf := make([]byte, 4096)
	for i, fd := range fds {
		var got []byte
		for {
			n, err := syscall.Read(fd, buf)
			if n <= 0 || err != nil {
				break
			}
			if got == nil && i == 0 {
				first = time.Since(freed)
			}
			got = append(got, buf[:n]...)
		}
		if s := summarizeAll(t, maskDate(string(got))); s != freshAnswer {
			t.Errorf("client %d after descriptors were freed: %q, want %q", i, s, freshAnswer)
		}
	}
	t.Logf("the first client was answered %v after descriptors were freed; all %d in %v", first, clients, time.Since(freed))
	if first > time.Second {
		t.Errorf("the first client was answered %v after descriptors were freed, want under 1s", first)
	}
	log := ts.stop()
	if n := strings.Count(log, "httpserver: accept failed"); n != 1 {
		t.Errorf("the accept failures were logged %d times, want once:\n%s", n, log)
	}
	if !strings.Contains(log, "too many open files") {
		t.Errorf("the log does not name the failure:\n%s", log)
	}
}

// lowestFreeFD returns the lowest descriptor number not in use: with
// RLIMIT_NOFILE set to it, the process can open nothing more.
func lowestFreeFD(t *testing.T) int {
	t.Helper()
	dir, err := os.Open("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot list descriptors: %v", err)
	}
	names, err := dir.Readdirnames(-1)
	own := int(dir.Fd())
	dir.Close()
	if err != nil {
		t.Skipf("cannot list descriptors: %v", err)
	}
	used := make(map[int]bool, len(names))
	for _, name := range names {
		if n, err := strconv.Atoi(name); err == nil && n != own {
			used[n] = true
		}
	}
	fd := 0
	for used[fd] {
		fd++
	}
	return fd
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
