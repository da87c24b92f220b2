package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/pipeline"
	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// S3 is opt-in: `cvetl ingest s3://bucket/prefix` reads from object storage, and
// --archive s3://bucket/prefix (or CVETL_ARCHIVE) keeps a content-addressed copy of
// every new input. The client follows the standard AWS chain (AWS_ENDPOINT_URL_S3,
// AWS_REGION, AWS_ACCESS_KEY_ID, AWS_MAX_ATTEMPTS, shared config, IMDS…) plus
// CVETL_S3_PATH_STYLE, CVETL_S3_SSE, CVETL_S3_SSE_KMS_KEY_ID and CVETL_S3_PAGE_SIZE.

type s3Flags struct {
	archive *string
}

func addS3Flags(fs *flag.FlagSet) *s3Flags {
	return &s3Flags{
		archive: fs.String("archive", os.Getenv("CVETL_ARCHIVE"), "archive every new input under this s3://bucket/prefix, by content hash"),
	}
}

// s3Wiring is the S3 side of one ingest: the source when the input is an s3:// URL,
// the archive when one is configured. The zero value is a plain local ingest.
type s3Wiring struct {
	source  *s3store.Source
	archive *s3store.Archive
}

// errUsage marks configuration mistakes (exit 1) as opposed to failures (exit 2).
var errUsage = errors.New("usage")

func newS3Wiring(ctx context.Context, input string, f *s3Flags) (*s3Wiring, error) {
	w := &s3Wiring{}
	if !s3store.IsURL(input) && *f.archive == "" {
		return w, nil
	}
	cfg, err := s3store.ConfigFromEnv()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	var client *s3.Client
	newClient := func() (*s3.Client, error) {
		if client == nil {
			client, err = s3store.NewClient(ctx, cfg)
		}
		return client, err
	}
	if s3store.IsURL(input) {
		loc, err := s3store.ParseURL(input)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		c, err := newClient()
		if err != nil {
			return nil, err
		}
		w.source = &s3store.Source{Client: c, Loc: loc}
		if v := os.Getenv("CVETL_S3_PAGE_SIZE"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return nil, fmt.Errorf("%w: CVETL_S3_PAGE_SIZE=%q: want 1..1000", errUsage, v)
			}
			w.source.PageSize = int32(n)
		}
	}
	if *f.archive != "" {
		loc, err := s3store.ParseURL(*f.archive)
		if err != nil {
			return nil, fmt.Errorf("%w: --archive: %v", errUsage, err)
		}
		sse := os.Getenv("CVETL_S3_SSE")
		if err := s3store.ValidSSE(sse); err != nil {
			return nil, fmt.Errorf("%w: CVETL_S3_SSE: %v", errUsage, err)
		}
		c, err := newClient()
		if err != nil {
			return nil, err
		}
		w.archive = &s3store.Archive{Client: c, Loc: loc, SSE: sse, KMSKeyID: os.Getenv("CVETL_S3_SSE_KMS_KEY_ID")}
	}
	return w, nil
}

// sourceFor is the S3 source, or the folder.
func (w *s3Wiring) sourceFor(input string) pipeline.Source {
	if w.source != nil {
		return w.source
	}
	return pipeline.DirSource{Root: input}
}

// wrap puts the archive and the source-failure guard in front of the store.
func (w *s3Wiring) wrap(store pipeline.Sink) pipeline.Sink {
	if w.source == nil && w.archive == nil {
		return store
	}
	return &s3store.Sink{Sink: store, Source: w.source, Archive: w.archive}
}

// isS3 reports whether the ingest input is an s3:// URL rather than a folder.
func isS3(input string) bool { return s3store.IsURL(input) }

// s3ExitCode: a configuration mistake is a usage error, anything else a failure.
func s3ExitCode(err error) int {
	if errors.Is(err, errUsage) {
		return exitPartial
	}
	return exitFailed
}
