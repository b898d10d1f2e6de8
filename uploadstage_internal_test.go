package httpserver

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// TestStagedFileWithoutHardLinks places files as on a file system without
// hard links (FAT: link fails with EPERM), where the name is claimed with
// O_EXCL and the temporary file renamed over the claim: the same answers,
// the same race rule, and nothing left behind.
func TestStagedFileWithoutHardLinks(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	noLinks := func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }
	put := func(name, content string, overwrite bool) (bool, error) {
		s, err := stage(root, name)
		if err != nil {
			t.Fatal(err)
		}
		s.hardLink = noLinks
		if _, err := s.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
		return s.place(overwrite)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, content string
		overwrite     bool
		created       bool
		err           error
		want          string // the file afterwards
	}{
		{"a", "first", false, true, nil, "first"},
		{"a", "second", false, false, errUploadExists, "first"},
		{"a", "third", true, false, nil, "third"},
		{"sub", "x", true, false, errUploadExists, ""},
		{"sub", "x", false, false, errUploadExists, ""},
	} {
		created, err := put(tt.name, tt.content, tt.overwrite)
		if created != tt.created || !errors.Is(err, tt.err) {
			t.Errorf("%s %q (overwrite %v): created %v, %v; want %v, %v", tt.name, tt.content, tt.overwrite, created, err, tt.created, tt.err)
		}
		if tt.want != "" {
			if data, _ := os.ReadFile(filepath.Join(dir, tt.name)); string(data) != tt.want {
				t.Errorf("%s holds %q, want %q", tt.name, data, tt.want)
			}
		}
	}
	// Eight uploads of one new name at once: one wins, whole.
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Go(func() {
			_, results[i] = put("race", string(rune('a'+i)), false)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, errUploadExists):
			t.Errorf("a racing upload failed with %v, want errUploadExists", err)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "race")); wins != 1 || len(data) != 1 {
		t.Errorf("%d uploads won, the file holds %q; want one winner's byte", wins, data)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 || names[0] != "a" || names[1] != "race" || names[2] != "sub" {
		t.Errorf("directory holds %q, want a, race and sub only", names)
	}
}
