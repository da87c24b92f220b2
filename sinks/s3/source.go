package s3store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/pipeline"
)

// Source is a pipeline.Source over every object under s3://bucket/prefix. Keys are
// relative to the prefix, so channel rules written for a folder apply unchanged;
// Location is the object's full s3:// URL.
//
// A permanent failure to open one object (it was deleted after listing, access to it
// is denied) is the runner's business: it quarantines that input as unreadable. A
// transient failure that outlasted the retries (the server went away) must not be
// quarantined — the input is fine — so the source records it, and Err reports it:
// the caller's sink refuses to commit once Err is set, failing the run so a re-run
// picks the input up again.
type Source struct {
	Client *s3.Client
	Loc    Location
	// PageSize is MaxKeys per ListObjectsV2 page; 0 leaves the server's default (1000).
	PageSize int32
	// ReadRetries is how many times a read broken mid-object resumes with a ranged
	// GET from where it stopped (default 3).
	ReadRetries int
	// OnFail, when set, is called once with the first transient failure (e.g. to
	// cancel the run early).
	OnFail func(error)

	mu     sync.Mutex
	etags  map[string]string
	failed error
}

var _ pipeline.Source = (*Source)(nil)

// List pages through ListObjectsV2. Folder markers and hidden names (any path
// segment starting with ".") are skipped, as DirSource skips them.
func (s *Source) List(ctx context.Context) ([]pipeline.Item, error) {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.Loc.Bucket), Prefix: aws.String(s.Loc.Prefix)}
	if s.PageSize > 0 {
		in.MaxKeys = aws.Int32(s.PageSize)
	}
	etags := map[string]string{}
	var items []pipeline.Item
	p := s3.NewListObjectsV2Paginator(s.Client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", s.Loc, wrap("ListObjectsV2", err))
		}
		for _, o := range page.Contents {
			full := aws.ToString(o.Key)
			rel := strings.TrimPrefix(full, s.Loc.Prefix)
			if rel == "" || strings.HasSuffix(rel, "/") || hidden(rel) {
				continue
			}
			etags[rel] = aws.ToString(o.ETag)
			items = append(items, pipeline.Item{
				Key:      rel,
				Location: s.Loc.URL(full),
				Size:     aws.ToInt64(o.Size),
				ModTime:  aws.ToTime(o.LastModified).UTC(),
			})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	s.mu.Lock()
	s.etags = etags
	s.mu.Unlock()
	return items, nil
}

func hidden(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// ETag is the entity tag a listed key had when List ran ("" if unknown).
func (s *Source) ETag(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.etags[key]
}

// Err is the first transient failure of an Open or a read, or nil.
func (s *Source) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

func (s *Source) fail(err error) error {
	if Permanent(err) || errors.Is(err, context.Canceled) {
		return err
	}
	s.mu.Lock()
	first := s.failed == nil
	if first {
		s.failed = err
	}
	s.mu.Unlock()
	if first && s.OnFail != nil {
		s.OnFail(err)
	}
	return err
}

// Open starts a GET of the object. The body resumes with ranged GETs if the
// connection breaks, and checks the object did not change in between.
func (s *Source) Open(ctx context.Context, it pipeline.Item) (io.ReadCloser, error) {
	key := s.Loc.Prefix + it.Key
	b := &body{ctx: ctx, s: s, key: key, etag: s.ETag(it.Key)}
	rc, err := b.get()
	if err != nil {
		return nil, s.fail(err)
	}
	b.rc = rc
	return b, nil
}

type body struct {
	ctx  context.Context
	s    *Source
	key  string
	etag string
	rc   io.ReadCloser
	off  int64
}

func (b *body) get() (io.ReadCloser, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(b.s.Loc.Bucket), Key: aws.String(b.key)}
	if b.etag != "" {
		in.IfMatch = aws.String(b.etag)
	}
	if b.off > 0 {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", b.off))
	}
	out, err := b.s.Client.GetObject(b.ctx, in)
	if err != nil {
		return nil, wrap("GetObject", err)
	}
	return out.Body, nil
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.off += int64(n)
	if err == nil || err == io.EOF {
		return n, err
	}
	tries := b.s.ReadRetries
	if tries <= 0 {
		tries = 3
	}
	last := wrap("GetObject body", err)
	for i := range tries {
		if b.ctx.Err() != nil {
			return n, b.ctx.Err()
		}
		time.Sleep(time.Duration(100<<i) * time.Millisecond)
		b.rc.Close()
		rc, gerr := b.get()
		if gerr == nil {
			b.rc = rc
			return n, nil
		}
		last = gerr
		b.rc = io.NopCloser(strings.NewReader(""))
		if Permanent(gerr) {
			break
		}
	}
	return n, b.s.fail(last)
}

func (b *body) Close() error { return b.rc.Close() }
