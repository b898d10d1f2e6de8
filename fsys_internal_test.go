package httpserver

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
)

// BenchmarkFSFile4K serves a 4 KiB file through SimpleHandler.FS, from
// os.DirFS (an *os.File, as Directory's) and from an fstest.MapFS (in
// memory), on a kept-alive connection: compare with BenchmarkSimpleFile4K.
func BenchmarkFSFile4K(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "4k.bin"), make([]byte, 4096), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		fsys fs.FS
	}{
		{"DirFS", os.DirFS(dir)},
		{"MapFS", fstest.MapFS{"4k.bin": {Data: make([]byte, 4096)}}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			benchmarkFS(b, bb.fsys, "GET /4k.bin HTTP/1.1\r\nHost: x\r\n\r\n")
		})
	}
}

// BenchmarkFSListDirectory1K lists a directory of 1000 files through
// SimpleHandler.FS: compare with BenchmarkListDirectory1K.
func BenchmarkFSListDirectory1K(b *testing.B) {
	dir := b.TempDir()
	m := fstest.MapFS{}
	for i := range 1000 {
		name := "file-" + strconv.Itoa(i) + ".txt"
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
		m["listing/"+name] = &fstest.MapFile{}
	}
	for _, bb := range []struct {
		name string
		fsys fs.FS
		req  string
	}{
		{"DirFS", os.DirFS(dir), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"MapFS", m, "GET /listing/ HTTP/1.1\r\nHost: x\r\n\r\n"},
	} {
		b.Run(bb.name, func(b *testing.B) { benchmarkFS(b, bb.fsys, bb.req) })
	}
}

// benchmarkFS serves req b.N times from fsys on one kept-alive connection.
func benchmarkFS(b *testing.B, fsys fs.FS, req string) {
	class := func() Handler {
		return &quietSimple{SimpleHandler{BaseHandler: BaseHandler{ProtocolVersion: "HTTP/1.1"}, FS: fsys}}
	}
	per := serveLoop(b, class, req, 1).written
	b.ReportAllocs()
	b.ResetTimer()
	if c := serveLoop(b, class, req, b.N); c.written != int64(b.N)*per {
		b.Fatalf("wrote %d bytes for %d requests, want %d each", c.written, b.N, per)
	}
}
