package s3store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	s3store "github.com/cvetl/cvetl/sinks/s3"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// TestReadObject reads one object by its URL from a real S3 server: whole, refused
// when over the limit, missing (key or bucket) told apart from a server that is gone,
// and never naming the key in an error.
func TestReadObject(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Bucket(t, "cvs")
	key := "in/Ada Fictional CV.txt"
	body := []byte("Ada Fictional\nSoftware engineer\n")
	srv.Put(t, "cvs", key, body)
	c := srv.Client(t)

	got, err := s3store.ReadObject(ctx, c, "s3://cvs/"+key, int64(len(body)))
	if err != nil || string(got) != string(body) {
		t.Fatalf("read at exactly the limit: %q, %v; want the object", got, err)
	}
	if _, err := s3store.ReadObject(ctx, c, "s3://cvs/"+key, int64(len(body))-1); !errors.Is(err, s3store.ErrObjectTooLarge) {
		t.Fatalf("read one byte over the limit: %v, want ErrObjectTooLarge", err)
	}
	for _, url := range []string{"s3://cvs/in/Bo Fictional CV.txt", "s3://no-such-bucket/" + key} {
		_, err := s3store.ReadObject(ctx, c, url, 1<<20)
		if !errors.Is(err, s3store.ErrObjectMissing) || strings.Contains(err.Error(), "Fictional") {
			t.Fatalf("read of a missing object: %v, want ErrObjectMissing not naming the key", err)
		}
	}
	for _, url := range []string{"s3://cvs", "s3://cvs/", "s3://cvs/in/", "/local/path.txt", "s3:///in/x.txt"} {
		if _, err := s3store.ReadObject(ctx, c, url, 1<<20); err == nil || errors.Is(err, s3store.ErrObjectMissing) {
			t.Fatalf("%q: %v, want a bad-URL error", url, err)
		}
	}

	srv.Stop()
	cfg := srv.Config()
	cfg.MaxAttempts = 1
	down, err := s3store.NewClient(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s3store.ReadObject(ctx, down, "s3://cvs/"+key, 1<<20)
	if err == nil || errors.Is(err, s3store.ErrObjectMissing) || strings.Contains(err.Error(), "Fictional") {
		t.Fatalf("read from a stopped server: %v, want a failure that is not 'missing' and names no key", err)
	}
}
