package httpserver

import (
	"iter"
	"strings"
)

// HeaderField is one header line of a request: its name as the client spelled
// it and its value with leading whitespace removed (trailing whitespace is
// kept, as Python's email parser keeps it).
type HeaderField struct {
	Name, Value string
}

// Headers holds the header fields of a request in the order they arrived,
// duplicates kept. Lookups compare names ASCII case-insensitively. It mirrors
// http.client.HTTPMessage as BaseHTTPRequestHandler.headers uses it.
//
// The zero value is an empty set of headers. A Headers is not safe for
// concurrent mutation. The handler gets a new Headers for every request, so
// a do-method may keep it after the request ends.
type Headers struct {
	fields []HeaderField
}

// Get returns the value of the first field named name, or "" if there is
// none. It mirrors HTTPMessage.get(name) (which returns None for a missing
// field; use Has to tell the two apart).
func (h *Headers) Get(name string) string {
	for i := range h.fields {
		if equalFoldASCII(h.fields[i].Name, name) {
			return h.fields[i].Value
		}
	}
	return ""
}

// Has reports whether a field named name is present, as Python's
// "name in headers".
func (h *Headers) Has(name string) bool {
	for i := range h.fields {
		if equalFoldASCII(h.fields[i].Name, name) {
			return true
		}
	}
	return false
}

// Values returns the values of every field named name in arrival order, or
// nil if there is none. It mirrors HTTPMessage.get_all(name).
func (h *Headers) Values(name string) []string {
	var vs []string
	for i := range h.fields {
		if equalFoldASCII(h.fields[i].Name, name) {
			vs = append(vs, h.fields[i].Value)
		}
	}
	return vs
}

// Len returns the number of fields, duplicates included.
func (h *Headers) Len() int { return len(h.fields) }

// All returns an iterator over the fields as (name, value) pairs in arrival
// order, as HTTPMessage.items().
func (h *Headers) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, f := range h.fields {
			if !yield(f.Name, f.Value) {
				return
			}
		}
	}
}

// Fields returns a copy of the fields in arrival order.
func (h *Headers) Fields() []HeaderField {
	return append([]HeaderField(nil), h.fields...)
}

// Add appends a field, as Python's headers[name] = value (which never
// replaces).
func (h *Headers) Add(name, value string) {
	h.fields = append(h.fields, HeaderField{name, value})
}

// Del removes every field named name, as Python's del headers[name].
func (h *Headers) Del(name string) {
	kept := h.fields[:0]
	for _, f := range h.fields {
		if !equalFoldASCII(f.Name, name) {
			kept = append(kept, f)
		}
	}
	clear(h.fields[len(kept):])
	h.fields = kept
}

// Set replaces every field named name by one field with value, placed where
// the first one was (or at the end if there was none).
func (h *Headers) Set(name, value string) {
	for i := range h.fields {
		if equalFoldASCII(h.fields[i].Name, name) {
			h.fields[i] = HeaderField{name, value}
			rest := h.fields[i+1:]
			kept := rest[:0]
			for _, f := range rest {
				if !equalFoldASCII(f.Name, name) {
					kept = append(kept, f)
				}
			}
			clear(rest[len(kept):])
			h.fields = h.fields[:i+1+len(kept)]
			return
		}
	}
	h.Add(name, value)
}

// String returns the fields as "Name: value" lines joined by CRLF, with a
// final CRLF, as str(HTTPMessage) does with LF.
func (h *Headers) String() string {
	var b strings.Builder
	for _, f := range h.fields {
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Value)
		b.WriteString("\r\n")
	}
	return b.String()
}

// equalFoldASCII reports whether a and b are equal under ASCII case folding.
// Header names are bytes, not Unicode text, so strings.EqualFold's Unicode
// folding (K matching the Kelvin sign) would be wrong here.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
