package httpserver

import (
	"bytes"
	"net"
	"testing"
)

// TestCollapseSlashes checks the gh-87389 rule: a leading run of two or
// more slashes becomes one.
func TestCollapseSlashes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"//a", "/a"}, {"////a", "/a"}, {"/a//b", "/a//b"}, {"/", "/"}, {"//", "/"},
		{"///", "/"}, {"a//b", "a//b"}, {"//?x", "/?x"}, {"", ""}, {"*", "*"},
	}
	for _, tt := range tests {
		if got := collapseSlashes(tt.in); got != tt.want {
			t.Errorf("collapseSlashes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAddressString checks address_string and the address Python's
// handle_error prints: an IPv4 client of a dual-stack IPv6 server shows
// as an IPv4-mapped address, as Python sees it.
func TestAddressString(t *testing.T) {
	v4 := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 35660}
	v6 := &net.TCPAddr{IP: net.IPv6loopback, Port: 35660}
	tests := []struct {
		addr          net.Addr
		ipv6          bool
		host, pyTuple string
	}{
		{v4, false, "127.0.0.1", "('127.0.0.1', 35660)"},
		{v4, true, "::ffff:127.0.0.1", "('::ffff:127.0.0.1', 35660, 0, 0)"},
		{v6, true, "::1", "('::1', 35660, 0, 0)"},
	}
	for _, tt := range tests {
		s := &HTTPServer{ipv6: tt.ipv6}
		b := &BaseHandler{ClientAddress: tt.addr, Server: s}
		if got := b.AddressString(); got != tt.host {
			t.Errorf("AddressString() for %v (IPv6 server %v) = %q, want %q", tt.addr, tt.ipv6, got, tt.host)
		}
		if got := pyAddrRepr(tt.addr, s); got != tt.pyTuple {
			t.Errorf("pyAddrRepr(%v) = %q, want %q", tt.addr, got, tt.pyTuple)
		}
	}
}

// splitsResponse, which reads eight bytes at a time, agrees with a byte
// by byte look for CR, LF and NUL: every byte value at every position of
// values of every length around the word size, among bytes that could
// confuse the word arithmetic.
func TestSplitsResponse(t *testing.T) {
	naive := func(v string) bool {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c == '\r' || c == '\n' || c == 0 {
				return true
			}
		}
		return false
	}
	for _, fill := range []byte{'a', 0x01, 0x0c, 0x0e, 0x80, 0xff} {
		for n := 0; n <= 25; n++ {
			for pos := range n {
				for c := range 256 {
					b := bytes.Repeat([]byte{fill}, n)
					b[pos] = byte(c)
					if got, want := splitsResponse(string(b)), naive(string(b)); got != want {
						t.Fatalf("splitsResponse(%q) = %v, want %v", b, got, want)
					}
				}
			}
		}
	}
}
