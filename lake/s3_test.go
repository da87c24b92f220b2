package lake_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// objectVersion is one stored version of an object.
type objectVersion struct{ key, id string }

// allVersions lists every version (current or not) under the bucket's prefix.
func allVersions(t *testing.T, c *s3.Client, bucket, prefix string) []objectVersion {
	t.Helper()
	var out []objectVersion
	p := s3.NewListObjectVersionsPaginator(c, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			out = append(out, objectVersion{aws.ToString(v.Key), aws.ToString(v.VersionId)})
		}
		for _, m := range page.DeleteMarkers {
			out = append(out, objectVersion{aws.ToString(m.Key) + " (delete marker)", aws.ToString(m.VersionId)})
		}
	}
	return out
}

// versionText downloads one version of a Parquet object and returns its rows as text.
func versionText(t *testing.T, c *s3.Client, bucket string, v objectVersion) string {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(v.key), VersionId: aws.String(v.id)})
	if err != nil {
		t.Fatalf("get %s@%s: %v", v.key, v.id, err)
	}
	defer out.Body.Close()
	p := filepath.Join(t.TempDir(), "v.parquet")
	f, _ := os.Create(p)
	io.Copy(f, out.Body)
	f.Close()
	rows, err := duck(t).Query(`SELECT * FROM read_parquet(?)`, p)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// TestS3LakeOnVersionedBucket writes, re-writes, fetches, compacts and erases a lake
// in a versioned bucket of a real S3 server, and checks no version of any object
// keeps an erased subject's rows.
func TestS3LakeOnVersionedBucket(t *testing.T) {
	ctx := context.Background()
	srv := s3test.StartVersioned(t)
	srv.Bucket(t, "lake")
	srv.Versioned(t, "lake")
	c := srv.Client(t)

	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""), cv("b", "b.txt", "Ben Sample", "ben@example.org", ""))
	s.events(t, `{"subject":"ada@example.com","event":"registered","at":"2026-11-01","detail":{"subject_type":"candidate"}}`+"\n")
	l, err := lake.Open("s3://lake/cvetl", lake.S3{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	if l.LocalRoot() != "" {
		t.Fatal("an S3 lake has no local root")
	}
	for range 2 { // the second export overwrites every key: old versions must go
		if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"}); err != nil {
			t.Fatal(err)
		}
	}
	vs := allVersions(t, c, "lake", "cvetl/")
	if len(vs) != 4 { // profiles, sources, events, export state: one version each
		t.Fatalf("after two exports the bucket holds %d versions, want 4: %v", len(vs), vs)
	}

	// DuckDB reads the fetched copy exactly as a local lake.
	local := t.TempDir()
	ll, _ := lake.Open(local, lake.S3{})
	if _, err := lake.Export(ctx, s.DB(), ll, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}
	root, err := lake.Fetch(ctx, l, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"profiles", "sources", "events"} {
		if want, got := dump(t, local, table), dump(t, root, table); want != got || got == "" {
			t.Fatalf("%s fetched from S3 differs:\nwant\n%s\ngot\n%s", table, want, got)
		}
	}

	// A second writer, then compaction: merged inputs leave no version behind.
	s2 := openStore(t)
	s2.ingest(t, cv("c", "c.txt", "Cara Test", "cara@example.net", ""), cv("a", "a2.txt", "Ada Example", "ada@example.com", ""))
	if _, err := lake.Export(ctx, s2.DB(), l, lake.ExportOptions{Name: "other"}); err != nil {
		t.Fatal(err)
	}
	rep, err := lake.Compact(ctx, l, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Partitions != 2 || rep.Duplicates != 2 {
		t.Fatalf("compaction %+v: want profiles and sources merged, 2 duplicates", rep)
	}
	for _, v := range allVersions(t, c, "lake", "cvetl/") {
		merged := strings.HasPrefix(v.key, "cvetl/profiles/") || strings.HasPrefix(v.key, "cvetl/sources/")
		if merged && !strings.HasSuffix(v.key, "/part-compacted.parquet") {
			t.Fatalf("a merged file survives compaction: %s@%s", v.key, v.id)
		}
	}

	// Erasure with the first store's ids: Ada's rows are gone from every version of
	// every object, and Cara, whom the second store numbered as the first store
	// numbered Ada, keeps hers.
	ada := s.subjectOf(t, "ada@example.com")
	if cara := s2.subjectOf(t, "cara@example.net"); cara != ada {
		t.Fatalf("the test needs colliding subject ids: Ada %s, Cara %s", ada, cara)
	}
	subjects, err := lake.SubjectsFromStore(ctx, s.DB(), []string{ada})
	if err != nil {
		t.Fatal(err)
	}
	erep, err := lake.EraseSubjects(ctx, l, subjects)
	if err != nil {
		t.Fatal(err)
	}
	if erep.RowsRemoved["profiles"] != 1 || erep.RowsRemoved["events"] != 1 || erep.FilesDeleted != 1 {
		t.Fatalf("erase report %+v", erep)
	}
	for _, v := range allVersions(t, c, "lake", "cvetl/") {
		if strings.HasSuffix(v.key, "(delete marker)") {
			t.Fatalf("erasure left a delete marker: %s", v.key)
		}
		if !strings.HasSuffix(v.key, ".parquet") {
			continue
		}
		if txt := versionText(t, c, "lake", v); strings.Contains(txt, "ada@example.com") || strings.Contains(txt, "Ada Example") {
			t.Fatalf("version %s of %s still holds the erased subject:\n%s", v.id, v.key, txt)
		}
	}
	root, err = lake.Fetch(ctx, l, root, nil) // refetch into the same folder
	if err != nil {
		t.Fatal(err)
	}
	if d := dump(t, root, "profiles"); strings.Contains(d, "ada@example.com") || !strings.Contains(d, "cara@example.net") {
		t.Fatalf("refetched profiles:\n%s", d)
	}
}

// TestS3LakeUnversioned checks the unversioned path: overwrite and delete, no version
// calls needed for the data to go.
func TestS3LakeUnversioned(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Bucket(t, "lake")
	c := srv.Client(t)
	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""))
	l, _ := lake.Open("s3://lake/", lake.S3{Client: c, SSE: "AES256"})
	if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}
	subjects, err := lake.SubjectsFromStore(ctx, s.DB(), []string{s.subjectOf(t, "ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lake.EraseSubjects(ctx, l, subjects)
	if err != nil || rep.FilesDeleted != 2 {
		t.Fatalf("erase: %+v, %v", rep, err)
	}
	for _, v := range allVersions(t, c, "lake", "") {
		if strings.HasSuffix(v.key, ".parquet") {
			t.Fatalf("%s left after erasing its only subject", v.key)
		}
	}
	if _, err := lake.Open("s3://lake/", lake.S3{Client: c, SSE: "rot13"}); err == nil || !strings.Contains(err.Error(), "rot13") {
		t.Fatalf("bad SSE accepted: %v", err)
	}
}
