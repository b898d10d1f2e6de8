package httpserver

import (
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// emailDate is what Python's email._parseaddr._parsedate_tz makes of a
// date: the fields as written (not yet checked against the calendar) and
// the zone offset in seconds, if the date named a zone.
type emailDate struct {
	year, month, day, hour, minute, second int
	zone                                   int  // seconds east of UTC
	hasZone                                bool // false for no zone, an unknown one, or -0000
}

var monthNames = [...]string{
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
}

var dayNames = [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// zoneNames are the zone abbreviations _parsedate_tz knows, as ±hhmm.
var zoneNames = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"AST": -400, "ADT": -300,
	"EST": -500, "EDT": -400,
	"CST": -600, "CDT": -500,
	"MST": -700, "MDT": -600,
	"PST": -800, "PDT": -700,
}

// parsedateTZ parses an RFC 2822-style date leniently, exactly as
// Python's email._parseaddr._parsedate_tz (the parser behind
// email.utils.parsedate_to_datetime): an optional day name, day and month
// in either order, RFC 850 "DD-Mon-YY", the zone glued to the time with
// '+' or '-', year and time in either order (asctime form), "HH:MM",
// "HH:MM:SS" or the same with '.', two-digit years (69–99 → 19xx, else
// 20xx), named and numeric zones. The text's bytes are ISO-8859-1
// characters, as Python decodes header values.
func parsedateTZ(data string) (d emailDate, ok bool) {
	words := pystr.Fields(data)
	if len(words) == 0 {
		return d, false
	}
	if strings.HasSuffix(words[0], ",") || isDayName(pystr.LowerASCII(words[0])) {
		words = words[1:]
	} else if i := strings.LastIndexByte(words[0], ','); i >= 0 {
		words[0] = words[0][i+1:]
	}
	if len(words) == 3 { // RFC 850
		if stuff := strings.Split(words[0], "-"); len(stuff) == 3 {
			words = append(stuff, words[1:]...)
		}
	}
	if len(words) == 4 {
		s := words[3]
		i := strings.IndexByte(s, '+')
		if i == -1 {
			i = strings.IndexByte(s, '-')
		}
		if i > 0 {
			words = append(words[:3:3], s[:i], s[i:])
		} else {
			words = append(words, "") // no zone
		}
	}
	if len(words) < 5 {
		return d, false
	}
	dd, mm, yy, tm, tz := words[0], words[1], words[2], words[3], words[4]
	if dd == "" || mm == "" || yy == "" {
		return d, false
	}
	mm = pystr.LowerASCII(mm)
	month := monthIndex(mm)
	if month == 0 {
		dd, mm = mm, pystr.LowerASCII(dd)
		if month = monthIndex(mm); month == 0 {
			return d, false
		}
	}
	if month > 12 {
		month -= 12
	}
	d.month = month
	dd = strings.TrimSuffix(dd, ",")
	if i := strings.IndexByte(yy, ':'); i > 0 {
		yy, tm = tm, yy
	}
	if strings.HasSuffix(yy, ",") {
		if yy = yy[:len(yy)-1]; yy == "" {
			return d, false
		}
	}
	if !pystr.IsDigit(yy[0]) {
		yy, tz = tz, yy
	}
	tm = strings.TrimSuffix(tm, ",")
	var thh, tmm, tss string
	switch parts := strings.Split(tm, ":"); {
	case len(parts) == 2:
		thh, tmm, tss = parts[0], parts[1], "0"
	case len(parts) == 3:
		thh, tmm, tss = parts[0], parts[1], parts[2]
	case len(parts) == 1 && strings.Contains(tm, "."):
		switch parts := strings.Split(tm, "."); len(parts) {
		case 2:
			thh, tmm, tss = parts[0], parts[1], "0"
		case 3:
			thh, tmm, tss = parts[0], parts[1], parts[2]
		default:
			return d, false
		}
	default:
		return d, false
	}
	for _, f := range []struct {
		text string
		dst  *int
	}{{yy, &d.year}, {dd, &d.day}, {thh, &d.hour}, {tmm, &d.minute}, {tss, &d.second}} {
		n, valid, overflow := pystr.Int(f.text, 32)
		if !valid || overflow {
			// Python's int() fails, or (overflow) gives a number no
			// datetime accepts: either way the date is refused.
			return d, false
		}
		*f.dst = int(n)
	}
	if d.year < 100 {
		if d.year > 68 {
			d.year += 1900
		} else {
			d.year += 2000
		}
	}
	tz = pystr.UpperASCII(tz)
	if off, known := zoneNames[tz]; known {
		d.zone, d.hasZone = zoneSeconds(off), true
	} else if n, valid, overflow := pystr.Int(tz, 32); valid {
		switch {
		case overflow:
			// A huge offset: Python's timezone() refuses it. Any offset
			// that is not zero makes the handler ignore the date.
			d.zone, d.hasZone = 1<<31, true
		case n == 0 && strings.HasPrefix(tz, "-"):
			// -0000: UTC, but the source zone is unknown.
		default:
			d.zone, d.hasZone = zoneSeconds(int(n)), true
		}
	}
	return d, true
}

// zoneSeconds converts a ±hhmm offset to seconds as _parsedate_tz does,
// with Python's floor division and modulo on the magnitude.
func zoneSeconds(off int) int {
	sign := 1
	if off < 0 {
		sign, off = -1, -off
	}
	return sign * (off/100*3600 + off%100*60)
}

// valid reports whether Python's datetime accepts the fields.
func (d emailDate) valid() bool {
	if d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
		d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59 || d.second < 0 || d.second > 59 {
		return false
	}
	return d.day <= daysIn(d.month, d.year)
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseIfModifiedSince returns the instant an If-Modified-Since value
// names, in Unix seconds, and whether SimpleHTTPRequestHandler would use
// it: it parses with parsedateTZ and is a real date, and its zone is UTC
// (GMT, UT, UTC, Z, +0000) or absent (no zone, an unknown zone and -0000
// are taken as UTC). A date with any other offset is ignored, as Python
// compares only dates whose tzinfo is timezone.utc.
func parseIfModifiedSince(v string) (unix int64, ok bool) {
	d, ok := parsedateTZ(v)
	if !ok || !d.valid() || d.hasZone && d.zone != 0 {
		return 0, false
	}
	return time.Date(d.year, time.Month(d.month), d.day, d.hour, d.minute, d.second, 0, time.UTC).Unix(), true
}

func isDayName(s string) bool {
	for _, n := range dayNames {
		if s == n {
			return true
		}
	}
	return false
}

// monthIndex returns 1 + the index of s in monthNames, or 0.
func monthIndex(s string) int {
	for i, n := range monthNames {
		if s == n {
			return i + 1
		}
	}
	return 0
}
