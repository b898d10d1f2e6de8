// Command bucket serves a gocloud.dev blob bucket as python -m http.server
// serves a directory: a SimpleHandler whose FS is the bucket, with index
// pages, listings (a bucket's "directories" are its key prefixes up to a
// "/") and the redirects to a directory's URL.
//
//	go run . -addr 127.0.0.1:8000 file:///srv/www
//	go run . s3://my-bucket?region=eu-west-1
//	go run . gs://my-bucket
//
// The bucket URL's scheme picks the driver: file:// (a directory, through
// fileblob), mem:// (an empty bucket in memory), s3:// and gs:// (with
// the usual AWS and Google Cloud credentials of the environment). Blank-
// import another gocloud.dev/blob driver (azureblob, ...) to add its
// scheme.
//
// It lives in its own module so that the httpserver module does not
// depend on gocloud.dev and the cloud SDKs it brings.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/httpserver-go/httpserver"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bucket:", err)
		os.Exit(1)
	}
}

// run opens the bucket that args name and serves it until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("bucket", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8000", "address to listen on (port 0 picks a free port)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: bucket [-addr host:port] BUCKET-URL")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return fmt.Errorf("want one bucket URL, got %d arguments", flags.NArg())
	}
	bucket, err := blob.OpenBucket(ctx, flags.Arg(0))
	if err != nil {
		return err
	}
	defer bucket.Close()
	return serve(ctx, bucket, *addr, stdout, stderr)
}

// serve serves bucket on addr until ctx ends; it prints where it listens
// on stdout and logs each request on stderr.
func serve(ctx context.Context, bucket *blob.Bucket, addr string, stdout, stderr io.Writer) error {
	srv, err := httpserver.NewThreadingHTTPServer(addr, func() httpserver.Handler {
		return &httpserver.SimpleHandler{
			BaseHandler: httpserver.BaseHandler{ProtocolVersion: "HTTP/1.1"},
			FS:          bucket,
		}
	})
	if err != nil {
		return err
	}
	srv.Stderr = stderr
	host, _, _ := net.SplitHostPort(srv.ServerAddress.String())
	fmt.Fprintf(stdout, "Serving HTTP on %s port %d (http://%s/) ...\n", host, srv.ServerPort, srv.ServerAddress)
	go func() {
		<-ctx.Done()
		srv.Shutdown()
	}()
	if err := srv.ServeForever(); err != nil && err != httpserver.ErrServerClosed {
		srv.ServerClose()
		return err
	}
	return srv.ServerClose()
}
