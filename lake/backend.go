package lake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// backend stores the lake's files under keys relative to the lake root.
type backend interface {
	// list returns the keys under prefix, sorted.
	list(ctx context.Context, prefix string) ([]string, error)
	// local returns a local path holding the key's bytes: the file itself in a
	// folder lake, a download into tmp otherwise.
	local(ctx context.Context, key, tmp string) (string, error)
	// put stores the local file src under key, replacing what was there, and leaves
	// no older version of the key behind.
	put(ctx context.Context, key, src string) error
	// remove deletes the key, every version of it, and reports how many versions
	// went (0 when the key did not exist).
	remove(ctx context.Context, key string) (int, error)
	// prune deletes what no reader sees but could still hold rows: older versions
	// and delete markers in S3, interrupted writes' temp files in a folder.
	prune(ctx context.Context) (int, error)
	// root is the lake's folder, or "" when the lake is not local.
	root() string
}

// localBackend is a folder.
type localBackend struct{ dir string }

func newLocal(dir string) (*localBackend, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("lake %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("lake %s: %w", dir, err)
	}
	return &localBackend{dir: abs}, nil
}

func (b *localBackend) root() string { return b.dir }

func (b *localBackend) list(_ context.Context, prefix string) ([]string, error) {
	var keys []string
	start := filepath.Join(b.dir, filepath.FromSlash(prefix))
	err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(b.dir, p)
		if err != nil {
			return err
		}
		keys = append(keys, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(keys)
	return keys, err
}

func (b *localBackend) local(_ context.Context, key, _ string) (string, error) {
	return filepath.Join(b.dir, filepath.FromSlash(key)), nil
}

// put copies src beside the target and renames it into place, so a reader or a
// crash never sees half a file.
func (b *localBackend) put(_ context.Context, key, src string) (err error) {
	dst := filepath.Join(b.dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func (b *localBackend) remove(_ context.Context, key string) (int, error) {
	err := os.Remove(filepath.Join(b.dir, filepath.FromSlash(key)))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return 1, nil
}

func (b *localBackend) prune(ctx context.Context) (int, error) {
	keys, err := b.list(ctx, "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		if strings.HasSuffix(k, ".tmp") {
			if _, err := b.remove(ctx, k); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// s3Backend is a prefix of a bucket.
type s3Backend struct {
	c        *s3.Client
	loc      s3store.Location
	sse, kms string
}

func (b *s3Backend) root() string { return "" }

func (b *s3Backend) list(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(b.c, &s3.ListObjectsV2Input{Bucket: aws.String(b.loc.Bucket), Prefix: aws.String(b.loc.Prefix + prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, &s3store.Error{Op: "ListObjectsV2", Err: err}
		}
		for _, o := range page.Contents {
			keys = append(keys, strings.TrimPrefix(aws.ToString(o.Key), b.loc.Prefix))
		}
	}
	sort.Strings(keys)
	return keys, nil
}

func (b *s3Backend) local(ctx context.Context, key, tmp string) (_ string, err error) {
	out, err := b.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.loc.Bucket), Key: aws.String(b.loc.Prefix + key)})
	if err != nil {
		return "", &s3store.Error{Op: "GetObject", Err: err}
	}
	defer out.Body.Close()
	dst := filepath.Join(tmp, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", err
	}
	f, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, out.Body); err != nil {
		f.Close()
		return "", &s3store.Error{Op: "GetObject", Err: err}
	}
	return dst, f.Close()
}

// put uploads with one PutObject (lake files are one partition of one table: far
// below the 5 GiB single-request limit) and then deletes every other version of the
// key, so a versioned bucket does not keep the replaced rows.
func (b *s3Backend) put(ctx context.Context, key, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(b.loc.Bucket),
		Key:           aws.String(b.loc.Prefix + key),
		Body:          f,
		ContentLength: aws.Int64(st.Size()),
		ContentType:   aws.String("application/vnd.apache.parquet"),
	}
	if b.sse != "" {
		in.ServerSideEncryption = types.ServerSideEncryption(b.sse)
		if b.sse == string(types.ServerSideEncryptionAwsKms) && b.kms != "" {
			in.SSEKMSKeyId = aws.String(b.kms)
		}
	}
	out, err := b.c.PutObject(ctx, in)
	if err != nil {
		return &s3store.Error{Op: "PutObject", Err: err}
	}
	if out.VersionId == nil {
		return nil // unversioned: the overwrite left nothing behind
	}
	_, err = s3store.DeleteVersions(ctx, b.c, b.loc.Bucket, b.loc.Prefix+key, aws.ToString(out.VersionId))
	return err
}

func (b *s3Backend) remove(ctx context.Context, key string) (int, error) {
	return s3store.DeleteVersions(ctx, b.c, b.loc.Bucket, b.loc.Prefix+key, "")
}

// prune deletes every noncurrent version and delete marker under the lake's prefix.
func (b *s3Backend) prune(ctx context.Context) (int, error) {
	type version struct{ key, id string }
	var old []version
	p := s3.NewListObjectVersionsPaginator(b.c, &s3.ListObjectVersionsInput{Bucket: aws.String(b.loc.Bucket), Prefix: aws.String(b.loc.Prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, &s3store.Error{Op: "ListObjectVersions", Err: err}
		}
		for _, v := range page.Versions {
			if !aws.ToBool(v.IsLatest) {
				old = append(old, version{aws.ToString(v.Key), aws.ToString(v.VersionId)})
			}
		}
		for _, m := range page.DeleteMarkers {
			old = append(old, version{aws.ToString(m.Key), aws.ToString(m.VersionId)})
		}
	}
	for i, v := range old {
		_, err := b.c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.loc.Bucket), Key: aws.String(v.key), VersionId: aws.String(v.id)})
		if err != nil {
			return i, &s3store.Error{Op: "DeleteObject", Err: err}
		}
	}
	return len(old), nil
}
