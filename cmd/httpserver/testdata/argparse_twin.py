# The argparse twin of the command line: Python's argparse with the same
# add_argument calls as cmd/httpserver (Python's options and ours).
#   python3 argparse_twin.py help httpserver | usage server.py | vectors
# prints the help, the usage, or the parse of the vectors that
# TestLimitOptionsMatchArgparse compares with.
import argparse, sys, os
def seconds(v):
    f = float(v)
    if f < 0: raise ValueError
    return f
def count(v):
    n = int(v)
    if n < 0: raise ValueError
    return n

def parser(prog):
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument('-b', '--bind', metavar='ADDRESS', help='bind to this address (default: all interfaces)')
    p.add_argument('-d', '--directory', default='', help='serve this directory (default: current directory)')
    p.add_argument('-p', '--protocol', metavar='VERSION', default='', help='conform to this HTTP version (default: HTTP/1.0)')
    p.add_argument('--content-type', default='', help='default content type for unknown extensions (default: application/octet-stream)')
    p.add_argument('--tls-cert', metavar='PATH', help='path to the TLS certificate chain file')
    p.add_argument('--tls-key', metavar='PATH', help='path to the TLS key file')
    p.add_argument('--tls-password-file', metavar='PATH', help='path to the password file for the TLS key')
    p.add_argument('port', default=8000, type=int, nargs='?', help='bind to this port (default: 8000)')
    p.add_argument('-H', '--header', nargs=2, action='append', metavar=('HEADER', 'VALUE'), help='Add a custom response header (can be specified multiple times)')
    p.add_argument('--read-header-timeout', metavar='SECONDS', type=seconds, default=10, help='close a connection whose request line and headers take longer (default: 10; 0: never)')
    p.add_argument('--read-body-timeout', metavar='SECONDS', type=seconds, default=60, help='close a connection whose request body stalls: reading it may wait this long for each 64 KiB (default: 60; 0: never)')
    p.add_argument('--idle-timeout', metavar='SECONDS', type=seconds, default=60, help='close a kept-alive connection idle this long (default: 60; 0: never)')
    p.add_argument('--write-timeout', metavar='SECONDS', type=seconds, default=60, help='close a connection whose client reads nothing for this long (default: 60; 0: never)')
    p.add_argument('--max-header-bytes', metavar='N', type=count, default=1048576, help='largest request line and headers together (default: 1048576; 0: no limit)')
    p.add_argument('--max-connections', metavar='N', type=count, default=1024, help='most connections served at once; idle kept-alive ones make way for new clients, others wait (default: 1024; 0: no limit)')
    p.add_argument('--overload-retry-after', metavar='SECONDS', type=seconds, default=0, help='answer clients beyond --max-connections at once with 503 and this Retry-After, instead of letting them wait (default: 0: they wait)')
    p.add_argument('--max-method-length', metavar='N', type=count, default=32, help='longest request method (default: 32; 0: no limit)')
    p.add_argument('--no-host-check', action='store_true', help='accept HTTP/1.1 requests without exactly one valid Host header, as Python does')
    p.add_argument('--stay-in-directory', action='store_true', help='refuse paths whose symbolic links lead outside the served directory')
    p.add_argument('--files-as-cpython', action='store_true', help='serve files exactly as Python does: no Range, ETag or Accept-Ranges, and no conditional requests but If-Modified-Since')
    p.add_argument('--upload', action='store_true', help="accept uploads: PUT to a file's URL, or POST a form to a directory's (listings get an upload form)")
    p.add_argument('--auth-file', metavar='FILE', help='require HTTP Basic authentication for every request, by the users of this htpasswd file (bcrypt: htpasswd -B)')
    p.add_argument('--max-upload-size', metavar='BYTES', help='largest upload, in bytes, or with a K, M, G or T suffix (default: 0: no limit)')
    p.add_argument('--allow-overwrite', action='store_true', help='let uploads replace existing files')
    return p
mode = sys.argv[1]
if mode == 'help':
    os.environ['COLUMNS'] = '80'
    parser(sys.argv[2]).print_help()
elif mode == 'usage':
    os.environ['COLUMNS'] = '80'
    parser(sys.argv[2]).print_usage()
else:
    vectors = [
        ['--read-body-timeout', '5'], ['--read-b', '5'], ['--read-h', '2'], ['--read', '5'], ['--r', '5'],
        ['--overload-retry-after', '2'], ['--o', '1.5'], ['--over=3'], ['--overload-retry-after'],
        ['--overload-retry-after', 'x'], ['--b', 'x'], ['--bi', 'x', '--o', '2'], ['--max-c', '10'],
        ['--max', '10'], ['--i', '7', '--w', '8'], ['--d', 'dir', '--p', 'HTTP/1.1', '--o', '0'],
        ['--read-body-timeout=0.25', '--overload-retry-after=0', '8080'],
    ]
    for v in vectors:
        import io, contextlib
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                a = parser('server.py').parse_args(v)
            print(repr(v), '=>', "bind=%r dir=%r port=%d rht=%g rbt=%g idle=%g wt=%g mc=%d ora=%g" % (a.bind or '', a.directory, a.port, a.read_header_timeout, a.read_body_timeout, a.idle_timeout, a.write_timeout, a.max_connections, a.overload_retry_after))
        except SystemExit:
            print(repr(v), '=>', 'error: ' + err.getvalue().strip().splitlines()[-1].split('error: ',1)[1])
