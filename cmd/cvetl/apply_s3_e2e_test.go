package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// TestErasureReachesS3 runs the reviewer workflow with the raw-file archive and the
// Parquet lake in a versioned bucket on a real S3 server: after apply, no version of
// any object holds the erased people, and cvetl's own verification agrees.
func TestErasureReachesS3(t *testing.T) {
	srv := s3test.StartVersioned(t)
	for _, b := range []string{"archive", "lake"} {
		srv.Bucket(t, b)
		srv.Versioned(t, b)
	}
	env := srv.Env()
	dir := t.TempDir()
	db, out := filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out")
	in := copyInbox(t, inbox, filepath.Join(dir, "inbox"), map[string]string{"default": "2024-01-15"})
	remote := []string{"--archive", "s3://archive/raw", "--lake", "s3://lake/main"}
	run := func(want int, args ...string) runResult {
		t.Helper()
		r := cvetlEnv(t, env, append([]string{"--db", db, "--out", out}, args...)...)
		if r.code != want {
			t.Fatalf("cvetl %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
		}
		return r
	}
	run(0, append([]string{"--config", demoConfig, "ingest", in}, remote...)...)
	run(0, "nightly", "--as-of", "2026-11-26", "--policy", "it-thread")
	run(0, append([]string{"lake", "export"}, remote[2:]...)...)
	id, rowIDs, subjects := staleSubjects(t, run)
	people := peopleBefore(t, db, subjects)
	shas := fileHashes(t, db, subjects)
	run(0, append([]string{"manifest", "approve", id}, append(rowIDs, "--reviewer", "Rev One")...)...)
	versionsBefore := objectVersions(t, srv, "archive")
	r := run(0, append([]string{"apply"}, remote...)...)
	if !strings.Contains(r.stdout, "0 residue") {
		t.Fatalf("apply:\n%s", r.stdout)
	}
	// Independently: no version of any archive object is one of their files ...
	for key := range objectVersions(t, srv, "archive") {
		for _, sha := range shas {
			if strings.Contains(key, sha) {
				t.Errorf("archive still holds a version of a deleted input (%s)", sha[:12])
			}
		}
	}
	if len(objectVersions(t, srv, "archive")) >= len(versionsBefore) {
		t.Error("no archive object was deleted")
	}
	// ... and the lake, fetched, holds none of their identifiers.
	fetched := filepath.Join(dir, "fetched")
	if r := cvetlEnv(t, env, "lake", "fetch", "--lake", "s3://lake/main", fetched); r.code != 0 {
		t.Fatalf("lake fetch: %s %s", r.stdout, r.stderr)
	}
	for _, table := range []string{"profiles", "sources"} {
		rows := strings.ToLower(lakeRows(t, fetched, table))
		if strings.Count(rows, "\n") < 20 {
			t.Errorf("lake table %s lost other people's rows: %d left", table, strings.Count(rows, "\n")+1)
		}
		for _, p := range people {
			for _, n := range p.needles {
				if strings.Contains(rows, strings.ToLower(n)) {
					t.Errorf("lake table %s still holds an identifier of %s", table, p.subjectID)
				}
			}
		}
	}
	for _, s := range subjects {
		run(0, append([]string{"verify-erasure", s}, remote...)...)
	}
}

func fileHashes(t *testing.T, dbPath string, subjects []string) []string {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	var out []string
	for _, s := range subjects {
		rows, err := db.Query(`SELECT DISTINCT file_sha256 FROM sources WHERE subject_id = ?`, s)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			out = append(out, v)
		}
		rows.Close()
	}
	return out
}

// objectVersions lists every version and delete marker in a bucket, by key and version.
func objectVersions(t *testing.T, srv *s3test.Server, bucket string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	p := s3.NewListObjectVersionsPaginator(srv.Client(t), &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			out[aws.ToString(v.Key)+"@"+aws.ToString(v.VersionId)] = true
		}
		for _, m := range page.DeleteMarkers {
			out[aws.ToString(m.Key)+"@"+aws.ToString(m.VersionId)+"(marker)"] = true
		}
	}
	return out
}

// staleSubjects returns up to three rows of the deletion manifest proposing to delete a
// subject for staleness, with their subjects: the people an erasure test erases.
func staleSubjects(t *testing.T, run func(int, ...string) runResult) (manifestID string, rowIDs, subjects []string) {
	t.Helper()
	manifestID = deletionManifest(t, run(0, "manifest", "list", "--json").stdout)
	var shown struct {
		Rows []struct{ RowID, SubjectID string }
	}
	if err := json.Unmarshal([]byte(run(0, "manifest", "show", manifestID, "--json").stdout), &shown); err != nil {
		t.Fatal(err)
	}
	for _, r := range shown.Rows {
		if strings.HasSuffix(r.RowID, "/stale") && len(subjects) < 3 {
			rowIDs, subjects = append(rowIDs, r.RowID), append(subjects, r.SubjectID)
		}
	}
	if len(subjects) < 3 {
		t.Fatalf("want three stale subjects to delete, got %v", subjects)
	}
	return manifestID, rowIDs, subjects
}
