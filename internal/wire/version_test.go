package wire

import "testing"

// TestParseHTTPVersion checks the version token rules of parse_request.
func TestParseHTTPVersion(t *testing.T) {
	tests := []struct {
		in           string
		major, minor int
		ok           bool
	}{
		{"HTTP/1.0", 1, 0, true},
		{"HTTP/1.1", 1, 1, true},
		{"HTTP/01.01", 1, 1, true},
		{"HTTP/2.0", 2, 0, true},
		{"HTTP/0.9", 0, 9, true},
		{"HTTP/1.0000000001", 1, 1, true},
		{"HTTP/9999999999.9999999999", 9999999999, 9999999999, true},
		{"HTTP/1.12345678901", 0, 0, false},
		{"HTTP/12345678901.1", 0, 0, false},
		{"HTTP/1", 0, 0, false},
		{"HTTP/1.1.1", 0, 0, false},
		{"HTTP/.1", 0, 0, false},
		{"HTTP/1.", 0, 0, false},
		{"HTTP/", 0, 0, false},
		{"HTTP", 0, 0, false},
		{"http/1.1", 0, 0, false},
		{"HTTP/+1.1", 0, 0, false},
		{"HTTP/-1.1", 0, 0, false},
		{"HTTP/1.\xb2", 0, 0, false},
		{"HTTP/ 1.1", 0, 0, false},
		{"HTTPS/1.1", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		major, minor, ok := ParseHTTPVersion([]byte(tt.in))
		if ok != tt.ok || (ok && (major != tt.major || minor != tt.minor)) {
			t.Errorf("ParseHTTPVersion(%q) = %d, %d, %v; want %d, %d, %v", tt.in, major, minor, ok, tt.major, tt.minor, tt.ok)
		}
	}
}
