package s3store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Archive is a content-addressed store of raw input files:
// <prefix><sha256[:2]>/<sha256>. Writing the same content twice is a no-op, so a
// re-run after a failure archives only what is missing.
type Archive struct {
	Client *s3.Client
	Loc    Location
	// SSE is "" (the bucket default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS, with
	// KMSKeyID or the account's default key).
	SSE      string
	KMSKeyID string
	// PartSize: objects larger than this go up in parts of this size (default 16 MiB;
	// S3's minimum part is 5 MiB).
	PartSize int64
}

// minPart is the smallest part S3 accepts (except the last).
const minPart = 5 << 20

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidSSE checks an SSE setting.
func ValidSSE(sse string) error {
	switch sse {
	case "", string(types.ServerSideEncryptionAes256), string(types.ServerSideEncryptionAwsKms):
		return nil
	}
	return fmt.Errorf("SSE %q: want AES256 (SSE-S3) or aws:kms (SSE-KMS)", sse)
}

// Key is where content with this hash is archived.
func (a *Archive) Key(sha string) string { return a.Loc.Prefix + sha[:2] + "/" + sha }

// Has reports whether the content is already archived.
func (a *Archive) Has(ctx context.Context, sha string) (bool, error) {
	_, err := a.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(a.Loc.Bucket), Key: aws.String(a.Key(sha))})
	if err == nil {
		return true, nil
	}
	if notFound(err) {
		return false, nil
	}
	return false, wrap("HeadObject", err)
}

// Put archives size bytes of r under sha unless already there; stored reports
// whether it wrote. The caller vouches that sha is the content's SHA-256.
func (a *Archive) Put(ctx context.Context, sha string, r io.ReaderAt, size int64) (stored bool, err error) {
	if !shaRE.MatchString(sha) {
		return false, errors.New("archive: not a lower-case hex SHA-256")
	}
	if ok, err := a.Has(ctx, sha); err != nil || ok {
		return false, err
	}
	if size > a.partSize() {
		return true, a.multipart(ctx, a.Key(sha), r, size)
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(a.Loc.Bucket),
		Key:           aws.String(a.Key(sha)),
		Body:          io.NewSectionReader(r, 0, size),
		ContentLength: aws.Int64(size),
	}
	a.sse(&in.ServerSideEncryption, &in.SSEKMSKeyId)
	_, err = a.Client.PutObject(ctx, in)
	return err == nil, wrap("PutObject", err)
}

// PutFile archives a local file after checking its content still hashes to sha.
func (a *Archive) PutFile(ctx context.Context, sha, path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("archive: opening input %s…: %w", sha[:12], errors.Unwrap(err))
	}
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return false, fmt.Errorf("archive: reading input %s…: %w", sha[:12], errors.Unwrap(err))
	}
	if hex.EncodeToString(h.Sum(nil)) != sha {
		return false, fmt.Errorf("archive: input %s… changed since it was ingested", sha[:12])
	}
	return a.Put(ctx, sha, f, size)
}

// CopyFrom archives an object of the same endpoint by server-side copy (no data
// passes through cvetl). etag, when known, makes the copy fail if the object changed
// since it was read. Single-request copy: objects up to 5 GiB.
func (a *Archive) CopyFrom(ctx context.Context, sha, bucket, key, etag string) (bool, error) {
	if !shaRE.MatchString(sha) {
		return false, errors.New("archive: not a lower-case hex SHA-256")
	}
	if ok, err := a.Has(ctx, sha); err != nil || ok {
		return false, err
	}
	in := &s3.CopyObjectInput{
		Bucket:     aws.String(a.Loc.Bucket),
		Key:        aws.String(a.Key(sha)),
		CopySource: aws.String(url.PathEscape(bucket) + "/" + escapeKey(key)),
	}
	if etag != "" {
		in.CopySourceIfMatch = aws.String(etag)
	}
	a.sse(&in.ServerSideEncryption, &in.SSEKMSKeyId)
	_, err := a.Client.CopyObject(ctx, in)
	return err == nil, wrap("CopyObject", err)
}

// escapeKey URL-encodes each segment of a key, keeping the slashes.
func escapeKey(key string) string {
	u := url.URL{Path: key}
	return u.EscapedPath()
}

func (a *Archive) partSize() int64 {
	if a.PartSize <= 0 {
		return 16 << 20
	}
	return max(a.PartSize, minPart)
}

func (a *Archive) sse(alg *types.ServerSideEncryption, kms **string) {
	if a.SSE == "" {
		return
	}
	*alg = types.ServerSideEncryption(a.SSE)
	if a.SSE == string(types.ServerSideEncryptionAwsKms) && a.KMSKeyID != "" {
		*kms = aws.String(a.KMSKeyID)
	}
}
