package httpserver

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseRange checks Range values against RFC 9110 §14.1.2, whose
// examples are for a representation of 10000 bytes, and §14.2.
func TestParseRange(t *testing.T) {
	const size = 10000
	tests := []struct {
		name  string
		value string
		size  int64
		want  []byteRange
		out   rangeOutcome
	}{
		// §14.1.2's examples.
		{"first 500", "bytes=0-499", size, []byteRange{{0, 500}}, rangeSatisfiable},
		{"second 500", "bytes=500-999", size, []byteRange{{500, 500}}, rangeSatisfiable},
		{"final 500 by suffix", "bytes=-500", size, []byteRange{{9500, 500}}, rangeSatisfiable},
		{"final 500 by first-", "bytes=9500-", size, []byteRange{{9500, 500}}, rangeSatisfiable},
		{"first and last", "bytes=0-0,-1", size, []byteRange{{0, 1}, {9999, 1}}, rangeSatisfiable},
		{"second 500, adjacent", "bytes=500-600,601-999", size, []byteRange{{500, 101}, {601, 399}}, rangeSatisfiable},
		{"second 500, overlapping", "bytes=500-700,601-999", size, []byteRange{{500, 201}, {601, 399}}, rangeSatisfiable},
		// Clamping.
		{"last past the end", "bytes=9000-20000", size, []byteRange{{9000, 1000}}, rangeSatisfiable},
		{"suffix longer than the file", "bytes=-20000", size, []byteRange{{0, size}}, rangeSatisfiable},
		{"huge last", "bytes=0-99999999999999999999999", size, []byteRange{{0, size}}, rangeSatisfiable},
		{"last byte", "bytes=9999-9999", size, []byteRange{{9999, 1}}, rangeSatisfiable},
		// The unit is case-insensitive; lists allow spaces and empty elements.
		{"unit in capitals", "BYTES=0-0", size, []byteRange{{0, 1}}, rangeSatisfiable},
		{"unit mixed case", "Bytes=1-1", size, []byteRange{{1, 1}}, rangeSatisfiable},
		{"spaces around commas", "bytes=0-0 ,\t5-5 , -1", size, []byteRange{{0, 1}, {5, 1}, {9999, 1}}, rangeSatisfiable},
		{"empty elements", "bytes=,0-0,,", size, []byteRange{{0, 1}}, rangeSatisfiable},
		// Unsatisfiable specs are dropped; nothing else left is 416.
		{"first at the end", "bytes=10000-", size, nil, rangeUnsatisfiable},
		{"first past the end", "bytes=20000-30000", size, nil, rangeUnsatisfiable},
		{"zero suffix", "bytes=-0", size, nil, rangeUnsatisfiable},
		{"huge first", "bytes=99999999999999999999999-", size, nil, rangeUnsatisfiable},
		{"one satisfiable of two", "bytes=20000-,0-0", size, []byteRange{{0, 1}}, rangeSatisfiable},
		{"empty file, first-", "bytes=0-", 0, nil, rangeUnsatisfiable},
		{"empty file, suffix", "bytes=-5", 0, nil, rangeUnsatisfiable},
		// Invalid sets and other units are ignored: the whole file.
		{"last before first", "bytes=500-499", size, nil, rangeIgnored},
		{"one invalid spec spoils the set", "bytes=0-0,5-4", size, nil, rangeIgnored},
		{"no dash", "bytes=500", size, nil, rangeIgnored},
		{"two dashes", "bytes=1-2-3", size, nil, rangeIgnored},
		{"negative", "bytes=-1-5", size, nil, rangeIgnored},
		{"sign", "bytes=+1-5", size, nil, rangeIgnored},
		{"space inside", "bytes=1 -5", size, nil, rangeIgnored},
		{"no number", "bytes=-", size, nil, rangeIgnored},
		{"empty set", "bytes=", size, nil, rangeIgnored},
		{"only commas", "bytes= , ,", size, nil, rangeIgnored},
		{"other unit", "items=0-5", size, nil, rangeIgnored},
		{"unit prefix", "bytesx=0-5", size, nil, rangeIgnored},
		{"space before =", "bytes =0-5", size, nil, rangeIgnored},
		{"no unit", "0-5", size, nil, rangeIgnored},
		{"hex", "bytes=0x10-", size, nil, rangeIgnored},
		{"other-range", "bytes=abc", size, nil, rangeIgnored},
		// The count is capped.
		{"maxRanges specs", "bytes=" + strings.Repeat("0-0,", maxRanges), size, repeatRange(byteRange{0, 1}, maxRanges), rangeSatisfiable},
		{"one spec too many", "bytes=" + strings.Repeat("0-0,", maxRanges+1), size, nil, rangeIgnored},
		{"too many, even unsatisfiable", "bytes=" + strings.Repeat("20000-,", maxRanges+1), size, nil, rangeIgnored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := parseRange(tt.value, tt.size, nil)
			if out != tt.out {
				t.Errorf("parseRange(%q, %d) outcome %d, want %d", tt.value, tt.size, out, tt.out)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(byteRange{})); diff != "" {
				t.Errorf("parseRange(%q, %d) ranges (-want +got):\n%s", tt.value, tt.size, diff)
			}
		})
	}
}

func repeatRange(r byteRange, n int) []byteRange {
	out := make([]byteRange, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func TestCoalesce(t *testing.T) {
	tests := []struct {
		name     string
		in, want []byteRange
	}{
		{"one", []byteRange{{5, 5}}, []byteRange{{5, 5}}},
		{"apart, order kept", []byteRange{{500, 10}, {0, 10}}, []byteRange{{500, 10}, {0, 10}}},
		{"overlapping", []byteRange{{500, 201}, {601, 399}}, []byteRange{{500, 500}}},
		{"adjacent", []byteRange{{500, 101}, {601, 399}}, []byteRange{{500, 500}}},
		{"gap below the limit", []byteRange{{0, 10}, {109, 1}}, []byteRange{{0, 110}}},
		{"gap at the limit", []byteRange{{0, 10}, {110, 1}}, []byteRange{{0, 10}, {110, 1}}},
		{"contained", []byteRange{{0, 1000}, {10, 10}}, []byteRange{{0, 1000}}},
		{"merged ones sorted", []byteRange{{900, 10}, {0, 10}, {5, 10}}, []byteRange{{0, 15}, {900, 10}}},
		{"many the same", repeatRange(byteRange{0, 1}, maxRanges), []byteRange{{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := coalesce(append([]byteRange(nil), tt.in...), 100)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(byteRange{})); diff != "" {
				t.Errorf("coalesce(%v, 100) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestRangeResponseBound checks the bound that makes abusive Range values
// harmless: after coalescing with maxPartHead, the multipart body of any
// set of ranges is at most the file plus one part's head and the closing
// delimiter, so fileResponse, which sends the whole file when the body
// would be larger, never sends much more than the file.
func TestRangeResponseBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const ctype = "application/octet-stream"
	for i := 0; i < 2000; i++ {
		size := 1 + r.Int64N(1<<uint(1+r.IntN(20)))
		var specs []string
		for range 1 + r.IntN(maxRanges) {
			a := r.Int64N(size + 10)
			b := a + r.Int64N(max(size/8, 2))
			specs = append(specs, strconv.FormatInt(a, 10)+"-"+strconv.FormatInt(b, 10))
		}
		ranges, out := parseRange("bytes="+strings.Join(specs, ","), size, nil)
		if out != rangeSatisfiable {
			continue
		}
		gap := maxPartHead(ctype, size)
		ranges = coalesce(ranges, gap)
		if len(ranges) < 2 {
			continue
		}
		m := newMultipart(ranges, size, ctype)
		if limit := size + gap + int64(len(m.closing())); m.size > limit {
			t.Fatalf("size %d, %d ranges %v: multipart body of %d bytes, over the bound %d", size, len(ranges), ranges, m.size, limit)
		}
		for _, h := range m.heads {
			if int64(len(h)) > gap {
				t.Fatalf("part head %q longer than maxPartHead %d", h, gap)
			}
		}
	}
}

// TestMultipartBody reads the body of several ranges, with Read and with
// WriteTo into a Wfile-like writer (small and large parts): each part's
// head and bytes in turn, then the closing delimiter. TestRangeMultipart
// parses what goes on the wire.
func TestMultipartBody(t *testing.T) {
	data := make([]byte, 100000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	path := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ranges := []byteRange{{90000, 10000}, {0, 1}, {100, 40000}}
	m := newMultipart(ranges, int64(len(data)), "application/x-test")
	for _, how := range []string{"Read", "WriteTo"} {
		t.Run(how, func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			b := &multipartBody{m: m, file: fileBody{fileSource: fileSource{f: f}}}
			defer b.Close()
			var out bytes.Buffer
			if how == "Read" {
				_, err = io.Copy(&out, struct{ io.Reader }{b})
			} else {
				w := getWriterBufs(&out).w
				_, err = b.WriteTo(w)
				w.Flush()
			}
			if err != nil {
				t.Fatal(err)
			}
			if int64(out.Len()) != m.size || b.unsent() != 0 {
				t.Fatalf("body of %d bytes, unsent %d; announced %d", out.Len(), b.unsent(), m.size)
			}
			var want []byte
			for i, r := range ranges {
				want = append(want, m.heads[i]...)
				want = append(want, data[r.start:r.end()]...)
			}
			want = append(want, m.closing()...)
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("body differs from the heads and ranges in turn:\n%.300q", out.Bytes())
			}
		})
	}
}
