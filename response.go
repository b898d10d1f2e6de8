package httpserver

import (
	"strconv"
	"strings"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// DefaultErrorMessageFormat is the error page SendError fills in when
// BaseHandler.ErrorMessageFormat is empty. It mirrors
// http.server.DEFAULT_ERROR_MESSAGE: %(code)d, %(message)s and %(explain)s
// are replaced as Python's %-formatting with a mapping would.
const DefaultErrorMessageFormat = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <style type="text/css">
            :root {
                color-scheme: light dark;
            }
        </style>
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
`

// DefaultErrorContentType is the Content-Type of error pages when
// BaseHandler.ErrorContentType is empty. It mirrors
// http.server.DEFAULT_ERROR_CONTENT_TYPE (no space before charset).
const DefaultErrorContentType = "text/html;charset=utf-8"

// statusInfo is one row of Python's BaseHTTPRequestHandler.responses.
type statusInfo struct {
	phrase, explain string
}

// statusTable holds the reason phrases and descriptions of CPython 3.15's
// http.HTTPStatus, indexed by code.
var statusTable = [...]statusInfo{
	100: {"Continue", "Request received, please continue"},
	101: {"Switching Protocols", "Switching to new protocol; obey Upgrade header"},
	102: {"Processing", "Server is processing the request"},
	103: {"Early Hints", "Headers sent to prepare for the response"},
	200: {"OK", "Request fulfilled, document follows"},
	201: {"Created", "Document created, URL follows"},
	202: {"Accepted", "Request accepted, processing continues off-line"},
	203: {"Non-Authoritative Information", "Request fulfilled from cache"},
	204: {"No Content", "Request fulfilled, nothing follows"},
	205: {"Reset Content", "Clear input form for further input"},
	206: {"Partial Content", "Partial content follows"},
	207: {"Multi-Status", "Response contains multiple statuses in the body"},
	208: {"Already Reported", "Operation has already been reported"},
	226: {"IM Used", "Request completed using instance manipulations"},
	300: {"Multiple Choices", "Object has several resources -- see URI list"},
	301: {"Moved Permanently", "Object moved permanently -- see URI list"},
	302: {"Found", "Object moved temporarily -- see URI list"},
	303: {"See Other", "Object moved -- see Method and URL list"},
	304: {"Not Modified", "Document has not changed since given time"},
	305: {"Use Proxy", "You must use proxy specified in Location to access this resource"},
	307: {"Temporary Redirect", "Object moved temporarily -- see URI list"},
	308: {"Permanent Redirect", "Object moved permanently -- see URI list"},
	400: {"Bad Request", "Bad request syntax or unsupported method"},
	401: {"Unauthorized", "No permission -- see authorization schemes"},
	402: {"Payment Required", "No payment -- see charging schemes"},
	403: {"Forbidden", "Request forbidden -- authorization will not help"},
	404: {"Not Found", "Nothing matches the given URI"},
	405: {"Method Not Allowed", "Specified method is invalid for this resource"},
	406: {"Not Acceptable", "URI not available in preferred format"},
	407: {"Proxy Authentication Required", "You must authenticate with this proxy before proceeding"},
	408: {"Request Timeout", "Request timed out; try again later"},
	409: {"Conflict", "Request conflict"},
	410: {"Gone", "URI no longer exists and has been permanently removed"},
	411: {"Length Required", "Client must specify Content-Length"},
	412: {"Precondition Failed", "Precondition in headers is false"},
	413: {"Content Too Large", "Content is too large"},
	414: {"URI Too Long", "URI is too long"},
	415: {"Unsupported Media Type", "Entity body in unsupported format"},
	416: {"Range Not Satisfiable", "Cannot satisfy request range"},
	417: {"Expectation Failed", "Expect condition could not be satisfied"},
	418: {"I'm a Teapot", "Server refuses to brew coffee because it is a teapot"},
	421: {"Misdirected Request", "Server is not able to produce a response"},
	422: {"Unprocessable Content", "Server is not able to process the contained instructions"},
	423: {"Locked", "Resource of a method is locked"},
	424: {"Failed Dependency", "Dependent action of the request failed"},
	425: {"Too Early", "Server refuses to process a request that might be replayed"},
	426: {"Upgrade Required", "Server refuses to perform the request using the current protocol"},
	428: {"Precondition Required", "The origin server requires the request to be conditional"},
	429: {"Too Many Requests", "The user has sent too many requests in a given amount of time (\"rate limiting\")"},
	431: {"Request Header Fields Too Large", "The server is unwilling to process the request because its header fields are too large"},
	451: {"Unavailable For Legal Reasons", "The server is denying access to the resource as a consequence of a legal demand"},
	500: {"Internal Server Error", "Server got itself in trouble"},
	501: {"Not Implemented", "Server does not support this operation"},
	502: {"Bad Gateway", "Invalid responses from another server/proxy"},
	503: {"Service Unavailable", "The server cannot process the request due to a high load"},
	504: {"Gateway Timeout", "The gateway server did not receive a timely response"},
	505: {"HTTP Version Not Supported", "Cannot fulfill request"},
	506: {"Variant Also Negotiates", "Server has an internal configuration error"},
	507: {"Insufficient Storage", "Server is not able to store the representation"},
	508: {"Loop Detected", "Server encountered an infinite loop while processing a request"},
	510: {"Not Extended", "Request does not meet the resource access policy"},
	511: {"Network Authentication Required", "The client needs to authenticate to gain network access"},
}

func lookupStatus(code int) (statusInfo, bool) {
	if code < 0 || code >= len(statusTable) || statusTable[code].phrase == "" {
		return statusInfo{}, false
	}
	return statusTable[code], true
}

// StatusPhrase returns the reason phrase CPython 3.15's http.HTTPStatus
// gives code ("Not Found" for 404), or "" for a code it does not know.
// SendResponse uses it when no message is given.
func StatusPhrase(code int) string {
	info, _ := lookupStatus(code)
	return info.phrase
}

// StatusExplanation returns the description CPython 3.15's http.HTTPStatus
// gives code ("Nothing matches the given URI" for 404), or "" for a code it
// does not know. SendError uses it as the default explanation.
func StatusExplanation(code int) string {
	info, _ := lookupStatus(code)
	return info.explain
}

// formatErrorPage fills a Python %-format string that takes a mapping, as
// error_message_format % {'code': ..., 'message': ..., 'explain': ...}.
// It knows the keys code, message and explain and the conversions s, r, d
// and i; "%%" is a literal percent sign. Anything it does not understand is
// copied unchanged (Python would raise instead). message and explain are
// request text, bytes Python reads as ISO-8859-1: %(message)r is the repr
// of that text, and both go into the page as UTF-8 (see pystr.ToUTF8).
func formatErrorPage(format string, code int, message, explain string) string {
	var out strings.Builder
	out.Grow(len(format) + len(message) + len(explain) + 8)
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 || i+1 >= len(format) {
			out.WriteString(format)
			return out.String()
		}
		out.WriteString(format[:i])
		rest := format[i+1:]
		if rest[0] == '%' {
			out.WriteByte('%')
			format = rest[1:]
			continue
		}
		key, conv, n, ok := parseMappingSpec(rest)
		if !ok {
			out.WriteByte('%')
			format = rest
			continue
		}
		switch key {
		case "code":
			if conv == 'r' || conv == 's' || conv == 'd' || conv == 'i' {
				out.WriteString(strconv.Itoa(code))
			}
		case "message", "explain":
			v := message
			if key == "explain" {
				v = explain
			}
			if conv == 'r' {
				v = pystr.Repr(v)
			}
			out.WriteString(pystr.ToUTF8(v))
		default:
			out.WriteString(format[i : i+1+n])
		}
		format = rest[n:]
	}
}

// parseMappingSpec parses "(key)flagsConv" at the start of s, returning the
// key, the conversion character and the length consumed.
func parseMappingSpec(s string) (key string, conv byte, n int, ok bool) {
	if s == "" || s[0] != '(' {
		return "", 0, 0, false
	}
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return "", 0, 0, false
	}
	key = s[1:end]
	j := end + 1
	for j < len(s) && strings.IndexByte("-+ #0123456789.", s[j]) >= 0 {
		j++
	}
	if j >= len(s) || strings.IndexByte("srdi", s[j]) < 0 {
		return "", 0, 0, false
	}
	return key, s[j], j + 1, true
}

// escapeHTML replaces &, < and > as Python's html.escape(s, quote=False).
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
