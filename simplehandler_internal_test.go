package httpserver

import (
	"testing"
	"time"
)

// TestPyTimestamp checks the whole second Python shows for a file time
// (Last-Modified, If-Modified-Since): the float st_mtime rounded to
// microseconds, so a time just before a second counts as that second.
// Expectations from Python.
func TestPyTimestamp(t *testing.T) {
	tests := []struct {
		sec, nsec int64
		want      int64
	}{
		{1700000000, 0, 1700000000},
		{1700000000, 500000000, 1700000000},
		{1700000000, 999999400, 1700000000},
		{1700000000, 999999500, 1700000001},
		{1700000000, 999999600, 1700000001},
		{981173106, 999999499, 981173107},
		{0, 999999999, 1},
		{-1, 500000000, -1},
		{-2, 999999999, -1},
	}
	for _, tt := range tests {
		if got := pyTimestamp(time.Unix(tt.sec, tt.nsec)); got != tt.want {
			t.Errorf("pyTimestamp(%d.%09d) = %d, want %d", tt.sec, tt.nsec, got, tt.want)
		}
	}
}
