// Package pystr holds Python's text semantics over the bytes Go holds:
// the rules by which CPython's http.server and its command line read,
// split, compare, quote and print text. The library and cmd/httpserver
// both use it, so that each rule has one home.
//
// Two kinds of text come in. Request text (the request line, header
// values) is bytes that Python decodes as ISO-8859-1: each byte is one
// character, so Repr, IsSpace, Fields and Int take a byte for a
// character. File names and command-line arguments are bytes that Python
// decodes with the filesystem encoding (UTF-8) and the surrogateescape
// handler: each byte that is not part of valid UTF-8 becomes a lone
// surrogate U+DC80–U+DCFF, and encoding turns it back into the byte.
// Text decoded from percent-escapes with surrogatepass may hold any
// surrogate. Such text is carried here as "WTF-8": UTF-8 in which a
// surrogate code point takes the usual 3-byte form (ED A0 80 – ED BF BF).
// WTF-8 strings compare byte-wise in code-point order, as Python's str.
//
// Every function is safe for concurrent use.
package pystr
