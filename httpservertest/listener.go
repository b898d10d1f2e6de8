package httpservertest

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// newLocalListener listens on a port the system chooses on the IPv4
// loopback address, or the IPv6 one on a machine without IPv4.
func newLocalListener() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		return l
	}
	l, err6 := net.Listen("tcp6", "[::1]:0")
	if err6 != nil {
		panic(fmt.Sprintf("httpservertest: failed to listen on a loopback port: %v; %v", err, err6))
	}
	return l
}

// readyListener is the listener the server serves: the test's Listener,
// which tells Start, through ready, that the server has begun to accept,
// so that the fields Serve sets (Config.ServerAddress and the like) are
// written before Start returns. Connections pass through untouched, so
// the server still sends files with sendfile.
type readyListener struct {
	net.Listener
	once  sync.Once
	ready chan struct{}
}

func (l *readyListener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.ready) })
	return l.Listener.Accept()
}

// deadlineListener is a readyListener over a listener with SetDeadline,
// which the server uses to wake its accept loop without closing the
// listener. It is a separate type because the server decides by a type
// assertion whether the listener has the method.
type deadlineListener struct {
	*readyListener
}

func (l deadlineListener) SetDeadline(t time.Time) error {
	return l.Listener.(deadliner).SetDeadline(t)
}

type deadliner interface{ SetDeadline(time.Time) error }

// serveListener wraps l for serving and returns it with the channel
// closed when the server first accepts from it.
func serveListener(l net.Listener) (net.Listener, <-chan struct{}) {
	rl := &readyListener{Listener: l, ready: make(chan struct{})}
	if _, ok := l.(deadliner); ok {
		return deadlineListener{rl}, rl.ready
	}
	return rl, rl.ready
}
