package httpserver

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseIfModifiedSince checks every form of spec/http-server.md §4.9. The
// expectations are what SimpleHTTPRequestHandler makes of each value
// (email.utils.parsedate_to_datetime, then the UTC check): the instant, or
// "ignored" for a value it fails to parse, an impossible date, or a zone
// other than UTC. Bytes above 0x7f are ISO-8859-1 characters.
func TestParseIfModifiedSince(t *testing.T) {
	tests := []struct {
		name  string
		value string
		unix  int64
		ok    bool
	}{
		{"IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", 784111777, true},
		{"RFC 850", "Sunday, 06-Nov-94 08:49:37 GMT", 784111777, true},
		{"asctime", "Sun Nov  6 08:49:37 1994", 784111777, true},
		{"UT", "Sun, 06 Nov 1994 08:49:37 UT", 784111777, true},
		{"UTC", "Sun, 06 Nov 1994 08:49:37 UTC", 784111777, true},
		{"Z", "Sun, 06 Nov 1994 08:49:37 Z", 784111777, true},
		{"lower-case z", "Sun, 06 Nov 1994 08:49:37 z", 784111777, true},
		{"+0000", "Sun, 06 Nov 1994 08:49:37 +0000", 784111777, true},
		{"-0000 is no zone", "Sun, 06 Nov 1994 08:49:37 -0000", 784111777, true},
		{"+0100 ignored", "Sun, 06 Nov 1994 08:49:37 +0100", 0, false},
		{"EST ignored", "Sun, 06 Nov 1994 08:49:37 EST", 0, false},
		{"PDT ignored", "Sun, 06 Nov 1994 08:49:37 PDT", 0, false},
		{"unknown zone is no zone", "Sun, 06 Nov 1994 08:49:37 XYZ", 784111777, true},
		{"no zone", "Sun, 06 Nov 1994 08:49:37", 784111777, true},
		{"zone glued +0000", "Sun, 06 Nov 1994 08:49:37+0000", 784111777, true},
		{"zone glued -0000", "Sun, 06 Nov 1994 08:49:37-0000", 784111777, true},
		{"zone glued +0100 ignored", "Sun, 06 Nov 1994 08:49:37+0100", 0, false},
		{"no day name", "06 Nov 1994 08:49:37 GMT", 784111777, true},
		{"no space after comma", "Sun,06 Nov 1994 08:49:37 GMT", 784111777, true},
		{"month first", "Nov 06 1994 08:49:37 GMT", 784111777, true},
		{"upper-case month", "06 NOV 1994 08:49:37 GMT", 784111777, true},
		{"full month name", "06 November 1994 08:49:37 GMT", 784111777, true},
		{"two-digit year 94", "06 Nov 94 08:49:37 GMT", 784111777, true},
		{"two-digit year 69", "06 Nov 69 08:49:37 GMT", -4806623, true},
		{"two-digit year 68", "06 Nov 68 08:49:37 GMT", 3119417377, true},
		{"two-digit year 00", "06 Nov 00 08:49:37 GMT", 973500577, true},
		{"two-digit year 99", "06 Nov 99 08:49:37 GMT", 941878177, true},
		{"no seconds", "06 Nov 1994 08:49 GMT", 784111740, true},
		{"dotted time", "06 Nov 1994 08.49.37 GMT", 784111777, true},
		{"dotted time no seconds", "06 Nov 1994 08.49 GMT", 784111740, true},
		{"comma after time", "06 Nov 1994 08:49:37, GMT", 784111777, true},
		{"comma after day", "06, Nov 1994 08:49:37 GMT", 0, false},
		{"comma after year", "06 Nov 1994, 08:49:37 GMT", 784111777, true},
		{"time before year", "06 Nov 08:49:37 1994 GMT", 784111777, true},
		{"ISO 8601", "1994-11-06T08:49:37Z", 0, false},
		{"empty", "", 0, false},
		{"spaces", "   ", 0, false},
		{"garbage", "garbage", 0, false},
		{"no time", "06 Nov 1994", 0, false},
		{"bad month", "06 Foo 1994 08:49:37 GMT", 0, false},
		{"day 32", "32 Nov 1994 08:49:37 GMT", 0, false},
		{"leap day", "29 Feb 2000 00:00:00 GMT", 951782400, true},
		{"no leap day in 1900", "29 Feb 1900 00:00:00 GMT", 0, false},
		{"hour 24", "06 Nov 1994 24:00:00 GMT", 0, false},
		{"minute 60", "06 Nov 1994 08:60:00 GMT", 0, false},
		{"second 60", "06 Nov 1994 08:49:60 GMT", 0, false},
		{"offset too large", "06 Nov 1994 08:49:37 +9999", 0, false},
		{"huge offset", "06 Nov 1994 08:49:37 +99999999999999999999", 0, false},
		{"-0 is no zone", "06 Nov 1994 08:49:37 -0", 784111777, true},
		{"numeric 0", "06 Nov 1994 08:49:37 0", 784111777, true},
		{"underscore in year", "06 Nov 1_994 08:49:37 GMT", 784111777, true},
		{"double underscore", "06 Nov 19__94 08:49:37 GMT", 0, false},
		{"signed year swaps with zone", "06 Nov -5 08:49:37 GMT", 0, false},
		{"plus year", "06 Nov +1994 08:49:37 GMT", 0, false},
		{"day 0", "0 Nov 1994 08:49:37 GMT", 0, false},
		{"year 10000", "06 Nov 10000 08:49:37 GMT", 0, false},
		{"extra words", "06 Nov 1994 08:49:37 GMT extra words", 784111777, true},
		{"one-digit time fields", "Sun, 06 Nov 1994 8:9:7 GMT", 784109347, true},
		{"glued day name", "xSun, 06 Nov 1994 08:49:37 GMT", 784111777, true},
		{"RFC 850 four-digit year", "06-Nov-1994 08:49:37 GMT", 784111777, true},
		{"RFC 850 without zone word", "06-Nov-94 08:49:37", 0, false},
		{"2099", "Tue, 01 Jan 2099 00:00:00 GMT", 4070908800, true},
		{"epoch", "01 Jan 1970 00:00:00 GMT", 0, true},
		{"before epoch", "31 Dec 1969 23:59:59 GMT", -1, true},
		{"superscript digit", "06 Nov \xb21994 08:49:37 GMT", 0, false},
		{"no-break space separates", "06\xa0Nov 1994 08:49:37 GMT", 784111777, true},
		{"lower-case gmt", "06 Nov 1994 08:49:37 gmt", 784111777, true},
		{"four time fields", "06 Nov 1994 08:49:37:00 GMT", 0, false},
		{"trailing comma", "Sun, 06 Nov 1994 08:49:37 GMT,", 784111777, true},
		{"month then comma", "Nov, 06 1994 08:49:37 GMT", 0, false},
		{"year first", "1994 Nov 06 08:49:37 GMT", 0, false},
	}
	for _, tt := range tests {
		unix, ok := parseIfModifiedSince(tt.value)
		if ok != tt.ok || unix != tt.unix {
			t.Errorf("%s: parseIfModifiedSince(%q) = %d, %v; want %d, %v", tt.name, tt.value, unix, ok, tt.unix, tt.ok)
		}
	}
}

// TestParsedateTZ checks the fields and zone _parsedate_tz reports,
// before any calendar check.
func TestParsedateTZ(t *testing.T) {
	tests := []struct {
		value string
		want  emailDate
		ok    bool
	}{
		{"Sun, 06 Nov 1994 08:49:37 GMT", emailDate{1994, 11, 6, 8, 49, 37, 0, true}, true},
		{"Sun, 06 Nov 1994 08:49:37 -0500", emailDate{1994, 11, 6, 8, 49, 37, -5 * 3600, true}, true},
		{"Sun, 06 Nov 1994 08:49:37 +0130", emailDate{1994, 11, 6, 8, 49, 37, 5400, true}, true},
		{"Sun, 06 Nov 1994 08:49:37 EDT", emailDate{1994, 11, 6, 8, 49, 37, -4 * 3600, true}, true},
		{"Sun, 06 Nov 1994 08:49:37 -0000", emailDate{1994, 11, 6, 8, 49, 37, 0, false}, true},
		{"Sun, 06 Nov 1994 08:49:37 CET", emailDate{1994, 11, 6, 8, 49, 37, 0, false}, true},
		{"32 Nov 1994 08:49:37", emailDate{1994, 11, 32, 8, 49, 37, 0, false}, true},
		{"06 Nov 1994 08.49", emailDate{1994, 11, 6, 8, 49, 0, 0, false}, true},
		{"Nov 6 69 1:2:3", emailDate{1969, 11, 6, 1, 2, 3, 0, false}, true},
		{"06 Nov 1994", emailDate{}, false},
		{"06 Nov 1994 08", emailDate{}, false},
	}
	for _, tt := range tests {
		got, ok := parsedateTZ(tt.value)
		if ok != tt.ok {
			t.Errorf("parsedateTZ(%q): ok %v, want %v", tt.value, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(emailDate{})); diff != "" {
			t.Errorf("parsedateTZ(%q) (-want +got):\n%s", tt.value, diff)
		}
	}
}
