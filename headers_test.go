package httpserver_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/httpserver-go/httpserver"
)

type field = httpserver.HeaderField

// TestHeadersZeroValue checks that the zero Headers is empty and usable.
func TestHeadersZeroValue(t *testing.T) {
	var h httpserver.Headers
	if h.Get("X") != "" || h.Has("X") || h.Values("X") != nil || h.Len() != 0 || len(h.Fields()) != 0 || h.String() != "" {
		t.Errorf("zero Headers not empty: %q", h.String())
	}
	h.Del("X")
	h.Add("X", "1")
	if h.Get("x") != "1" {
		t.Errorf("Add on the zero value: Get = %q", h.Get("x"))
	}
}

// TestHeadersLookup checks lookups: in arrival order, duplicates kept,
// first value for Get, names compared ASCII case-insensitively only.
func TestHeadersLookup(t *testing.T) {
	var h httpserver.Headers
	h.Add("Content-Type", "text/plain")
	h.Add("Set-Cookie", "a=1")
	h.Add("X-Empty", "")
	h.Add("set-cookie", "b=2 ")
	h.Add("K-Name", "kelvin")

	tests := []struct {
		name   string
		get    string
		has    bool
		values []string
	}{
		{"Content-Type", "text/plain", true, []string{"text/plain"}},
		{"CONTENT-type", "text/plain", true, []string{"text/plain"}},
		{"Set-Cookie", "a=1", true, []string{"a=1", "b=2 "}},
		{"X-Empty", "", true, []string{""}},
		{"Missing", "", false, nil},
		{"Content-Typ", "", false, nil},
		{"\u212a-Name", "", false, nil}, // the Kelvin sign folds to k only in Unicode
		{"k-name", "kelvin", true, []string{"kelvin"}},
	}
	for _, tt := range tests {
		if got := h.Get(tt.name); got != tt.get {
			t.Errorf("Get(%q) = %q, want %q", tt.name, got, tt.get)
		}
		if got := h.Has(tt.name); got != tt.has {
			t.Errorf("Has(%q) = %v, want %v", tt.name, got, tt.has)
		}
		if diff := cmp.Diff(tt.values, h.Values(tt.name)); diff != "" {
			t.Errorf("Values(%q) (-want +got):\n%s", tt.name, diff)
		}
	}
	if h.Len() != 5 {
		t.Errorf("Len = %d, want 5", h.Len())
	}
	want := "Content-Type: text/plain\r\nSet-Cookie: a=1\r\nX-Empty: \r\nset-cookie: b=2 \r\nK-Name: kelvin\r\n"
	if got := h.String(); got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// TestHeadersEdit checks Set, Del, Fields and All.
func TestHeadersEdit(t *testing.T) {
	mk := func() *httpserver.Headers {
		var h httpserver.Headers
		for _, f := range []field{{"A", "1"}, {"B", "2"}, {"a", "3"}, {"C", "4"}, {"A", "5"}} {
			h.Add(f.Name, f.Value)
		}
		return &h
	}
	tests := []struct {
		name string
		edit func(h *httpserver.Headers)
		want []field
	}{
		{"Set replaces every field in place of the first", func(h *httpserver.Headers) { h.Set("a", "x") },
			[]field{{"a", "x"}, {"B", "2"}, {"C", "4"}}},
		{"Set adds a missing field at the end", func(h *httpserver.Headers) { h.Set("D", "6") },
			[]field{{"A", "1"}, {"B", "2"}, {"a", "3"}, {"C", "4"}, {"A", "5"}, {"D", "6"}}},
		{"Del removes every field of the name", func(h *httpserver.Headers) { h.Del("A") },
			[]field{{"B", "2"}, {"C", "4"}}},
		{"Del of a missing name", func(h *httpserver.Headers) { h.Del("Z") },
			[]field{{"A", "1"}, {"B", "2"}, {"a", "3"}, {"C", "4"}, {"A", "5"}}},
		{"Add keeps duplicates", func(h *httpserver.Headers) { h.Add("B", "7") },
			[]field{{"A", "1"}, {"B", "2"}, {"a", "3"}, {"C", "4"}, {"A", "5"}, {"B", "7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mk()
			tt.edit(h)
			if diff := cmp.Diff(tt.want, h.Fields()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			var all []field
			for name, value := range h.All() {
				all = append(all, field{name, value})
			}
			if diff := cmp.Diff(tt.want, all); diff != "" {
				t.Errorf("All (-want +got):\n%s", diff)
			}
		})
	}

	h := mk()
	fields := h.Fields()
	fields[0].Value = "changed"
	if h.Get("A") != "1" {
		t.Error("changing the slice from Fields changed the Headers")
	}
	n := 0
	for range h.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("All after break yielded %d fields", n)
	}
}
