package s3store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
	s3store "github.com/cvetl/cvetl/sinks/s3"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

func TestListPaginatesAndReads(t *testing.T) {
	srv := s3test.Start(t)
	srv.Bucket(t, "cvs")
	const n = 1100
	for i := range n {
		srv.Put(t, "cvs", fmt.Sprintf("in/batch%d/cv-%04d.txt", i%3, i), []byte(fmt.Sprintf("CV number %d\n", i)))
	}
	srv.Put(t, "cvs", "in/.DS_Store", []byte("hidden"))
	srv.Put(t, "cvs", "in/.git/config", []byte("hidden"))
	srv.Put(t, "cvs", "inbox2/other.txt", []byte("outside the prefix"))

	loc, err := s3store.ParseURL("s3://cvs/in")
	if err != nil {
		t.Fatal(err)
	}
	src := &s3store.Source{Client: srv.Client(t), Loc: loc, PageSize: 100}
	items, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != n {
		t.Fatalf("listed %d items, want %d (11 pages of 100)", len(items), n)
	}
	for i, it := range items {
		if i > 0 && items[i-1].Key >= it.Key {
			t.Fatalf("not sorted: %q then %q", items[i-1].Key, it.Key)
		}
		if strings.HasPrefix(it.Key, "in/") || strings.Contains(it.Key, ".") && !strings.HasSuffix(it.Key, ".txt") {
			t.Fatalf("key %q not relative to the prefix or hidden", it.Key)
		}
		if it.Location != "s3://cvs/in/"+it.Key || it.ModTime.IsZero() || it.Size <= 0 {
			t.Fatalf("bad item %+v", it)
		}
	}
	for _, it := range []pipeline.Item{items[0], items[n/2], items[n-1]} {
		rc, err := src.Open(context.Background(), it)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(data)) != it.Size || !bytes.HasPrefix(data, []byte("CV number ")) {
			t.Fatalf("%s: read %q", it.Key, data)
		}
	}
}

func TestPermanentErrorsAreNotRecordedAsFailures(t *testing.T) {
	srv := s3test.Start(t)
	srv.Bucket(t, "cvs")
	c := srv.Client(t)

	_, err := (&s3store.Source{Client: c, Loc: s3store.Location{Bucket: "no-such-bucket"}}).List(context.Background())
	if err == nil || !s3store.Permanent(err) {
		t.Fatalf("missing bucket: err %v, want a permanent error", err)
	}
	src := &s3store.Source{Client: c, Loc: s3store.Location{Bucket: "cvs", Prefix: "in/"}}
	_, err = src.Open(context.Background(), pipeline.Item{Key: "Jane Smith CV.pdf"})
	if err == nil || !s3store.Permanent(err) {
		t.Fatalf("missing key: err %v, want a permanent error", err)
	}
	if strings.Contains(err.Error(), "Jane") {
		t.Fatalf("error names the key: %v", err)
	}
	if src.Err() != nil {
		t.Fatalf("a missing object is the input's problem, not the run's: %v", src.Err())
	}
}

func TestParseURL(t *testing.T) {
	for in, want := range map[string]s3store.Location{
		"s3://b":          {Bucket: "b"},
		"s3://b/":         {Bucket: "b"},
		"s3://b/in":       {Bucket: "b", Prefix: "in/"},
		"s3://b/in/2026/": {Bucket: "b", Prefix: "in/2026/"},
	} {
		got, err := s3store.ParseURL(in)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"s3:///x", "http://b/x", "b/x", "s3://b/x?y=1"} {
		if _, err := s3store.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
}
