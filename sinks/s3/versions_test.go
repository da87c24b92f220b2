package s3store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	s3store "github.com/cvetl/cvetl/sinks/s3"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// versionsOf counts the versions and delete markers the server holds for a key.
func versionsOf(t *testing.T, c *s3.Client, bucket, key string) int {
	t.Helper()
	out, err := c.ListObjectVersions(context.Background(), &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)})
	if err != nil {
		t.Fatalf("ListObjectVersions: %v", err)
	}
	n := 0
	for _, v := range out.Versions {
		if aws.ToString(v.Key) == key {
			n++
		}
	}
	for _, m := range out.DeleteMarkers {
		if aws.ToString(m.Key) == key {
			n++
		}
	}
	return n
}

func TestArchiveEraseRemovesEveryVersion(t *testing.T) {
	for _, versioned := range []bool{false, true} {
		t.Run(map[bool]string{false: "unversioned", true: "versioned"}[versioned], func(t *testing.T) {
			var srv *s3test.Server
			if versioned {
				srv = s3test.StartVersioned(t)
			} else {
				srv = s3test.Start(t)
			}
			srv.Bucket(t, "archive")
			if versioned {
				srv.Versioned(t, "archive")
			}
			c := srv.Client(t)
			ctx := context.Background()
			a := &s3store.Archive{Client: c, Loc: s3store.Location{Bucket: "archive", Prefix: "raw/"}}
			cv := []byte("a fictional CV for Ada Example")
			other := []byte("someone else's CV")
			sha, otherSHA := shaOf(cv), shaOf(other)
			for _, b := range [][]byte{cv, other} {
				if _, err := a.Put(ctx, shaOf(b), bytes.NewReader(b), int64(len(b))); err != nil {
					t.Fatal(err)
				}
			}
			want := 1
			if versioned {
				// A second write of the key and a plain delete leave two versions and
				// a delete marker behind: what a careless erasure would leave.
				srv.Put(t, "archive", a.Key(sha), cv)
				if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("archive"), Key: aws.String(a.Key(sha))}); err != nil {
					t.Fatal(err)
				}
				want = 3
			}
			if n := versionsOf(t, c, "archive", a.Key(sha)); n != want {
				t.Fatalf("before erasure: %d versions, want %d", n, want)
			}
			n, err := a.Erase(ctx, sha)
			if err != nil || n != want {
				t.Fatalf("Erase deleted %d versions (err %v), want %d", n, err, want)
			}
			if n := versionsOf(t, c, "archive", a.Key(sha)); n != 0 {
				t.Fatalf("after erasure the server still holds %d versions", n)
			}
			if ok, err := a.Has(ctx, otherSHA); err != nil || !ok {
				t.Fatalf("erasing one input touched another: has %v, err %v", ok, err)
			}
			if n, err := a.Erase(ctx, sha); err != nil || n != 0 {
				t.Fatalf("second erasure: %d deleted, err %v; want 0, nil", n, err)
			}
			if _, err := a.Erase(ctx, "not-a-hash"); err == nil {
				t.Fatal("Erase accepted a malformed hash")
			}
		})
	}
}
