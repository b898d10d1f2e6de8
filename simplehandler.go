package httpserver

import (
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// SimpleHandler serves the files and directory listings under Directory,
// or of FS, for GET and HEAD, as Python's SimpleHTTPRequestHandler: the same
// responses byte for byte (status lines, header order and spelling,
// listings, redirects, If-Modified-Since), with the deviations listed
// below. Every other method gets 501.
//
// Extend it by embedding, as a Python subclass would, and override any of
// SendHead, ListDirectory, TranslatePath, GuessType and CopyFile: the
// handler calls each of them through the outermost value, so an override
// is used even when SimpleHandler's own methods make the call. Call the
// original as h.SimpleHandler.GuessType(path).
//
//	type Files struct{ httpserver.SimpleHandler }
//
//	func (f *Files) GuessType(path string) string {
//		if strings.HasSuffix(path, ".log") {
//			return "text/plain; charset=utf-8"
//		}
//		return f.SimpleHandler.GuessType(path)
//	}
//
// The configuration fields mirror the class attributes and constructor
// arguments; their zero values mean Python's defaults. BaseHandler's
// ServerVersion defaults to "SimpleHTTP" here. SimpleHandler only reads the
// slices and the map it is given, so one of each may be shared by the
// handlers of every connection.
//
// Where Python crashes or misbehaves, SimpleHandler does not:
//   - A request path holding an encoded NUL, or a surrogate no file name
//     can hold (%ED%A0%80), gets 404 "File not found" instead of a dropped
//     connection; a listing title with such a surrogate shows U+FFFD.
//   - Only regular files are opened: a FIFO, device or socket gets 404
//     "File not found" without being opened (Python opens it, and a FIFO
//     blocks the handler forever).
//   - A file is sent up to the Content-Length taken when it was opened: a
//     file that grows meanwhile never sends more, and one that shrinks
//     closes the connection rather than leave a kept-alive client waiting
//     (logged through LogError). A file that cannot be read (EIO) closes
//     the connection and is reported through the server's HandleError.
//   - An HTTP/0.9 request gets its body when ExtraResponseHeaders is set
//     (Python crashes), and an extra header that SendHeader refuses is
//     left out.
//   - The Location of the redirect to a directory's URL with "/" cannot
//     name another host ("\" and control bytes are percent-encoded, and
//     it never begins with "//"); see SendHead.
//   - StayInDirectory, off by default, refuses paths whose symbolic links
//     lead outside Directory, which Python always follows.
//   - Files are served as RFC 9110 asks, which Python does not: Range
//     (206, multipart/byteranges, 416), a strong ETag and Accept-Ranges:
//     bytes, If-Match, If-None-Match, If-Unmodified-Since and If-Range.
//     A request without those headers gets Python's response plus ETag
//     and Accept-Ranges. FilesAsCPython turns all of it off.
//
// File bodies reach the socket through io.ReaderFrom, so on plain TCP the
// kernel sends them (sendfile) without copying them through the process.
// Their bytes are always read when they are sent: a connection keeps the
// last file it opened open, and the server keeps directory listings, but
// each is used only after a fresh stat shows it unchanged (see
// snapshot.go), so no response differs from what Python would read at
// that moment.
type SimpleHandler struct {
	BaseHandler

	// Directory is the directory served. "" means the current directory
	// when the connection starts (Setup fills it in), as Python's
	// directory=None. It is used as given: not made absolute, not
	// checked. Symbolic links under it are followed, even to files
	// outside it, as in Python, unless StayInDirectory is set.
	Directory string
	// FS, when non-nil, is the tree served instead of Directory, which is
	// then not used: files, index pages, listings, the redirects to a
	// directory's URL and the types all come from FS, with the bytes
	// Directory gives for the same tree on disk. Any fs.FS will do:
	// os.DirFS, (*os.Root).FS, embed.FS, *zip.Reader, fstest.MapFS, a
	// gocloud.dev blob.Bucket. It is shared by every connection, so it
	// must be safe for concurrent use (those are). The differences:
	//   - TranslatePath translates as if Directory were "", the name of
	//     FS's root: the request path "/docs/a.txt?x" becomes
	//     "/docs/a.txt", FS's file "docs/a.txt" (not a path on disk), and
	//     "/" stays "/". A path that names nothing in FS (one that does not
	//     begin with "/", or is not fs.ValidPath once the leading "/" and a
	//     trailing one are cut, such as a name that is not UTF-8) gets 404
	//     "File not found".
	//   - Last-Modified is sent, and If-Modified-Since answered, only for a
	//     file that has a modification time: one whose ModTime is not the
	//     zero time.Time. Every file of an embed.FS has none (a file on
	//     disk always has one).
	//   - A file of mode fs.ModeIrregular is served as a regular one, and
	//     may be an index page: a bucket says so of its objects. Other
	//     files that are not regular get 404, as with Directory, refused
	//     before they are opened; but os.DirFS opens without O_NONBLOCK,
	//     so a FIFO swapped in between the stat and the open blocks.
	//   - A listing shows the entries in the order FS's directory gives
	//     them (os.DirFS: the disk's), marked "/" and "@" from the entries'
	//     types, a link's "/" from FS's Stat, which follows links in
	//     os.DirFS, (*os.Root).FS and fstest.MapFS, as on disk. An FS that
	//     reports no links (embed.FS, buckets) shows none; one whose Stat
	//     does not follow them (a *zip.Reader holding link entries) shows
	//     "name@" linking to "name", and answers it with 404, as a broken
	//     link on disk.
	//   - Range, ETag and the preconditions apply as on disk, but a file
	//     without a modification time has no validator (no ETag, and the
	//     dates of the preconditions do not apply), and only a file that
	//     can read at an offset (io.ReaderAt: embed.FS, fstest.MapFS) or
	//     seek (a bucket's object) serves Range; another (a zip entry) is
	//     sent whole, without Accept-Ranges.
	//   - FS is read on every request (no snapshots), and StayInDirectory
	//     does not apply: FS decides where links lead (os.DirFS follows
	//     them anywhere, (*os.Root).FS stays inside the root). An FS that
	//     cannot Stat (fs.StatFS) is stat'ed by opening the file: for a
	//     bucket, a read request.
	//
	// A file that Open returns as an *os.File (os.DirFS) is sent with
	// sendfile, as a file of Directory is.
	FS fs.FS
	// ExtraResponseHeaders are sent, in order and duplicates included, on
	// the 200 responses (files and listings, GET and HEAD) and, unlike
	// Python, which has no 206, on the 206 responses to Range, after the
	// standard headers; one whose name was already sent by the standard
	// path (Server, Date, Content-type, Content-Range, Content-Length,
	// Last-Modified, ETag, Accept-Ranges) is skipped. They go through
	// SendHeader, so an extra "Connection: close" closes the connection.
	// Python's extra_response_headers (3.15).
	ExtraResponseHeaders []HeaderField
	// ExtensionsMap maps a file extension (".gz") to a Content-type and
	// is consulted before the MIME database, first with the extension as
	// written, then lower-cased. Nil means Python's default, which
	// DefaultExtensionsMap returns; a non-nil map replaces it entirely, as
	// overriding the class attribute extensions_map does.
	ExtensionsMap map[string]string
	// DefaultContentType is the Content-type of files whose type is not
	// known; "" means "application/octet-stream". Python's
	// default_content_type (3.15).
	DefaultContentType string
	// IndexPages are the file names that serve a directory in place of its
	// listing, the first regular file found winning; nil means
	// "index.html", "index.htm", and an empty non-nil slice means none.
	// Python's index_pages.
	IndexPages []string
	// StayInDirectory, when true, confines every file-system access of a
	// request to Directory: the directory check, the index pages, the
	// file, the listing and the type of its entries all go through an
	// os.Root opened on Directory (once per connection, closed by
	// Finish). A symbolic link that leads outside Directory, or any
	// absolute one, then acts as a broken link: 404 "File not found"
	// (its listing entry shows "name@" linking to "name"). A path that
	// TranslatePath, overridden, puts outside Directory gets the same 404,
	// and ListDirectory of such a path 404 "No permission to list
	// directory". A path that leaves Directory and comes back into it
	// through links is refused too, and one path may pass through at
	// most 8 links (os.Root's limit; the kernel allows 40). The zero
	// value follows symbolic links anywhere, as Python does (its
	// documented caveat: a link in the tree can serve any file the
	// process can read). Hard links and bind mounts are not detected.
	StayInDirectory bool
	// FilesAsCPython, when true, serves files exactly as Python's handler:
	// no ETag or Accept-Ranges header, and Range, If-Range, If-Match,
	// If-None-Match (but for its effect on If-Modified-Since) and
	// If-Unmodified-Since are ignored. The zero value answers them as
	// RFC 9110 says (see SendHead); a request without them then gets
	// Python's response with ETag (and on a 200, Accept-Ranges) added.
	FilesAsCPython bool

	// Owned by the connection's goroutine.
	root    *os.Root // on rootDir, for StayInDirectory
	rootDir string
	files   *fileState // nil until a file is served, and while the connection waits idle
}

// fileState is what SimpleHandler keeps from one file response to the
// next. It is apart from the handler, which every open connection holds,
// so that an idle connection drops it whole (releaseIdle) and costs the
// handler's memory alone.
type fileState struct {
	kept   openFile    // the file opened last, kept open (openfile.go)
	body   fileBody    // the body of the file being sent
	ranges []byteRange // the ranges being sent
	etag   []byte      // the ETag being sent
}

// fileState returns the handler's fileState, made on first use.
func (h *SimpleHandler) fileState() *fileState {
	if h.files == nil {
		h.files = new(fileState)
	}
	return h.files
}

// dropFiles closes the kept file and forgets the fileState.
func (h *SimpleHandler) dropFiles() {
	if h.files != nil {
		h.files.kept.close()
		h.files = nil
	}
}

// simpleHooks are the SimpleHandler methods a Python subclass overrides;
// SimpleHandler reaches them only through self.
type simpleHooks interface {
	SendHead() io.ReadCloser
	ListDirectory(path string) io.ReadCloser
	TranslatePath(path string) string
	GuessType(path string) string
	CopyFile(src io.Reader, dst io.Writer) error
}

// hooks returns the outermost value's SimpleHandler hooks.
func (h *SimpleHandler) hooks() simpleHooks {
	if s, ok := h.this().(simpleHooks); ok {
		return s
	}
	return h
}

// DefaultExtensionsMap returns a new copy of Python's default
// SimpleHTTPRequestHandler.extensions_map: .gz application/gzip, .Z
// application/octet-stream, .bz2 application/x-bzip2, .xz
// application/x-xz. Start from it to add to the default:
//
//	m := httpserver.DefaultExtensionsMap()
//	m[".log"] = "text/plain"
func DefaultExtensionsMap() map[string]string {
	return map[string]string{
		".gz":  "application/gzip",
		".Z":   "application/octet-stream",
		".bz2": "application/x-bzip2",
		".xz":  "application/x-xz",
	}
}

// defaultExtensionsMap is what a nil ExtensionsMap means; never modified.
var defaultExtensionsMap = DefaultExtensionsMap()

// Setup fills in the defaults that Python's constructor sets: Directory
// (the current directory) and ServerVersion ("SimpleHTTP"), then runs
// BaseHandler.Setup. An override must call h.SimpleHandler.Setup().
func (h *SimpleHandler) Setup() {
	if h.Directory == "" {
		if wd, err := os.Getwd(); err == nil {
			h.Directory = wd
		}
	}
	if h.ServerVersion == "" {
		h.ServerVersion = "SimpleHTTP"
	}
	h.BaseHandler.Setup()
}

// Finish closes the os.Root that StayInDirectory opened and the file the
// connection kept open, then runs BaseHandler.Finish. An override must
// call h.SimpleHandler.Finish().
func (h *SimpleHandler) Finish() {
	h.closeRoot()
	h.dropFiles()
	h.BaseHandler.Finish()
}

// releaseIdle closes the kept file while the connection waits idle, and
// drops what the last response left: an idle connection holds no
// descriptor or mapping but its socket, and little memory.
func (h *SimpleHandler) releaseIdle() {
	h.dropFiles()
}

var _ idleReleaser = (*SimpleHandler)(nil)

// DoGET serves a GET request, as do_GET: SendHead, then CopyFile of the
// body it returns to Wfile.
//
// If CopyFile fails the connection is closed; an error other than the
// connection's own (a failed read of the file) is reported through the
// server's HandleError, as Python reports the exception.
func (h *SimpleHandler) DoGET() {
	hooks := h.hooks()
	f := hooks.SendHead()
	if f == nil {
		return
	}
	defer f.Close()
	if err := hooks.CopyFile(f, h.Wfile); err != nil {
		h.CloseConnection = true
		h.c.fail(err)
	} else if pb, ok := f.(partialBody); ok && pb.unsent() > 0 {
		// Fewer bytes went out than Content-Length promised: the file
		// shrank under the sender. Only a close tells the client.
		h.CloseConnection = true
		h.this().LogError("File shrank while being sent: %d bytes short; closing the connection", pb.unsent())
	}
}

// DoHEAD serves a HEAD request, as do_HEAD: SendHead, and the body it
// returns is closed unsent.
func (h *SimpleHandler) DoHEAD() {
	if f := h.hooks().SendHead(); f != nil {
		f.Close()
	}
}

// SendHead sends the status line and headers for a GET or HEAD of Path
// and returns the body to send, or nil when the response is complete
// (errors, redirects, 304). It mirrors send_head:
//   - A directory whose path does not end with "/" gets 301 with the
//     Location of the same URL plus "/" (query and fragment kept, and the
//     path still percent-encoded as sent) and Content-Length: 0. Unlike
//     Python's, the Location of a target without a scheme never begins
//     with "//", and "\" and control bytes are percent-encoded in it, so
//     that it can name neither another host (browsers read "\" as "/")
//     nor break the header. Otherwise the directory's first IndexPages
//     file is served, or ListDirectory lists it.
//   - A file gets 200 with Content-type (GuessType), Content-Length,
//     Last-Modified, ETag, Accept-Ranges and ExtraResponseHeaders; or 304
//     when If-Modified-Since (ignored if If-None-Match is present) names
//     its modification time or later in UTC. Unless FilesAsCPython is
//     set, the preconditions of RFC 9110 §13.2.2 come first (412, or 304
//     for If-None-Match; see preconditions.go) and Range is answered with
//     206 or 416 (see range.go); the ETag format is in etag.go. A file of
//     FS without a modification time gets neither Last-Modified, ETag nor
//     a 304 for a date, and a file of FS that can neither seek nor read at
//     an offset (a zip entry) is sent whole, without Accept-Ranges.
//   - A path ending with "/" that is not a directory, or a file that cannot
//     be opened or is not a regular file, gets 404 "File not found".
//
// The caller must close the body.
func (h *SimpleHandler) SendHead() io.ReadCloser {
	self, hooks := h.this(), h.hooks()
	path := hooks.TranslatePath(h.Path)
	fi, err := h.stat(path)
	if err == nil && fi.IsDir() {
		u := urlsplit(h.Path)
		if !strings.HasSuffix(u.path, "/") && !strings.HasSuffix(u.path, "%2f") && !strings.HasSuffix(u.path, "%2F") {
			self.SendResponse(301)
			u.path += "/"
			self.SendHeader("Location", u.directoryLocation())
			self.SendHeader("Content-Length", "0")
			self.EndHeaders()
			return nil
		}
		index := ""
		for _, name := range h.indexPages() {
			p := joinPath(path, name)
			if pfi, err := h.stat(p); err == nil && pfi.Mode().IsRegular() {
				index, fi = p, pfi
				break
			}
		}
		if index == "" {
			return hooks.ListDirectory(path)
		}
		path = index
	}
	ctype := hooks.GuessType(path)
	if strings.HasSuffix(path, "/") {
		self.SendError(404, "File not found")
		return nil
	}
	src, fi, ok := h.openFile(path, fi) // fi is nil if the stat failed
	if !ok {
		self.SendError(404, "File not found")
		return nil
	}
	return h.fileResponse(ctype, src, fi)
}

func (h *SimpleHandler) indexPages() []string {
	if h.IndexPages == nil {
		return []string{"index.html", "index.htm"}
	}
	return h.IndexPages
}

// sendExtraResponseHeaders sends ExtraResponseHeaders, skipping those
// whose name the standard path already sent in this response, as
// _send_extra_response_headers. An HTTP/0.9 response has no headers, and
// its end is the connection's close, so none are sent, not even for their
// effect on CloseConnection (Python crashes here).
func (h *SimpleHandler) sendExtraResponseHeaders() {
	if len(h.ExtraResponseHeaders) == 0 || h.RequestVersion == "HTTP/0.9" {
		return
	}
	self := h.this()
	std := h.c.sentCount() // the headers the standard path sent
	for _, f := range h.ExtraResponseHeaders {
		if !h.c.sentHeader(f.Name, std) {
			self.SendHeader(f.Name, f.Value)
		}
	}
	h.c.forgetSent(std)
}

// pyTimestamp returns the whole second Python shows for a file time:
// st_mtime is the float sec + nsec*1e-9, and datetime.fromtimestamp rounds
// it to microseconds (half to even) before the microseconds are dropped,
// so a time within half a microsecond of the next second counts as that
// second.
func pyTimestamp(t time.Time) int64 {
	d := float64(t.Unix()) + float64(float64(t.Nanosecond())*1e-9)
	sec, frac := math.Modf(d)
	us := math.RoundToEven(frac * 1e6)
	switch {
	case us >= 1e6:
		sec++
	case us < 0:
		sec--
	}
	return int64(sec)
}

// CopyFile copies src to dst until src is exhausted, as copyfile
// (shutil.copyfileobj). Override it to transform bodies; SendHead's file
// bodies also implement io.WriterTo, which io.Copy uses to reach sendfile.
func (h *SimpleHandler) CopyFile(src io.Reader, dst io.Writer) error {
	_, err := io.Copy(dst, src)
	return err
}

// TranslatePath maps a request path to a file-system path under
// Directory (or, with FS set, to a path under FS's root: see FS), as
// translate_path: the query and fragment are cut off,
// percent-escapes decoded as UTF-8 (see below), "." and ".." segments
// resolved without ever rising above Directory, empty segments dropped,
// and a trailing "/" kept. Request bytes outside ASCII are ISO-8859-1
// characters, as Python reads the request line, so a raw byte 0xE9 names
// "é" in UTF-8.
//
// An escape sequence that is not UTF-8 makes the whole path decode with
// U+FFFD for each bad sequence, except the 3-byte form of the surrogates
// U+DC80–U+DCFF (%ED%B3%BF), which names the raw byte 0x80–0xFF, so every
// file name a listing links to can be reached. A segment holding any other
// surrogate, which no file name can hold, has a NUL byte in its place;
// SendHead answers such a path with 404.
func (h *SimpleHandler) TranslatePath(path string) string {
	path = unquotePath(cutQueryFragment(path))
	trailingSlash := strings.HasSuffix(path, "/")
	// The segments kept, as offsets into path; ".." drops the last one.
	var small [32]span
	words := small[:0]
	for i := 0; i <= len(path); {
		j := strings.IndexByte(path[i:], '/')
		if j < 0 {
			j = len(path) - i
		}
		w := path[i : i+j]
		switch {
		case w == "" || w == ".":
		case w == "..":
			if len(words) > 0 {
				words = words[:len(words)-1]
			}
		case os.PathSeparator != '/' && (filepath.Dir(w) != "." || filepath.VolumeName(w) != ""):
			// A drive or a separator of the OS's own (Windows): skipped.
		default:
			words = append(words, span{i, i + j})
		}
		i += j + 1
	}
	dir := h.Directory
	switch {
	case h.FS != nil:
		dir = fsRoot
	case dir == "":
		dir = "."
	}
	var b strings.Builder
	b.Grow(len(dir) + len(path) + 2)
	b.WriteString(dir)
	sep := len(dir) > 0 && os.IsPathSeparator(dir[len(dir)-1])
	for _, w := range words {
		name, _ := pystr.FSEncode(path[w.start:w.end])
		if filepath.IsAbs(name) {
			// os.path.join: an absolute name replaces what came before.
			b.Reset()
			sep = false
		} else if !sep {
			b.WriteByte(os.PathSeparator)
		}
		b.WriteString(name)
		sep = false
	}
	if trailingSlash {
		b.WriteByte('/')
	}
	return b.String()
}

// joinPath joins a file name to a directory as os.path.join: a name that is
// absolute replaces the directory.
func joinPath(dir, name string) string {
	switch {
	case filepath.IsAbs(name) || strings.HasPrefix(name, "/"):
		return name
	case dir == "" || os.IsPathSeparator(dir[len(dir)-1]):
		return dir + name
	}
	return dir + string(os.PathSeparator) + name
}

// GuessType returns the Content-type for the file at path, as guess_type:
// its extension (".gz" of "a.tar.gz") looked up in ExtensionsMap, as
// written and then lower-cased; then the MIME database: Python 3.15's
// table overlaid by the system's mime.types files (/etc/mime.types, ...,
// read once per process), applied as mimetypes.guess_file_type does
// (".svgz" is image/svg+xml, ".tgz" application/x-tar, ".txt.br"
// text/plain: the compression is dropped, not announced); then
// DefaultContentType.
func (h *SimpleHandler) GuessType(path string) string {
	return h.guessType(path, systemMimeDB())
}

// guessType is GuessType with the MIME database db.
func (h *SimpleHandler) guessType(path string, db *mimeDB) string {
	_, ext := splitExt(path)
	m := h.ExtensionsMap
	if m == nil {
		m = defaultExtensionsMap
	}
	if t, ok := m[ext]; ok {
		return t
	}
	if t, ok := m[pystr.Lower(ext)]; ok {
		return t
	}
	if t := db.guessFileType(path); t != "" {
		return t
	}
	if h.DefaultContentType != "" {
		return h.DefaultContentType
	}
	return "application/octet-stream"
}
