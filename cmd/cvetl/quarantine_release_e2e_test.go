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
	"time"
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

// TestQuarantineReleaseFromCopies reads released files from their quarantine copies
// after the inbox was cleaned: DOCX files over a lowered decompression cap and a
// truncated PDF are quarantined with copies; with the cap raised, --from-copies ingests
// the DOCX whose copy is there under its original location, channel and received
// time, quarantines the PDF again, and leaves the DOCX whose copy is gone released for
// the next ingest of its inbox.
func TestQuarantineReleaseFromCopies(t *testing.T) {
	dir := t.TempDir()
	in, db, out := filepath.Join(dir, "inbox"), filepath.Join(dir, "cvetl.duckdb"), filepath.Join(dir, "out")
	files := map[string]string{
		"agency-brightstaff/BrightStaff - Rhys Evans.docx": filepath.Join(inbox, "agency-brightstaff", "BrightStaff - Rhys Evans.docx"),
		"direct/priya-raman-cv.docx":                       filepath.Join(inbox, "direct", "priya-raman-cv.docx"),
		"bad/damaged.pdf":                                  filepath.Join(inbox, "bad", "truncated.pdf"),
	}
	shas := map[string]string{}
	for name, src := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(in, name)), 0o755)
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		shas[name] = hex.EncodeToString(sum[:])
	}
	rhys, priya, pdf := shas["agency-brightstaff/BrightStaff - Rhys Evans.docx"], shas["direct/priya-raman-cv.docx"], shas["bad/damaged.pdf"]
	rules := "sources:\n  - {match: \"agency-brightstaff/\", channel: \"agency:brightstaff\"}\n"
	capped, raised := filepath.Join(dir, "capped.yaml"), filepath.Join(dir, "raised.yaml")
	os.WriteFile(capped, []byte(rules+"limits:\n  max_file_bytes: 52428800\n  max_decompressed_bytes: 2000\n"), 0o644)
	os.WriteFile(raised, []byte(rules), 0o644)
	r := cvetl(t, "--config", capped, "--db", db, "--out", out, "ingest", "--json", in)
	if s := decodeSummary(t, r); r.code != 0 || s.FilesQuarantined != 3 || s.QuarantinedByReason["decompression_cap"] != 2 {
		t.Fatalf("under a 2 KB decompression cap: exit %d, %+v, want both DOCX over the cap", r.code, s)
	}
	ro := openDB(t, db)
	var received time.Time
	if err := ro.QueryRow(`SELECT received_at FROM files WHERE sha256 = ?`, rhys).Scan(&received); err != nil {
		t.Fatal(err)
	}
	ro.Close()
	// The inbox is cleaned, and one copy is gone.
	if err := os.RemoveAll(in); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "quarantine", priya)); err != nil {
		t.Fatal(err)
	}

	r = cvetl(t, "--config", raised, "--db", db, "--out", out, "quarantine", "release", "--from-copies", "--all", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "from copies: 2 files would be read from their copies; 1 left") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cvetl(t, "--config", raised, "--db", db, "--out", out, "quarantine", "release", "--from-copies", "--all", "--json")
	if r.code != 0 {
		t.Fatalf("release --from-copies: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	var rel releaseSummary
	if err := json.Unmarshal([]byte(r.stdout), &rel); err != nil {
		t.Fatalf("release summary: %v\n%s", err, r.stdout)
	}
	fc := rel.FromCopies
	if rel.Files != 3 || fc == nil || fc.Files != 2 || fc.RunID <= rel.RunID || fc.Summary.FilesNew != 2 ||
		fc.Summary.FilesQuarantined != 1 || fc.Summary.QuarantinedByReason["corrupt"] != 1 || fc.Summary.Candidates != 1 ||
		len(fc.Left) != 1 || fc.Left[0] != priya {
		t.Fatalf("release summary = %+v, from copies %+v", rel, fc)
	}
	for _, name := range []string{"Rhys", "Evans", "priya", "BrightStaff", dir} {
		if strings.Contains(r.stdout+r.stderr, name) {
			t.Errorf("the release output names %q", name)
		}
	}

	ro = openDB(t, db)
	defer ro.Close()
	var location, channel string
	var sourceReceived time.Time
	if err := ro.QueryRow(`SELECT s.location, s.channel, s.received_at FROM sources s JOIN profiles p USING (profile_id) WHERE p.file_sha256 = ?`, rhys).
		Scan(&location, &channel, &sourceReceived); err != nil {
		t.Fatalf("no profile from the copy: %v", err)
	}
	if location != filepath.Join(in, "agency-brightstaff", "BrightStaff - Rhys Evans.docx") || channel != "agency:brightstaff" || !sourceReceived.Equal(received) {
		t.Errorf("read from its copy: location %s, channel %s, received %s; want the original %s", location, channel, sourceReceived, received)
	}
	if got := queryText(t, ro, `SELECT sha256 = '`+rhys+`', status, location = '`+filepath.Join(in, "bad", "damaged.pdf")+`' OR sha256 = '`+rhys+`'
	    FROM files ORDER BY 1`); got != "false quarantined true\ntrue ingested true" {
		t.Errorf("files = %q, want the PDF quarantined again at its original location and the DOCX ingested; the DOCX without a copy released", got)
	}
	if got := queryText(t, ro, `SELECT reason, released_at IS NOT NULL FROM quarantine WHERE file_sha256 = '`+pdf+`' ORDER BY run_id`); got != "corrupt true\ncorrupt false" {
		t.Errorf("PDF's quarantine history = %q", got)
	}
	if got := queryText(t, ro, `SELECT count(*) FILTER (WHERE released_at IS NULL), count(*) FROM quarantine WHERE file_sha256 = '`+priya+`'`); got != "0 1" {
		t.Errorf("the DOCX without a copy: quarantine rows standing/all = %q, want its one row released", got)
	}
}
