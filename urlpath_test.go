package httpserver

import "testing"

// TestUnquotePath checks percent-decoding as translate_path does it:
// surrogatepass first, the whole path again with replacement on failure,
// request bytes as ISO-8859-1 characters. The results are WTF-8; the
// expectations are Python's str encoded with surrogatepass.
func TestUnquotePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/a%2Fb", "/a/b"},
		{"%41%zz%4", "A%zz%4"},
		{"%", "%"},
		{"%%41", "%A"},
		{"+", "+"},
		{"caf%C3%A9", "caf\xc3\xa9"},
		{"%F0%9F%98%80", "\xf0\x9f\x98\x80"},
		{"%ED%B3%BF", "\xed\xb3\xbf"},                            // U+DCFF
		{"%ED%A0%80", "\xed\xa0\x80"},                            // U+D800
		{"%FF", "\ufffd"},                                        // whole string replaced
		{"%e2%82A", "\ufffdA"},                                   // one U+FFFD for a truncated sequence
		{"%C3\xe9%A9", "\ufffd\xc3\xa9\ufffd"},                   // a raw byte splits the ASCII runs
		{"\xe9%41", "\xc3\xa9A"},                                 // raw bytes are ISO-8859-1
		{"\xe9", "\xc3\xa9"},                                     // even without escapes
		{"%ED%A0", "\ufffd\ufffd"},                               // ED A0 is not a surrogate prefix when replacing
		{"%F0%90%80", "\ufffd"},                                  // truncated 4-byte sequence
		{"%F4%90%80%80", "\ufffd\ufffd\ufffd\ufffd"},             // above U+10FFFF
		{"%C0%80", "\ufffd\ufffd"},                               // overlong
		{"%E0%80%80", "\ufffd\ufffd\ufffd"},                      // overlong
		{"%ED%B3%BF%FF", "\ufffd\ufffd\ufffd\ufffd"},             // replacement applies to surrogates too
		{"/%ED%B2%80/x%ED%B3%BF", "/\xed\xb2\x80/x\xed\xb3\xbf"}, // U+DC80, U+DCFF
		{"%00", "\x00"},
	}
	for _, tt := range tests {
		if got := unquotePath(tt.in); got != tt.want {
			t.Errorf("unquotePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCutQueryFragment(t *testing.T) {
	for in, want := range map[string]string{
		"/a?b#c": "/a",
		"/a#b?c": "/a",
		"/a?b?c": "/a",
		"?":      "",
		"/a":     "/a",
	} {
		if got := cutQueryFragment(in); got != want {
			t.Errorf("cutQueryFragment(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedirectLocation checks urlsplit and urlunsplit as send_head uses
// them for the trailing-slash redirect: the path gets a "/", the rest is
// kept (3.15 rules, so itms-services keeps an empty authority).
func TestRedirectLocation(t *testing.T) {
	tests := []struct{ target, want string }{
		{"/sub", "/sub/"},
		{"/sub?a=1#f", "/sub/?a=1#f"},
		{"/sub?", "/sub/"},
		{"/sub#", "/sub/"},
		{"/sub?#f", "/sub/#f"},
		{"?x", "/?x"},
		{"", "/"},
		{"sub", "sub/"},
		{"http://h", "http://h/"},
		{"http://h/sub?q#f", "http://h/sub/?q#f"},
		{"HTTP://h/sub", "http://h/sub/"},
		{"http:///h", "http:///h/"},
		{"http:sub", "http:sub/"},
		{"http:/sub", "http:///sub/"},
		{"itms-services:/x", "itms-services:///x/"},
		{"foo:/sub#f", "foo:/sub/#f"},
		{"a:sub?q", "a:sub/?q"},
		{"x:", "x:/"},
		{"/x:", "/x:/"},
		{"1a:sub", "1a:sub/"},
		{"a_b:sub", "a_b:sub/"},
		{"\x01\x1f sub", "sub/"},
		{"//h/x", "//h/x/"},
		{"/\t/x", "//x/"},
		{"http://h/..", "http://h/../"},
		{"http://[::1]/x", "http://[::1]/x/"},
	}
	for _, tt := range tests {
		u := urlsplit(tt.target)
		u.path += "/"
		if got := u.urlunsplit(); got != tt.want {
			t.Errorf("Location for %q = %q, want %q", tt.target, got, tt.want)
		}
	}
}

// TestDirectoryLocation checks the safety rules SendHead adds to Python's
// Location: no leading "//" without a scheme, "\" percent-encoded in the
// path, control bytes percent-encoded; everything else as
// TestRedirectLocation. The target is given as ParseRequest leaves it.
func TestDirectoryLocation(t *testing.T) {
	tests := []struct{ target, want string }{
		{"/sub", "/sub/"},                     // Python
		{"/sub?a=1#f", "/sub/?a=1#f"},         // Python
		{"/a/..", "/a/../"},                   // Python
		{"//h/..", "/h/../"},                  // Python sends "//h/../"; ParseRequest collapses it first
		{"///h/..", "/h/../"},                 // the same
		{"\x01//h/../..", "/h/../../"},        // Python: "//h/../../"
		{"\x01\x1f//h", "/h/"},                // Python: "//h/"
		{"/\\h", "/%5Ch/"},                    // Python: "/\h/"
		{"\\\\h/..", "%5C%5Ch/../"},           // Python: "\\h/../"
		{"/a\\b", "/a%5Cb/"},                  // Python: "/a\b/"
		{"/sub#\\\\h", "/sub/#\\\\h"},         // Python: the fragment is kept
		{"/sub?\\\\h", "/sub/?\\\\h"},         // Python: the query is kept
		{"/%2f%2fh/..", "/%2f%2fh/../"},       // Python
		{"/%5c%5ch/..", "/%5c%5ch/../"},       // Python
		{"/\x00/..", "/%00/../"},              // Python: a raw NUL
		{"/\x01\x1b\x7f", "/%01%1B%7F/"},      // Python: raw bytes
		{"/s?a\x00#b\x1f", "/s/?a%00#b%1F"},   // Python: raw bytes
		{"/\xe9\x80", "/\xe9\x80/"},           // Python
		{"http://h/dir", "http://h/dir/"},     // Python: absolute-form kept
		{"http://h/\\x", "http://h/%5Cx/"},    // Python: "http://h/\x/"
		{"http:/\\h", "http:///%5Ch/"},        // Python: "http:///\h/"
		{"HTTP://h/d?q#f", "http://h/d/?q#f"}, // Python
		{"sub", "sub/"},                       // Python
		{"", "/"},                             // Python
		{"?x", "/?x"},                         // Python
	}
	for _, tt := range tests {
		u := urlsplit(tt.target)
		u.path += "/"
		if got := u.directoryLocation(); got != tt.want {
			t.Errorf("Location for %q = %q, want %q", tt.target, got, tt.want)
		}
	}
}

// TestEscapeControls checks the percent-encoding of control bytes.
func TestEscapeControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"/a b/\xff", "/a b/\xff"},
		{"\x00", "%00"},
		{"a\tb\r\nc\x7f", "a%09b%0D%0Ac%7F"},
		{"%41\x1f", "%41%1F"},
	}
	for _, tt := range tests {
		if got := escapeControls(tt.in); got != tt.want {
			t.Errorf("escapeControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
