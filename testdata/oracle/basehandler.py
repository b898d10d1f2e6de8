"""Python twin of the probe handler of the Go golden tests (basehandler_test.go).

Run by the Go tests, never by CI:

    go test -run 'TestBaseHandlerGolden|TestServerGolden' -oracle /tmp/oracle315 .

Usage: python3 -u basehandler.py ORACLE_DIR CONFIG. It serves the handler
configured as CONFIG on 127.0.0.1 at a free port, prints the port on
stdout and logs to stderr. A MARK request writes the line <<mark>> to
stderr, so the test can tell which log lines belong to which case.
Each method here must do exactly what its Go twin does.
"""
import sys

sys.path.insert(0, sys.argv[1])
import server  # noqa: E402  (the oracle's http/server.py)


class Probe(server.BaseHTTPRequestHandler):
    # A fixed Server header, so that the goldens do not depend on the
    # interpreter (the Go twin sets SysVersion to the same).
    sys_version = "Python/3.15.2"

    def do_GET(self):
        if self.path == "/404":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "13")
        self.send_header("X-Path", self.path)
        self.end_headers()
        self.wfile.write(b"Hello, world!")

    def do_SPAM(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        self.send_response(200, "Spam OK")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_SEND_ERROR(self):
        code = int(self.path[1:])
        message = self.headers.get("X-Message")
        explain = self.headers.get("X-Explain") if message is not None else None
        self.send_error(code, message, explain)

    def do_RESPOND(self):
        self.send_response(int(self.path[1:]))
        if "X-Connection" in self.headers:
            self.send_header("Connection", self.headers["X-Connection"])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_MARK(self):
        sys.stderr.write("<<mark>>\n")
        self.close_connection = True


class Expect417(Probe):
    protocol_version = "HTTP/1.1"

    def handle_expect_100(self):
        self.send_error(417)
        return False


CONFIGS = {
    "http10": (Probe, {}),
    "http11": (Probe, {"protocol_version": "HTTP/1.1"}),
    "errorpage": (Probe, {
        "error_message_format":
            '<error code="%(code)d" lit="%%">%(message)s|%(explain)s|'
            '%(code)s|%(message)r|%(explain)r</error>\n',
        "error_content_type": "application/xml",
    }),
    "default10": (Probe, {"default_request_version": "HTTP/1.0"}),
    "expect417": (Expect417, {}),
}

base, attrs = CONFIGS[sys.argv[2]]
handler = type("Handler", (base,), attrs)
srv = server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
