package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// TestRetagReadsRawFilesOnS3: files ingested from s3:// are re-read by the nightly's
// retag through the same S3 client ingest uses (configured by the environment alone),
// with the result a direct ingest with the current detector gives. An object changed
// or deleted since is counted unavailable and named by hash and reason, never by key;
// a server that is gone makes every S3 file unavailable without failing the run.
func TestRetagReadsRawFilesOnS3(t *testing.T) {
	dir := t.TempDir()
	srv := s3test.Start(t)
	env := append([]string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}, srv.Env()...)
	in := retagInbox(t, dir)
	srv.Bucket(t, "cvs")
	srv.UploadDir(t, in, "cvs", "in/")
	keys := uploadedKeys(t, in)

	s := newRetagFixture(t, dir, "s", env)
	s.run(0, s.rules, "ingest", "s3://cvs/in")
	eligible := retagEligible(t, s.db)
	if n := count(t, s.db, `SELECT count(*) FROM files WHERE location LIKE 's3://cvs/in/%'`); n == 0 || eligible == 0 {
		t.Fatalf("%d files from S3, %d with profiles: the test would prove nothing", n, eligible)
	}

	night, _ := s.nightly(s.current, time.Now().UTC())
	rt := night.Retag
	newRows := 0
	if rt != nil {
		for _, n := range rt.NewFindings {
			newRows += n
		}
	}
	if rt == nil || rt.FilesChecked != eligible || rt.FilesUnavailable+rt.FilesFailed != 0 || newRows == 0 || rt.RunID == 0 {
		t.Fatalf("nightly retag of files on S3: %+v, want all %d read and findings sealed", rt, eligible)
	}
	direct := newRetagFixture(t, dir, "direct", env)
	direct.run(0, direct.current, "ingest", "s3://cvs/in")
	for _, q := range []string{
		`SELECT * EXCLUDE (run_id) FROM profiles ORDER BY profile_id`,
		`SELECT profile_id, subject_id, category, coalesce(condition, ''), detector, start_offset, end_offset FROM restricted ORDER BY ALL`,
		// Files with no profile (a vacancy feed) are not retag's to read.
		`SELECT sha256, detector_fingerprint FROM files WHERE sha256 IN (SELECT file_sha256 FROM profiles) ORDER BY ALL`,
	} {
		if got, want := storeText(t, s.db, q), storeText(t, direct.db, q); got != want {
			t.Errorf("after the nightly, %q differs from a direct ingest with the current detector:\n%s", q, firstDiff(got, want))
		}
	}

	// One object rewritten, one deleted since ingest: --all re-reads the rest.
	shas := queryStrings(t, s.db, `SELECT f.sha256 FROM files f WHERE f.sha256 IN (SELECT file_sha256 FROM profiles) ORDER BY location`)
	changedKey, missingKey := objectOf(t, s.db, shas[0]), objectOf(t, s.db, shas[1])
	srv.Put(t, "cvs", changedKey, []byte("Someone else's CV entirely.\n"))
	if _, err := srv.Client(t).DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("cvs"), Key: aws.String(missingKey)}); err != nil {
		t.Fatal(err)
	}
	r := s.run(0, s.current, "retag", "--json", "--all")
	rep := decodeRetag(t, r)
	want := []unavailableFile{{shas[0], rawChanged}, {shas[1], rawMissing}}
	slices.SortFunc(want, func(a, b unavailableFile) int { return strings.Compare(a.SHA256, b.SHA256) })
	if rep.FilesChecked != eligible-2 || rep.FilesUnavailable != 2 || !slices.Equal(rep.Unavailable, want) || rep.FilesFailed != 0 || rep.newFindings() != 0 {
		t.Errorf("retag --all with an object changed and one deleted: %+v, want %d read and %v", rep, eligible-2, want)
	}
	assertNoKeys(t, "retag with objects changed and deleted", r, keys)
	for _, u := range want {
		if !strings.Contains(r.stderr, u.SHA256) {
			t.Errorf("stderr does not name the unavailable file %s by hash:\n%s", u.SHA256[:12], r.stderr)
		}
	}

	// The server gone: counted, not fatal; the run records it and goes on.
	srv.Stop()
	r = s.run(0, s.current, "retag", "--json", "--all")
	rep = decodeRetag(t, r)
	unreachable := 0
	for _, u := range rep.Unavailable {
		if u.Reason == rawS3Down {
			unreachable++
		}
	}
	if rep.FilesUnavailable != eligible || rep.FilesChecked != 0 || unreachable < eligible-2 || rep.RunID == 0 {
		t.Errorf("retag --all with the S3 server stopped: %+v, want all %d files unavailable, unreachable", rep, eligible)
	}
	if n := strings.Count(r.stderr, "S3 unreachable"); n != 1 {
		t.Errorf("stderr says the server is unreachable %d times, want once:\n%s", n, r.stderr)
	}
	assertNoKeys(t, "retag with the server stopped", r, keys)

	// An S3 setting that does not parse: no client, the S3 files counted, not fatal.
	bad := s
	bad.env = append(slices.Clone(s.env), "CVETL_S3_PATH_STYLE=sometimes")
	r = bad.run(0, s.current, "retag", "--json", "--all")
	rep = decodeRetag(t, r)
	if rep.FilesUnavailable != eligible || len(rep.Unavailable) != eligible || rep.Unavailable[0].Reason != rawS3NoClient ||
		!strings.Contains(r.stderr, "CVETL_S3_PATH_STYLE") {
		t.Errorf("retag --all with a bad S3 setting: %+v, want all %d files %s and the setting named", rep, eligible, rawS3NoClient)
	}
}

// uploadedKeys are the file names under in: the object keys' last segments.
func uploadedKeys(t *testing.T, in string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimSuffix(d.Name(), filepath.Ext(d.Name())))
		}
		return err
	})
	return out
}

// objectOf is the key of the stored file with this hash in s3://cvs/.
func objectOf(t *testing.T, db, sha string) string {
	t.Helper()
	loc := queryStrings(t, db, `SELECT location FROM files WHERE sha256 = ?`, sha)
	if len(loc) != 1 || !strings.HasPrefix(loc[0], "s3://cvs/") {
		t.Fatalf("file %s: location %v, want one s3://cvs/ object", sha[:12], loc)
	}
	return strings.TrimPrefix(loc[0], "s3://cvs/")
}

func decodeRetag(t *testing.T, r runResult) retagSummary {
	t.Helper()
	var rep retagSummary
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("retag summary is not JSON: %v\n%s", err, r.stdout)
	}
	return rep
}

// assertNoKeys fails when a command's output names an input: keys may be names.
func assertNoKeys(t *testing.T, what string, r runResult, keys []string) {
	t.Helper()
	for _, k := range keys {
		if len(k) >= 6 && (strings.Contains(r.stderr, k) || strings.Contains(r.stdout, k)) {
			t.Errorf("%s: the output names the input %q", what, k)
		}
	}
}
