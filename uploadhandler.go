package httpserver

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// UploadHandler is a SimpleHandler that also receives files, so that
// files can move to the machine that serves them as easily as from it:
//
//   - PUT stores the request's body as a file: PUT /dir/name (curl -T
//     file http://host:8000/dir/name) stores it as name in the existing
//     directory dir. The body may have a Content-Length or be chunked.
//     The answer is 201 Created, or 204 No Content when the upload
//     replaced a file (AllowOverwrite).
//   - POST of a multipart/form-data body to a directory's URL stores each
//     file of the form field "files" in that directory, under the base
//     name of its filename (several files per request); POST /upload
//     stores into Directory itself, as uploadserver does, so that curl -F
//     files=@a.txt http://host:8000/upload works unchanged. A browser's
//     form (the request accepts text/html) is sent back to the listing
//     with 303 See Other; any other client gets 201 Created (200 OK when
//     every file replaced one) and a text/plain line per file stored.
//   - Directory listings carry an upload form (several files, works
//     without JavaScript; with it, a progress bar shows the bytes sent and
//     the percent). Listings of a plain SimpleHandler stay as Python's.
//
// What an upload cannot do:
//   - Choose a bad name: the name (the PUT path's last segment, decoded,
//     or the multipart filename after its last "/") must be one plain
//     file name that every common file system can hold. Empty names, "."
//     and "..", names with "/", "\", NUL or other control characters,
//     names that are not UTF-8 or longer than 255 bytes, and names
//     Windows cannot hold (< > : " | ? *, a trailing space or dot, CON,
//     NUL, COM1, LPT1, ... with any extension) get 400 Bad Request before
//     anything is written.
//   - Write outside Directory: every file-system access of an upload goes
//     through an os.Root on Directory, so a symbolic link in the tree
//     that leads outside it gets 403, whatever StayInDirectory says.
//   - Leave a partial file: the body goes to a temporary file beside the
//     final name (created with O_EXCL, left out of listings), which is
//     fsynced and given its name only when complete. A client that
//     disconnects, a body that breaks its framing, the size limit and a
//     full disk (507 Insufficient Storage) leave no file and no temporary
//     behind; a multipart request stores all of its files or none.
//   - Overwrite, unless AllowOverwrite: an existing name gets 409
//     Conflict and stays as it was. Of concurrent uploads of one new name
//     exactly one wins (the file then holds exactly that client's bytes)
//     and the others get 409: the name is taken with link(2), which fails
//     if it exists, never by a check followed by a rename.
//   - Exceed MaxUploadSize: 413 Content Too Large, before the body is
//     read when its Content-Length says so, else as soon as it grows past
//     the limit. A PUT or POST without Content-Length or chunked framing
//     gets 411 Length Required.
//   - Come from another site: a request that a browser marks as sent by a
//     page of another origin (Sec-Fetch-Site, or an Origin that does not
//     match Host) gets 403, so a web page cannot make its visitor's
//     browser upload to a server on their machine or network. Clients
//     that send neither header (curl, scripts) are not affected.
//   - Hold memory: bodies are streamed to disk in fixed-size pieces
//     whatever their size.
//
// Anyone who can reach the server can upload to it: on a network, put
// a BasicAuth in front of it (see BasicAuth) and serve over HTTPS.
//
// Extend it by embedding, and override UploadPath (where a file goes) or
// AllowUpload (whether it may be stored): UploadHandler calls both through
// the outermost value, as SimpleHandler calls its hooks. Override
// ListDirectory to change or drop the form. UploadHandler's
// HandleExpect100 refuses, before the client sends the body, what the
// headers already rule out (cross-site, size).
type UploadHandler struct {
	SimpleHandler

	// MaxUploadSize is the most bytes of request body one upload may
	// send (a multipart body counts whole, its framing included); 0 means
	// no limit.
	MaxUploadSize int64
	// AllowOverwrite lets an upload replace an existing file: readers
	// see the old file or the new one, whole. When false, an upload to an
	// existing name gets 409 Conflict.
	AllowOverwrite bool
}

// uploadHooks are the UploadHandler methods an embedding type overrides;
// UploadHandler reaches them only through self.
type uploadHooks interface {
	UploadPath(dir, name string) string
	AllowUpload(path string) bool
}

var _ uploadHooks = (*UploadHandler)(nil)

// uploadHooks returns the outermost value's UploadHandler hooks.
func (h *UploadHandler) uploadHooks() uploadHooks {
	if u, ok := h.this().(uploadHooks); ok {
		return u
	}
	return h
}

// UploadPath returns the file-system path where an uploaded file goes:
// dir is the directory the request named (a file-system path, as
// TranslatePath makes it) and name the file's name as the client gave it,
// already checked (see UploadHandler). The default is dir/name. Override
// it to put files elsewhere or rename them; "" refuses the file (403).
// The path must lie in Directory, and its directory must exist.
func (h *UploadHandler) UploadPath(dir, name string) string {
	return filepath.Join(dir, name)
}

// AllowUpload reports whether the file at path (as UploadPath returned
// it) may be stored; false answers 403 Forbidden. It is called before any
// of the file is read. The default allows every upload. Override it to
// check the client (h.ClientAddress, h.Headers) or the name.
func (h *UploadHandler) AllowUpload(path string) bool { return true }

// ListDirectory lists the directory as SimpleHandler does, with the
// upload form below the heading, and without the temporary files of
// uploads in progress.
func (h *UploadHandler) ListDirectory(path string) io.ReadCloser {
	return h.listDirectory(path, uploadForm, isTempName)
}

// HandleExpect100 refuses a PUT or POST that its headers rule out (see
// admit) before the client sends its body, and otherwise sends 100
// Continue as BaseHandler's does.
func (h *UploadHandler) HandleExpect100() bool {
	if (h.Command == "PUT" || h.Command == "POST") && !h.admit() {
		return false
	}
	return h.SimpleHandler.HandleExpect100()
}

// DoPUT stores the request's body as the file the path names; see
// UploadHandler.
func (h *UploadHandler) DoPUT() {
	if !h.admit() {
		return
	}
	u := upload{h: h}
	target := cutQueryFragment(h.Path)
	slash := strings.LastIndexByte(target, '/')
	segment := target[slash+1:]
	var file *uploadFile
	var err error
	if name, ok := pystr.Unquote(segment, false); ok {
		file, err = u.prepare(h.translateDir(target[:slash+1]), name)
	} else {
		err = badName(segment, "not UTF-8")
	}
	if err == nil {
		body := h.uploadBody()
		err = u.receive(file, body, body)
	}
	if !u.finish(err) {
		return
	}
	if !file.created {
		h.this().SendResponse(204)
		h.this().EndHeaders()
		return
	}
	h.sendStored(201, u.files)
}

// DoPOST stores the files of a multipart/form-data body in the directory
// the path names, or in Directory for POST /upload; see UploadHandler.
func (h *UploadHandler) DoPOST() {
	if !h.admit() {
		return
	}
	u := upload{h: h}
	loc := urlsplit(h.Path)
	loc.query, loc.fragment = "", ""
	target := cutQueryFragment(h.Path)
	if target == "/upload" {
		target, loc.path = "/", "/"
	} else if !strings.HasSuffix(loc.path, "/") {
		loc.path += "/"
	}
	if !u.finish(u.receiveForm(h.translateDir(target))) {
		return
	}
	self := h.this()
	if strings.Contains(h.Headers.Get("Accept"), "text/html") {
		self.SendResponse(303)
		self.SendHeader("Location", loc.directoryLocation())
		self.SendHeader("Content-Length", "0")
		self.EndHeaders()
		return
	}
	code := 200
	for _, f := range u.files {
		if f.created {
			code = 201
		}
	}
	h.sendStored(code, u.files)
}

// admit refuses, before any of the body is read, an upload its headers
// rule out: one a browser sent for a page of another site (403), one
// without Content-Length or chunked framing (411), one whose
// Content-Length is over MaxUploadSize (413). It reports whether the
// upload may go on.
func (h *UploadHandler) admit() bool {
	self := h.this()
	switch {
	case crossSite(&h.Headers):
		self.SendError(403, "Cross-site upload refused",
			"A page of another site asked the browser to send this upload")
	case !h.c.hasBody():
		self.SendError(411)
	case h.MaxUploadSize > 0 && h.c.declaredLength() > h.MaxUploadSize:
		self.SendError(413, StatusPhrase(413), "The upload is larger than "+strconv.FormatInt(h.MaxUploadSize, 10)+" bytes")
	default:
		return true
	}
	return false
}

// translateDir returns the file-system path of a URL path that names a
// directory: TranslatePath's, without a trailing separator.
func (h *UploadHandler) translateDir(urlPath string) string {
	return filepath.Clean(h.hooks().TranslatePath(urlPath))
}

// uploadBody returns the request's Body, limited to MaxUploadSize.
func (h *UploadHandler) uploadBody() *uploadBody {
	return &uploadBody{r: h.Body, max: h.MaxUploadSize}
}

// sendStored answers a successful upload with code and a line per file.
func (h *UploadHandler) sendStored(code int, files []*uploadFile) {
	var body []byte
	for _, f := range files {
		if f.created {
			body = append(body, "created "...)
		} else {
			body = append(body, "replaced "...)
		}
		body = append(body, f.name...)
		body = append(body, " ("...)
		body = strconv.AppendInt(body, f.staged.size, 10)
		body = append(body, " bytes)\n"...)
	}
	self := h.this()
	self.SendResponse(code)
	self.SendHeader("Content-Type", "text/plain; charset=utf-8")
	self.SendHeader("Content-Length", strconv.Itoa(len(body)))
	self.EndHeaders()
	h.Wfile.Write(body)
}

// refuseUpload answers a failed upload with the status its error calls
// for; an error of the file system that is not the client's doing is
// logged.
func (h *UploadHandler) refuseUpload(err error) {
	self := h.this()
	var r *uploadRefusal
	switch {
	case errors.As(err, &r):
		self.SendError(r.code, r.text...)
	case errors.Is(err, errUploadExists):
		self.SendError(409, "File exists", "A file or directory of that name exists")
	case errors.Is(err, errNoStorage):
		self.SendError(507)
	default:
		self.LogError("upload failed: %v", err)
		self.SendError(500, "Cannot store the file")
	}
}

// uploadRefusal is an upload refused with a status of its own; text is
// SendError's message and explanation.
type uploadRefusal struct {
	code int
	text []string
}

func (r *uploadRefusal) Error() string {
	return strconv.Itoa(r.code) + " " + strings.Join(r.text, ": ")
}

func uploadRefused(code int, text ...string) error { return &uploadRefusal{code, text} }

// badName is the refusal of a file name, for the reason why.
func badName(name, why string) error {
	return uploadRefused(400, "Bad file name ("+pystr.Repr(name)+")", "The name is refused: "+why)
}

// upload is one request's files on their way into place.
type upload struct {
	h     *UploadHandler
	root  *os.Root
	files []*uploadFile
}

// uploadFile is one file of an upload.
type uploadFile struct {
	name    string // its name, as the response reports it
	rel     string // its path relative to Directory
	staged  *stagedFile
	created bool // placed under a new name, not over a file
}

// prepare checks the name, asks the hooks where the file named name goes
// in the directory dir and whether it may, checks that its directory
// exists (and, without AllowOverwrite, that the name is free, to spare the
// client a body that would be refused), and adds it to the upload.
func (u *upload) prepare(dir, name string) (*uploadFile, error) {
	if why := uploadNameProblem(name); why != "" {
		return nil, badName(name, why)
	}
	hooks := u.h.uploadHooks()
	path := hooks.UploadPath(dir, name)
	if path == "" || !hooks.AllowUpload(path) {
		return nil, uploadRefused(403, "Upload not allowed")
	}
	if why := uploadNameProblem(filepath.Base(path)); why != "" {
		return nil, uploadRefused(403, "Upload not allowed", "The name is refused: "+why)
	}
	if err := u.directory(filepath.Dir(path)); err != nil {
		return nil, err
	}
	rel, err := u.relative(path)
	if err != nil {
		return nil, err
	}
	if !u.h.AllowOverwrite {
		if _, err := u.root.Lstat(rel); err == nil {
			return nil, errUploadExists
		}
	}
	f := &uploadFile{name: filepath.Base(rel), rel: rel}
	u.files = append(u.files, f)
	return f, nil
}

// relative returns the file-system path as a path relative to Directory,
// and sets u.root to the os.Root on Directory that every access of the
// upload goes through: 403 when the path is not under Directory.
func (u *upload) relative(path string) (string, error) {
	root, rel, err := u.h.inRoot(path)
	switch {
	case errors.Is(err, errOutsideDirectory):
		return "", uploadRefused(403, "Upload outside the served directory")
	case err != nil:
		return "", err
	}
	u.root = root
	return rel, nil
}

// directory checks that the file-system path dir is a directory that
// the os.Root on Directory reaches: 404 when there is none, 403 when only
// a symbolic link that leads out of Directory reaches it.
func (u *upload) directory(dir string) error {
	rel, err := u.relative(dir)
	if err != nil {
		return err
	}
	if fi, err := u.root.Stat(rel); err == nil && fi.IsDir() {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return uploadRefused(403, "Upload outside the served directory")
	}
	return uploadRefused(404, "No such directory")
}

// uploadBufPool holds the buffers uploads are copied to disk through:
// large enough that a file is written in few system calls.
var uploadBufPool = sync.Pool{New: func() any { b := make([]byte, 128<<10); return &b }}

// receive copies src into a temporary file for f; body is the request's
// body, which src reads (or is), to tell what a failed read means.
func (u *upload) receive(f *uploadFile, src io.Reader, body *uploadBody) error {
	s, err := stage(u.root, f.rel)
	if err != nil {
		return err
	}
	f.staged = s
	buf := uploadBufPool.Get().(*[]byte)
	defer uploadBufPool.Put(buf)
	readErr, writeErr := s.copyInto(src, *buf)
	switch {
	case writeErr != nil:
		return writeErr
	case readErr != nil:
		return body.failure(readErr)
	}
	return nil
}

// receiveForm reads a multipart/form-data body and stages every file of
// its field "files" for the directory dir.
func (u *upload) receiveForm(dir string) error {
	mediaType, params, err := mime.ParseMediaType(u.h.Headers.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return uploadRefused(415, StatusPhrase(415), "Expected a multipart/form-data body")
	}
	if err := u.directory(dir); err != nil {
		return err
	}
	body := u.h.uploadBody()
	form := multipart.NewReader(bufio.NewReaderSize(body, 64<<10), params["boundary"])
	for {
		part, err := form.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body.failure(err)
		}
		filename, isFile := partFileName(part)
		if part.FormName() != "files" || !isFile {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return body.failure(err)
			}
			continue
		}
		f, err := u.prepare(dir, multipartBaseName(filename))
		if err == nil {
			err = u.receive(f, part, body)
		}
		if err != nil {
			return err
		}
	}
	if len(u.files) == 0 {
		return uploadRefused(400, "No files", `The form has no files in its field "files"`)
	}
	return nil
}

// partFileName returns the filename of a form-data part and whether it
// has one; a part without it is a plain field, not a file.
func partFileName(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	name, ok := params["filename"]
	return name, ok
}

// finish places the staged files if err is nil. Otherwise, or if placing
// fails, it removes what was staged and answers the error. It reports
// whether the files are in place.
func (u *upload) finish(err error) bool {
	if err == nil {
		err = u.place()
	}
	if err == nil {
		return true
	}
	u.discard()
	u.h.refuseUpload(err)
	return false
}

// place gives every staged file its name. If one cannot have it, the
// files this upload created are removed again (unless AllowOverwrite,
// under which another upload may have replaced them meanwhile), so a
// request stores all of its files or none.
func (u *upload) place() error {
	for i, f := range u.files {
		created, err := f.staged.place(u.h.AllowOverwrite)
		if err != nil {
			for _, g := range u.files[i+1:] {
				g.staged.discard()
			}
			if !u.h.AllowOverwrite {
				for _, g := range u.files[:i] {
					u.root.Remove(g.rel)
				}
			}
			return err
		}
		f.created = created
	}
	return nil
}

// discard removes the temporary files staged so far.
func (u *upload) discard() {
	for _, f := range u.files {
		if f.staged != nil {
			f.staged.discard()
		}
	}
}

// uploadBody reads an upload's bytes: it stops with errTooLarge once
// more than max bytes came (0: no limit), and keeps the first error of
// the reader below, so that a client's failure (a disconnect, a broken
// chunked framing) can be told from the multipart parser's or the disk's.
type uploadBody struct {
	r        io.Reader
	n, max   int64
	err      error // the first error of r other than io.EOF
	tooLarge bool
}

var _ io.Reader = (*uploadBody)(nil)

// errTooLarge ends an upload's body at MaxUploadSize.
var errTooLarge = errors.New("httpserver: upload too large")

func (b *uploadBody) Read(p []byte) (int, error) {
	if b.tooLarge {
		return 0, errTooLarge
	}
	if b.max > 0 && int64(len(p)) > b.max-b.n+1 {
		p = p[:b.max-b.n+1] // one byte more than allowed shows the excess
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.max > 0 && b.n > b.max {
		b.tooLarge = true
		return 0, errTooLarge
	}
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// failure returns the refusal for a read that failed with err: 413 past
// the limit, 400 for a body that broke off or broke its framing, or for
// a multipart body that does not parse.
func (b *uploadBody) failure(err error) error {
	switch {
	case b.tooLarge:
		return uploadRefused(413, StatusPhrase(413), "The upload is larger than "+strconv.FormatInt(b.max, 10)+" bytes")
	case errors.Is(b.err, ErrMalformedBody):
		return uploadRefused(400, "Malformed chunked body")
	case b.err != nil:
		return uploadRefused(400, "Incomplete body", "The body ended before its declared end")
	}
	var r *uploadRefusal
	if errors.As(err, &r) {
		return err
	}
	return uploadRefused(400, "Malformed multipart body")
}
