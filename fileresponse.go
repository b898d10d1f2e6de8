package httpserver

import (
	"io"
	"os"
	"strconv"
	"time"
)

// fileResponse sends the headers of the response to a GET or HEAD of the
// regular file src, which fi describes and whose type is ctype, and
// returns the body to send, or nil when the response is complete (304,
// 412, 416). The body's Close closes src unless the connection keeps it
// (openfile.go).
//
// With FilesAsCPython it is Python's send_head: 304 for If-Modified-Since,
// else 200. Otherwise the preconditions (preconditions.go) and Range
// (range.go) are honoured, and every 200, 206 and 304 carries the ETag
// (etag.go); 200 and 206 say Accept-Ranges: bytes.
func (h *SimpleHandler) fileResponse(ctype string, src fileSource, fi os.FileInfo) io.ReadCloser {
	self := h.this()
	size := fi.Size()
	mtime, hasMtime := modTime(fi) // only a file of FS may have none
	st := h.fileState()
	st.body = fileBody{fileSource: src, n: size}
	body := &st.body
	if h.FilesAsCPython {
		if hasMtime && h.Headers.Has("If-Modified-Since") && !h.Headers.Has("If-None-Match") {
			if ims, ok := parseIfModifiedSince(h.Headers.Get("If-Modified-Since")); ok && mtime <= ims {
				body.Close()
				self.SendResponse(304)
				self.EndHeaders()
				return nil
			}
		}
		self.SendResponse(200)
		self.SendHeader("Content-type", ctype)
		self.SendHeader("Content-Length", strconv.FormatInt(size, 10))
		if hasMtime {
			self.SendHeader("Last-Modified", self.DateTimeString(time.Unix(mtime, 0)))
		}
		h.sendExtraResponseHeaders()
		self.EndHeaders()
		return body
	}

	// A file without a modification time has no validator: no ETag, no
	// Last-Modified, and the date preconditions do not apply.
	var etag, lastModified string
	if hasMtime {
		st.etag = appendETag(st.etag[:0], fi)
		etag = string(st.etag)
		lastModified = self.DateTimeString(time.Unix(mtime, 0))
	}
	switch h.checkPreconditions(etag, mtime, hasMtime) {
	case condFailed:
		body.Close()
		self.SendError(412)
		return nil
	case condNotModified:
		body.Close()
		self.SendResponse(304)
		if etag != "" {
			self.SendHeader("ETag", etag)
		}
		self.EndHeaders()
		return nil
	}
	var ranges []byteRange
	outcome := rangeIgnored
	if src.seekable() && h.Headers.Has("Range") {
		if vals := h.Headers.Values("Range"); len(vals) == 1 && h.ifRange(etag, lastModified, mtime, ctimeOf(fi), time.Now()) {
			ranges, outcome = parseRange(vals[0], size, st.ranges[:0])
			st.ranges = ranges[:0]
		}
	}
	switch outcome {
	case rangeUnsatisfiable:
		body.Close()
		h.sendRangeNotSatisfiable(size)
		return nil
	case rangeSatisfiable:
		ranges = coalesce(ranges, maxPartHead(ctype, size))
		if len(ranges) == 1 {
			r := ranges[0]
			body.off, body.n = r.start, r.length
			self.SendResponse(206)
			self.SendHeader("Content-type", ctype)
			self.SendHeader("Content-Range", string(appendContentRange(nil, r, size)))
			self.SendHeader("Content-Length", strconv.FormatInt(r.length, 10))
			h.sendValidators(lastModified, etag, true)
			return body
		}
		if m := newMultipart(ranges, size, ctype); m.size <= size {
			self.SendResponse(206)
			self.SendHeader("Content-type", "multipart/byteranges; boundary="+m.boundary)
			self.SendHeader("Content-Length", strconv.FormatInt(m.size, 10))
			h.sendValidators(lastModified, etag, true)
			return &multipartBody{m: m, file: fileBody{fileSource: src}}
		}
		// Larger than the whole file: the whole file it is.
	}
	self.SendResponse(200)
	self.SendHeader("Content-type", ctype)
	self.SendHeader("Content-Length", strconv.FormatInt(size, 10))
	h.sendValidators(lastModified, etag, src.seekable())
	return body
}

// sendValidators ends the headers of a 200 or 206 of a file:
// Last-Modified, ETag (each unless "": a file of FS without a
// modification time), Accept-Ranges (unless the file cannot serve Range:
// a file of FS that can neither seek nor read at an offset) and
// ExtraResponseHeaders.
func (h *SimpleHandler) sendValidators(lastModified, etag string, ranges bool) {
	self := h.this()
	if lastModified != "" {
		self.SendHeader("Last-Modified", lastModified)
	}
	if etag != "" {
		self.SendHeader("ETag", etag)
	}
	if ranges {
		self.SendHeader("Accept-Ranges", "bytes")
	}
	h.sendExtraResponseHeaders()
	self.EndHeaders()
}

// ctimeOf returns the status-change time of the file fi describes, in
// nanoseconds, or 0 where the platform does not tell.
func ctimeOf(fi os.FileInfo) int64 {
	key, _ := keyOf(fi)
	return key.ctime
}

// sendRangeNotSatisfiable answers 416 through SendError, so that the page
// and the log are Python's error page and log, with the Content-Range
// "bytes */SIZE" that RFC 9110 §15.5.17 asks for.
func (h *SimpleHandler) sendRangeNotSatisfiable(size int64) {
	h.sendErrorWith(HeaderField{"Content-Range", "bytes */" + strconv.FormatInt(size, 10)}, 416)
}
