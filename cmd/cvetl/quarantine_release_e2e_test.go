package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// releaseFixture is a fictional CV over a 1 KB file cap, and a truncated PDF.
const releaseFixture = "../../testdata/quarantine-release/isla-fenwick-cv.txt"

// TestQuarantineReleaseReadsAgain is the operator's way back for files a reader
// limitation quarantined: a CV and a damaged PDF over a lowered limits.max_file_bytes
// are quarantined whole as too_large; raising the limit is not enough (the next ingest
// knows their hashes); a dry run writes nothing; an unknown prefix is an error naming
// it; the release marks their rows and records one audit entry with hashes only; the
// next ingest reads the CV into a profile under its original location, and quarantines
// the PDF again with its real reason, keeping both histories.
func TestQuarantineReleaseReadsAgain(t *testing.T) {
	dir := t.TempDir()
	in, db, out := filepath.Join(dir, "inbox"), filepath.Join(dir, "cvetl.duckdb"), filepath.Join(dir, "out")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	shas := map[string]string{}
	for name, src := range map[string]string{"isla-fenwick-cv.txt": releaseFixture, "damaged-cv.pdf": filepath.Join(inbox, "bad", "truncated.pdf")} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= 1024 {
			t.Fatalf("%s is %d bytes: the test needs it over the 1 KB cap", name, len(b))
		}
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		shas[name] = hex.EncodeToString(sum[:])
	}
	cv, pdf := shas["isla-fenwick-cv.txt"], shas["damaged-cv.pdf"]
	small, raised := filepath.Join(dir, "small.yaml"), filepath.Join(dir, "raised.yaml")
	os.WriteFile(small, []byte("limits:\n  max_file_bytes: 1024\n  max_decompressed_bytes: 1048576\n"), 0o644)
	os.WriteFile(raised, []byte("limits:\n  max_file_bytes: 52428800\n  max_decompressed_bytes: 104857600\n"), 0o644)
	ingest := func(config string) summary {
		t.Helper()
		r := cvetl(t, "--config", config, "--db", db, "--out", out, "ingest", "--json", in)
		if r.code != 0 {
			t.Fatalf("ingest: exit %d: %s", r.code, r.stderr)
		}
		return decodeSummary(t, r)
	}
	if s := ingest(small); s.FilesQuarantined != 2 || s.QuarantinedByReason["too_large"] != 2 {
		t.Fatalf("under a 1 KB cap: %+v, want both files quarantined as too_large", s)
	}
	if s := ingest(raised); s.FilesDuplicate != 2 || s.FilesNew != 0 {
		t.Fatalf("after raising the cap, before a release: %+v, want both still known", s)
	}

	// A dry run lists them and writes nothing: not the store, not the audit log.
	before := releaseState(t, db)
	r := cvetl(t, "--db", db, "--out", out, "quarantine", "release", "--dry-run", "--reason", "too_large")
	if r.code != 0 || !strings.Contains(r.stdout, "2 files would be released (dry run) (too_large 2)") ||
		!strings.Contains(r.stdout, cv) || !strings.Contains(r.stdout, pdf) {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after := releaseState(t, db); after != before {
		t.Errorf("the dry run changed the store or the audit log:\nbefore %s\nafter  %s", before, after)
	}

	// Mistakes are clear errors that change nothing.
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"ffffff0"}, `ffffff0: the store holds no file with that hash`},
		{[]string{"--reason", "bad_rows"}, "there is no whole file to release"},
		{[]string{"--reason", "typo"}, `"typo" is not a quarantine reason`},
		{[]string{"xyz123"}, `"xyz123": not a hex SHA-256 prefix`},
		{nil, "choose what to release"},
	} {
		r := cvetl(t, append([]string{"--db", db, "--out", out, "quarantine", "release"}, bad.args...)...)
		if r.code != exitPartial || !strings.Contains(r.stderr, bad.want) {
			t.Errorf("release %v: exit %d, stderr %q; want exit 1 naming %q", bad.args, r.code, r.stderr, bad.want)
		}
	}
	if after := releaseState(t, db); after != before {
		t.Errorf("a refused release changed the store or the audit log")
	}

	r = cvetl(t, "--db", db, "--out", out, "quarantine", "release", "--json", "--reason", "too_large", "--since", "2020-01-01")
	if r.code != 0 {
		t.Fatalf("release: exit %d: %s", r.code, r.stderr)
	}
	var rel releaseSummary
	if err := json.Unmarshal([]byte(r.stdout), &rel); err != nil {
		t.Fatalf("release summary: %v\n%s", err, r.stdout)
	}
	if rel.Files != 2 || rel.RunID == 0 || rel.DryRun || rel.ByReason["too_large"] != 2 {
		t.Errorf("release summary = %+v", rel)
	}
	if strings.Contains(r.stdout+r.stderr, "isla") || strings.Contains(r.stdout+r.stderr, in) {
		t.Errorf("the release output names a file or path:\n%s%s", r.stdout, r.stderr)
	}
	entries := auditLog(t, db)
	last := entries[len(entries)-1]
	if last.Action != "release_quarantine" || last.RunID != rel.RunID || last.Detail["files"] != "2" ||
		!strings.Contains(last.Detail["sha256"], cv) || !strings.Contains(last.Detail["sha256"], pdf) {
		t.Errorf("audit entry = %+v", last)
	}
	if b, _ := os.ReadFile(auditLogPath(db)); strings.Contains(string(b), "isla") || strings.Contains(string(b), in) {
		t.Error("the audit log names a released file or its path")
	}

	s := ingest(raised)
	if s.FilesNew != 2 || s.FilesQuarantined != 1 || s.QuarantinedByReason["too_large"] != 0 || s.Candidates != 1 {
		t.Fatalf("ingest after the release: %+v, want the CV read and the PDF quarantined again for what it is", s)
	}
	ro := openDB(t, db)
	defer ro.Close()
	var location, email string
	if err := ro.QueryRow(`SELECT s.location, p.emails[1] FROM profiles p JOIN sources s USING (profile_id) WHERE p.file_sha256 = ?`, cv).
		Scan(&location, &email); err != nil {
		t.Fatalf("no profile from the released CV: %v", err)
	}
	if location != filepath.Join(in, "isla-fenwick-cv.txt") || email != "isla.fenwick@example.com" {
		t.Errorf("profile from %s with %s, want the original location and the CV's e-mail", location, email)
	}
	history := func(sha string) string {
		return queryText(t, ro, `SELECT reason, released_at IS NOT NULL, released_run = `+fmt.Sprint(rel.RunID)+
			` FROM quarantine WHERE file_sha256 = '`+sha+`' ORDER BY run_id`)
	}
	if h := history(cv); h != "too_large true true" {
		t.Errorf("CV's quarantine history = %q, want its released too_large row kept", h)
	}
	if h := history(pdf); h != "too_large true true\ncorrupt false <nil>" {
		t.Errorf("PDF's quarantine history = %q, want the released row and one standing row with its new reason", h)
	}
	if st := queryText(t, ro, `SELECT sha256 = '`+cv+`', status FROM files ORDER BY 1`); st != "false quarantined\ntrue ingested" {
		t.Errorf("files = %q", st)
	}
	ro.Close()
	if s := ingest(raised); s.FilesNew != 0 || s.FilesDuplicate != 2 {
		t.Errorf("a further ingest: %+v, want both known again", s)
	}
	if r := cvetl(t, "--db", db, "quarantine", "release", cv[:10]); r.code != exitPartial || !strings.Contains(r.stderr, "that file was ingested, not quarantined") {
		t.Errorf("releasing the ingested CV: exit %d, %s", r.code, r.stderr)
	}
	if r := cvetl(t, "--db", db, "audit", "verify"); r.code != 0 {
		t.Errorf("audit verify: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
}

// releaseState is what a release may change: quarantine and files rows, runs, and the
// audit log's bytes.
func releaseState(t *testing.T, db string) string {
	t.Helper()
	ro := openDB(t, db)
	defer ro.Close()
	b, err := os.ReadFile(auditLogPath(db))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return queryText(t, ro, `SELECT * FROM quarantine ORDER BY ALL`) + "\n" +
		queryText(t, ro, `SELECT sha256, status FROM files ORDER BY ALL`) + "\n" +
		queryText(t, ro, `SELECT run_id, kind, status FROM runs ORDER BY ALL`) + "\n" + string(b)
}
