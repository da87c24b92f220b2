package s3store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/cvetl/cvetl/pipeline"
)

// Why ReadObject could not return an object's bytes; an error that is neither is a
// transient failure (the server unreachable after the client's retries).
var (
	ErrObjectMissing  = errors.New("object not found")
	ErrObjectTooLarge = errors.New("object larger than the limit")
)

// SplitURL splits s3://bucket/key into its bucket and key. Unlike ParseURL it names
// one object, so the key must not be empty or end with "/".
func SplitURL(s string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, key, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" || key == "" || strings.HasSuffix(key, "/") {
		// Not quoted: an object URL holds a key, which may hold a person's name.
		return "", "", errors.New("not an s3://bucket/key object URL")
	}
	return bucket, key, nil
}

// ReadObject reads the whole object at an s3:// URL as ingest reads it (Source.Open:
// the same client and retries, a read broken mid-object resumed), holding at most
// maxBytes: a larger object is ErrObjectTooLarge without reading the rest. A missing
// key or bucket is ErrObjectMissing. Errors never hold the key.
func ReadObject(ctx context.Context, c *s3.Client, url string, maxBytes int64) ([]byte, error) {
	bucket, key, err := SplitURL(url)
	if err != nil {
		return nil, err
	}
	src := &Source{Client: c, Loc: Location{Bucket: bucket}}
	rc, err := src.Open(ctx, pipeline.Item{Key: key})
	if err != nil {
		return nil, classify(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxBytes+1))
	if err != nil {
		return nil, classify(err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w (%d bytes)", ErrObjectTooLarge, maxBytes)
	}
	return data, nil
}

// classify marks a missing key or bucket; other failures (denied access, bad
// credentials, the server unreachable) are returned as they are.
func classify(err error) error {
	var api smithy.APIError
	if notFound(err) || errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket" {
		return fmt.Errorf("%w: %v", ErrObjectMissing, err)
	}
	return err
}
