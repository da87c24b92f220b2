package s3store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	s3store "github.com/cvetl/cvetl/sinks/s3"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

func shaOf(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func get(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestArchiveIsContentAddressedIdempotentAndMultipart(t *testing.T) {
	srv := s3test.Start(t)
	srv.Bucket(t, "archive")
	c := srv.Client(t)
	ctx := context.Background()
	a := &s3store.Archive{Client: c, Loc: s3store.Location{Bucket: "archive", Prefix: "raw/"}, PartSize: 5 << 20}

	small := []byte("a small CV")
	sha := shaOf(small)
	if stored, err := a.Put(ctx, sha, bytes.NewReader(small), int64(len(small))); err != nil || !stored {
		t.Fatalf("first put: stored %v, err %v", stored, err)
	}
	if stored, err := a.Put(ctx, sha, bytes.NewReader(small), int64(len(small))); err != nil || stored {
		t.Fatalf("second put must be a no-op: stored %v, err %v", stored, err)
	}
	if got := get(t, c, "archive", "raw/"+sha[:2]+"/"+sha); !bytes.Equal(got, small) {
		t.Fatalf("archived %q", got)
	}

	big := make([]byte, 11<<20+123) // three parts of 5 MiB
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	bsha := shaOf(big)
	if stored, err := a.Put(ctx, bsha, bytes.NewReader(big), int64(len(big))); err != nil || !stored {
		t.Fatalf("multipart put: stored %v, err %v", stored, err)
	}
	if got := get(t, c, "archive", a.Key(bsha)); !bytes.Equal(got, big) {
		t.Fatalf("multipart object differs: %d bytes, sha %s", len(got), shaOf(got)[:12])
	}

	// A local file is checked against its hash before upload.
	f := filepath.Join(t.TempDir(), "cv.txt")
	os.WriteFile(f, []byte("local CV"), 0o600)
	if _, err := a.PutFile(ctx, shaOf([]byte("other content")), f); err == nil {
		t.Fatal("PutFile archived content under the wrong hash")
	}
	if stored, err := a.PutFile(ctx, shaOf([]byte("local CV")), f); err != nil || !stored {
		t.Fatalf("PutFile: stored %v, err %v", stored, err)
	}

	// Server-side copy from the source bucket, guarded by the listed ETag.
	srv.Bucket(t, "inbox")
	srv.Put(t, "inbox", "in/Jane Smith CV.txt", []byte("copied CV"))
	if stored, err := a.CopyFrom(ctx, shaOf([]byte("copied CV")), "inbox", "in/Jane Smith CV.txt", ""); err != nil || !stored {
		t.Fatalf("CopyFrom: stored %v, err %v", stored, err)
	}
	if got := get(t, c, "archive", a.Key(shaOf([]byte("copied CV")))); string(got) != "copied CV" {
		t.Fatalf("copied %q", got)
	}
}

func TestArchiveSSEOption(t *testing.T) {
	if err := s3store.ValidSSE("AES256"); err != nil {
		t.Fatal(err)
	}
	if err := s3store.ValidSSE("aws:kms"); err != nil {
		t.Fatal(err)
	}
	if err := s3store.ValidSSE("rot13"); err == nil {
		t.Fatal("accepted an unknown SSE mode")
	}
}

type recordingSink struct{ commits int }

func (r *recordingSink) Known(string) bool { return false }
func (r *recordingSink) Commit(context.Context, int64, []*pipeline.FileResult) error {
	r.commits++
	return nil
}

// A source that lost its server must stop the run, not quarantine good inputs.
func TestSinkRefusesToCommitAfterTheServerWentAway(t *testing.T) {
	srv := s3test.Start(t)
	srv.Bucket(t, "cvs")
	srv.Put(t, "cvs", "in/a.txt", []byte("CV A"))
	srv.Put(t, "cvs", "in/b.txt", []byte("CV B"))
	src := &s3store.Source{Client: srv.Client(t), Loc: s3store.Location{Bucket: "cvs", Prefix: "in/"}}
	ctx := context.Background()
	items, err := src.List(ctx)
	if err != nil || len(items) != 2 {
		t.Fatalf("list: %d items, %v", len(items), err)
	}
	inner := &recordingSink{}
	sink := &s3store.Sink{Sink: inner, Source: src}
	if err := sink.Commit(ctx, 1, nil); err != nil || inner.commits != 1 {
		t.Fatalf("healthy commit: %v", err)
	}
	srv.Stop()
	_, err = src.Open(ctx, items[1])
	if err == nil || s3store.Permanent(err) {
		t.Fatalf("open with the server down: err %v, want a transient error", err)
	}
	if src.Err() == nil {
		t.Fatal("transient failure not recorded")
	}
	res := &pipeline.FileResult{Item: items[1], Err: extractors.Errorf(extractors.ReasonCorrupt, "cannot open")}
	err = sink.Commit(ctx, 1, []*pipeline.FileResult{res})
	if err == nil || inner.commits != 1 {
		t.Fatalf("commit after failure: err %v, commits %d; want refused", err, inner.commits)
	}
	var se *s3store.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v does not carry the S3 failure", err)
	}
	t.Logf("refused with: %v", err)
}
