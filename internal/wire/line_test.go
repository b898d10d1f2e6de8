package wire

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"time"
)

// TestAppendLine checks the line reader on both sides of its limit, with
// the input arriving in one piece and then stopping without an end (as a
// client that waits): it must answer from what has arrived.
func TestAppendLine(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		limit    int
		want     string
		tooLong  bool
		wantRest string // what is left unread after the call
	}{
		{"a line within the limit", "GET / HTTP/1.1\r\nHost", 64, "GET / HTTP/1.1\r\n", false, "Host"},
		{"a line exactly at the limit", "abcd\r\nx", 6, "abcd\r\n", false, "x"},
		{"one byte over, line end in sight", "abcde\r\nx", 6, "abcde\r", true, "\nx"},
		{"over the limit, no line end yet", strings.Repeat("a", 70000), 65536, strings.Repeat("a", 65536), true, strings.Repeat("a", 70000-65536)},
		{"limit+1 bytes, no line end", strings.Repeat("a", 5), 4, "aaaa", true, "a"},
		{"limit 0", "x", 0, "", true, "x"},
		{"longer than the buffer, then a line end", strings.Repeat("b", 3000) + "\n", 4096, strings.Repeat("b", 3000) + "\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go pw.Write([]byte(tt.in)) // then the writer waits: no EOF
			defer pw.Close()
			br := bufio.NewReaderSize(pr, 1024)
			type result struct {
				line    []byte
				tooLong bool
				err     error
			}
			done := make(chan result, 1)
			go func() {
				line, tooLong, err := AppendLine(br, []byte("prefix:"), tt.limit)
				done <- result{line, tooLong, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("AppendLine waited for more input")
			}
			if r.err != nil || string(r.line) != "prefix:"+tt.want || r.tooLong != tt.tooLong {
				t.Errorf("got %q, tooLong %v, err %v; want %q, tooLong %v", r.line, r.tooLong, r.err, "prefix:"+tt.want, tt.tooLong)
			}
			rest := make([]byte, len(tt.wantRest))
			if _, err := io.ReadFull(br, rest); err != nil || string(rest) != tt.wantRest {
				t.Errorf("left unread %q (%v), want %q", rest, err, tt.wantRest)
			}
		})
	}
	t.Run("end of input keeps the partial line", func(t *testing.T) {
		br := bufio.NewReader(strings.NewReader("GET /p"))
		line, tooLong, err := AppendLine(br, nil, 100)
		if string(line) != "GET /p" || tooLong || err != io.EOF {
			t.Errorf("got %q, %v, %v; want the partial line and io.EOF", line, tooLong, err)
		}
	})
}
