package httpserver

import (
	"testing"
	"time"
)

func TestETagListMatch(t *testing.T) {
	const tag = `"abc"`
	tests := []struct {
		name         string
		values       []string
		strong, weak bool
	}{
		{"the tag", []string{`"abc"`}, true, true},
		{"weak form", []string{`W/"abc"`}, false, true},
		{"another", []string{`"abd"`}, false, false},
		{"in a list", []string{`"x", "abc"`}, true, true},
		{"on a second line", []string{`"x"`, `"abc"`}, true, true},
		{"spaces and empty elements", []string{` , "x" ,, "abc" `}, true, true},
		{"star", []string{`*`}, true, true},
		{"star with spaces", []string{` * `}, true, true},
		{"star in a list is not a tag", []string{`*, "x"`}, false, false},
		{"unquoted", []string{`abc`}, false, false},
		{"unterminated", []string{`"abc`}, false, false},
		{"list stops at garbage", []string{`"x", abc, "abc"`}, false, false},
		{"quote inside", []string{`"a"bc"`}, false, false},
		{"lower-case w", []string{`w/"abc"`}, false, false},
		{"control byte", []string{"\"a\x01c\""}, false, false},
		{"empty", []string{``}, false, false},
		{"none", nil, false, false},
	}
	for _, tt := range tests {
		if got := etagListMatch(tt.values, tag, false); got != tt.strong {
			t.Errorf("%s: strong match of %q = %v, want %v", tt.name, tt.values, got, tt.strong)
		}
		if got := etagListMatch(tt.values, tag, true); got != tt.weak {
			t.Errorf("%s: weak match of %q = %v, want %v", tt.name, tt.values, got, tt.weak)
		}
	}
}

// TestIfRangeDateRule checks when an If-Range date validates: equal to
// Last-Modified, the file unchanged since the end of that second (ctime
// earlier), and that second over.
func TestIfRangeDateRule(t *testing.T) {
	const lm = "Sat, 03 Feb 2001 04:05:06 GMT"
	mtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC).Unix()
	sec := func(s int64, ns int64) int64 { return s*int64(time.Second) + ns }
	tests := []struct {
		name    string
		ifRange string
		ctime   int64
		now     time.Time
		want    bool
	}{
		{"unchanged since", lm, sec(mtime, 5e8), time.Unix(mtime+10, 0), true},
		{"second just over", lm, sec(mtime, 5e8), time.Unix(mtime+1, 0), true},
		{"second not over", lm, sec(mtime, 5e8), time.Unix(mtime, 9e8), false},
		{"changed after (mtime set back)", lm, sec(mtime+1, 0), time.Unix(mtime+10, 0), false},
		{"ctime unknown", lm, 0, time.Unix(mtime+10, 0), false},
		{"another date", "Sat, 03 Feb 2001 04:05:07 GMT", sec(mtime, 5e8), time.Unix(mtime+10, 0), false},
		{"same instant, other form", "Saturday, 03-Feb-01 04:05:06 GMT", sec(mtime, 5e8), time.Unix(mtime+10, 0), false},
	}
	for _, tt := range tests {
		h := &SimpleHandler{}
		h.Headers.Add("If-Range", tt.ifRange)
		if got := h.ifRange(`"tag"`, lm, mtime, tt.ctime, tt.now); got != tt.want {
			t.Errorf("%s: ifRange = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, v := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		if got, ok := parseHTTPDate(v); !ok || !got.Equal(want) {
			t.Errorf("parseHTTPDate(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 1994 08:49:37", "06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT x"} {
		if got, ok := parseHTTPDate(v); ok {
			t.Errorf("parseHTTPDate(%q) = %v, want no date", v, got)
		}
	}
}
