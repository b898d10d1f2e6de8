package httpserver

import "testing"

// TestFormatErrorPage checks the %-formatting of error_message_format
// with a mapping.
func TestFormatErrorPage(t *testing.T) {
	tests := []struct {
		name, format, message, explain, want string
	}{
		{"all keys and conversions", "%(code)d %(code)i %(code)s %(code)r|%(message)s|%(explain)s|%(message)r",
			"M", "E", "404 404 404 404|M|E|'M'"},
		{"percent signs", "100%% %%(code)d %", "", "", "100% %(code)d %"},
		{"unknown key copied", "%(other)s %(code)d", "", "", "%(other)s 404"},
		{"unclosed key copied", "%(code", "", "", "%(code"},
		{"not a mapping spec", "%d %s", "", "", "%d %s"},
		{"repr of Latin-1 text, page in UTF-8", "%(message)r %(message)s", "\xe0 \xa0\xad", "", "'\u00e0 \\xa0\\xad' \u00e0 \u00a0\u00ad"},
		{"UTF-8 text kept", "%(message)s %(message)r", "é", "", "é 'é'"},
	}
	for _, tt := range tests {
		if got := formatErrorPage(tt.format, 404, tt.message, tt.explain); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDefaultErrorPageLength checks the length of the 404 page Python
// 3.15 sends with its default error_message_format: 460 bytes.
func TestDefaultErrorPageLength(t *testing.T) {
	page := formatErrorPage(DefaultErrorMessageFormat, 404, "File not found", "Nothing matches the given URI")
	if len(page) != 460 {
		t.Errorf("404 page is %d bytes, want 460:\n%s", len(page), page)
	}
}

// TestEscapeHTML checks html.escape(s, quote=False).
func TestEscapeHTML(t *testing.T) {
	if got, want := escapeHTML(`<a href="x">'&'</a>`), `&lt;a href="x"&gt;'&amp;'&lt;/a&gt;`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
