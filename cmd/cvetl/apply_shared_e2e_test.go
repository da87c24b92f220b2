package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedExports holds fictional exports that name several people.
const sharedExports = "../../testdata/shared-exports"

// sharedStore is a store ingested from a folder, driven through the real binary.
type sharedStore struct {
	t           *testing.T
	db, out, in string
	day         time.Time // each erasure runs the nightly one day later
	logs        strings.Builder
	lastApply   string   // apply's stdout
	global      []string // flags before every command (--config)
}

func newSharedStore(t *testing.T, files ...string) *sharedStore {
	t.Helper()
	return newSharedStoreWith(t, nil, files...)
}

// newSharedStoreWith is newSharedStore with flags given before every command.
func newSharedStoreWith(t *testing.T, global []string, files ...string) *sharedStore {
	t.Helper()
	dir := t.TempDir()
	s := &sharedStore{t: t, db: filepath.Join(dir, "s.duckdb"), out: filepath.Join(dir, "out"),
		in: filepath.Join(dir, "inbox"), day: time.Now().UTC(), global: global}
	if err := os.MkdirAll(s.in, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(sharedExports, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(s.in, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.run("ingest", s.in); !strings.Contains(r.stdout, "quarantined") {
		t.Fatalf("ingest: %s", r.stdout)
	}
	return s
}

func (s *sharedStore) run(args ...string) runResult {
	s.t.Helper()
	return mustRun(s.t, &s.logs, append(append([]string{"--db", s.db, "--out", s.out}, s.global...), args...)...)
}

func (s *sharedStore) subject(email string) string {
	s.t.Helper()
	return strings.TrimSpace(s.run("subject", "find", email).stdout)
}

// erase asks for the person's erasure, runs the nightly, approves their row and applies
// it; wantCode is apply's exit status.
func (s *sharedStore) erase(email string, wantCode int) {
	s.t.Helper()
	id := s.subject(email)
	s.run("subject", "erase", email, "--policy", "121-recruitment")
	day := s.day.Format(time.DateOnly)
	s.run("nightly", "--as-of", day, "--policy", "121-recruitment")
	s.day = s.day.AddDate(0, 0, 1)
	var list []struct{ ID, Kind string }
	if err := json.Unmarshal([]byte(s.run("manifest", "list", "--json").stdout), &list); err != nil {
		s.t.Fatal(err)
	}
	m := ""
	for _, l := range list {
		if l.Kind == "deletion" && strings.HasPrefix(l.ID, "deletion-"+day+"-") {
			m = l.ID
		}
	}
	s.run("manifest", "approve", m, id+"/erasure", "--reviewer", "Rev One")
	r := cvetl(s.t, append(append([]string{"--db", s.db, "--out", s.out}, s.global...), "apply")...)
	s.logs.WriteString(r.stderr)
	if r.code != wantCode {
		s.t.Fatalf("apply: exit %d, want %d\n%s\n%s", r.code, wantCode, r.stdout, r.stderr)
	}
	s.lastApply = r.stdout
}

// wantRaw checks the apply summary's raw-files line.
func (s *sharedStore) wantRaw(deleted, rewritten, deletedShared int) {
	s.t.Helper()
	want := fmt.Sprintf("raw files: %d deleted, %d rewritten without the erased records, %d shared with others deleted whole\n",
		deleted, rewritten, deletedShared)
	if !strings.Contains(s.lastApply, want) {
		s.t.Errorf("apply summary lacks %q:\n%s", want, s.lastApply)
	}
}

// profilesOf reads every stored profile column of the subjects, as text, to compare.
// wantLastErasureDeleted checks the erasure of a file's last applicant: nobody
// else's record is left in it, so it was deleted whole, not rewritten.
func (s *sharedStore) wantLastErasureDeleted(path string) {
	s.t.Helper()
	s.wantRaw(1, 0, 0)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		s.t.Errorf("the export is still there after its last applicant's erasure: %v", err)
	}
}

func (s *sharedStore) profilesOf(ids ...string) string {
	s.t.Helper()
	db := openDB(s.t, s.db)
	defer db.Close()
	var out []string
	for _, id := range ids {
		rows, err := db.Query(`SELECT CAST(p AS VARCHAR), CAST(src AS VARCHAR) FROM profiles p JOIN sources src USING (profile_id)
		    WHERE p.subject_id = ? ORDER BY p.profile_id`, id)
		if err != nil {
			s.t.Fatal(err)
		}
		for rows.Next() {
			var p, src string
			if err := rows.Scan(&p, &src); err != nil {
				s.t.Fatal(err)
			}
			out = append(out, p, src)
		}
		rows.Close()
	}
	if len(out) == 0 {
		s.t.Fatalf("no profiles of %v", ids)
	}
	return strings.Join(out, "\n")
}

func (s *sharedStore) count(q string, args ...any) int {
	s.t.Helper()
	db := openDB(s.t, s.db)
	defer db.Close()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// reingest reads the folder again; nothing in it may be new.
func (s *sharedStore) reingest() {
	s.t.Helper()
	profiles := s.count(`SELECT count(*) FROM profiles`)
	if r := s.run("ingest", s.in); !strings.Contains(r.stdout, " 0 new,") {
		s.t.Errorf("re-ingest of the folder after the rewrite found new files:\n%s", r.stdout)
	}
	if n := s.count(`SELECT count(*) FROM profiles`); n != profiles {
		s.t.Errorf("re-ingest: %d profiles, was %d", n, profiles)
	}
}

// verifyClean runs verify-erasure for an erased subject: it must find nothing.
func (s *sharedStore) verifyClean(subjectID string) {
	s.t.Helper()
	if r := cvetl(s.t, "--db", s.db, "--out", s.out, "verify-erasure", subjectID); r.code != 0 {
		s.t.Errorf("verify-erasure %s: exit %d\n%s\n%s", subjectID, r.code, r.stdout, r.stderr)
	}
}

func (s *sharedStore) noPersonalDataLogged(values ...string) {
	s.t.Helper()
	audit, err := os.ReadFile(auditLogPath(s.db))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, v := range values {
		if strings.Contains(s.logs.String(), v) || bytes.Contains(audit, []byte(v)) {
			s.t.Errorf("logs or the audit log hold %q", v)
		}
	}
}

// eraseOneRecord erases the subject with email, whose record in the shared export at
// path is the one line naming name, and checks that the file lost exactly that line,
// every other byte kept, and that the stored data of the subjects others did not
// change. It returns the rewritten bytes.
func (s *sharedStore) eraseOneRecord(path, email, name string, others ...string) []byte {
	s.t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	before := s.profilesOf(others...)
	s.erase(email, 0)
	s.wantRaw(0, 1, 0)
	got, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatalf("the shared export was deleted: %v", err)
	}
	if want := strings.Replace(string(orig), lineOf(s.t, orig, name), "", 1); string(got) != want {
		s.t.Fatalf("after erasing one record the export is\n%q\nwant\n%q", got, want)
	}
	if after := s.profilesOf(others...); after != before {
		s.t.Errorf("the other subjects' stored data changed:\n%s\nwas\n%s", after, before)
	}
	return got
}

func lineOf(t *testing.T, data []byte, needle string) string {
	t.Helper()
	for _, l := range strings.SplitAfter(string(data), "\n") {
		if strings.Contains(l, needle) {
			return l
		}
	}
	t.Fatalf("no line holds %q", needle)
	return ""
}

// TestErasureCutsOnePersonOutOfASharedCSVExport: erasing one of three applicants in a
// job board's CSV export removes exactly their row (the other bytes, CRLF line ends, a
// quoted two-line field and a blank line kept), re-ingesting the folder adds nothing,
// verification finds no residue, the others' stored data is untouched, and the audit
// log records counts and hashes. A second erasure from the same file follows the chain
// of rewrites; erasing the last person deletes the file.
func TestErasureCutsOnePersonOutOfASharedCSVExport(t *testing.T) {
	s := newSharedStore(t, "applicants.csv")
	path := filepath.Join(s.in, "applicants.csv")
	alice, bruno, carla := s.subject("alice.fictional@example.com"), s.subject("bruno.madeup@example.com"), s.subject("carla.invented@example.com")

	got := s.eraseOneRecord(path, "bruno.madeup@example.com", "Bruno Madeup", alice, carla)
	for _, v := range []string{"Bruno", "Madeup", "bruno.madeup", "900222", "YO1 7HH", "fabrication"} {
		if bytes.Contains(got, []byte(v)) {
			t.Errorf("the rewritten export still holds %q", v)
		}
	}
	if n := s.count(`SELECT count(*) FROM raw_rewrites r JOIN erased_files e ON e.sha256 = r.old_sha256`); n != 1 {
		t.Errorf("%d rewrites whose old content is in erased_files, want 1", n)
	}
	s.reingest()
	s.verifyClean(bruno)
	// The verification reads the rewritten file: a planted copy of the erased person's
	// e-mail is found there (and reported by the file's hash, not its name).
	if err := os.WriteFile(path, append(append([]byte{}, got...), "bruno.madeup@example.com\r\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := cvetl(t, "--db", s.db, "--out", s.out, "verify-erasure", bruno); r.code != 2 ||
		!strings.Contains(r.stdout, "RESIDUE raw raw file ") || strings.Contains(r.stdout, "applicants") || strings.Contains(r.stdout, "bruno.madeup") {
		t.Errorf("verify-erasure with the e-mail planted in the rewritten export: exit %d\n%s", r.code, r.stdout)
	}
	if err := os.WriteFile(path, got, 0o644); err != nil {
		t.Fatal(err)
	}
	audit, _ := os.ReadFile(auditLogPath(s.db))
	if !bytes.Contains(audit, []byte(`"raw_files_rewritten":"1"`)) || !bytes.Contains(audit, []byte(`"raw_rewrites_sha256":"`)) {
		t.Errorf("the apply_delete audit entry lacks the rewrite's count and hashes:\n%s", audit)
	}

	// A second erasure from the same file: the rows have moved up since ingest.
	s.eraseOneRecord(path, "carla.invented@example.com", "Carla Invented", alice)
	s.reingest()
	s.verifyClean(bruno)
	s.verifyClean(carla)

	// The last person in the file: nobody else's record is left, so it goes.
	s.erase("alice.fictional@example.com", 0)
	s.wantLastErasureDeleted(path)
	s.verifyClean(alice)
	s.noPersonalDataLogged("Alice", "Bruno", "Carla", "bruno.madeup", "applicants.csv")
}

// TestSharedFileThatCannotBeCutIsDeletedWholeAndCounted: an e-mail carrying two
// applicants is not a record-per-row export; erasing one deletes it whole, as before,
// and the run counts it so the operator sees the other applicant lost their raw copy.
func TestSharedFileThatCannotBeCutIsDeletedWholeAndCounted(t *testing.T) {
	s := newSharedStore(t, "forwarded.eml")
	elena := s.subject("elena.pretend@example.com")
	kept := s.profilesOf(elena)
	s.erase("dmitri.notreal@example.com", 0)
	s.wantRaw(0, 0, 1)
	if _, err := os.Stat(filepath.Join(s.in, "forwarded.eml")); !os.IsNotExist(err) {
		t.Errorf("the shared e-mail was not deleted: %v", err)
	}
	if after := s.profilesOf(elena); after != kept {
		t.Errorf("the other applicant's stored data changed:\n%s\nwas\n%s", after, kept)
	}
	if n := s.count(`SELECT count(*) FROM raw_rewrites`); n != 0 {
		t.Errorf("%d rewrites recorded for a file deleted whole", n)
	}
}

// TestSharedExportChangedSinceIngestIsLeftAlone: an export whose bytes changed after
// ingest is another input: apply leaves it as it is (as for any changed file) and the
// verification reports the raw file.
func TestSharedExportChangedSinceIngestIsLeftAlone(t *testing.T) {
	s := newSharedStore(t, "applicants.csv")
	path := filepath.Join(s.in, "applicants.csv")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("Fran Imaginary,fran.imaginary@example.com,07700 900666,\"Bradford, BD1 1AA\",driving,\r\n")
	f.Close()
	changed, _ := os.ReadFile(path)
	bruno := s.subject("bruno.madeup@example.com")
	s.erase("bruno.madeup@example.com", 2)
	s.wantRaw(0, 0, 0)
	if got, _ := os.ReadFile(path); !bytes.Equal(got, changed) {
		t.Errorf("a file changed since ingest was rewritten:\n%q", got)
	}
	if !strings.Contains(s.lastApply, "RESIDUE raw raw file ") || !strings.Contains(s.lastApply, "raw input file of "+bruno) {
		t.Errorf("verification does not report the changed raw file:\n%s", s.lastApply)
	}
}

// TestOthersProvenanceAfterASharedFileIsDeletedWhole: an e-mail from a job board
// carrying two applicants cannot be cut, so erasing one deletes it whole. The other
// applicant's record stays truthful: their rights export still has the source (channel,
// when received) and lists the file as deleted on the day of the erasure, its README
// says so without naming the erased person, the archive imports into a fresh store,
// and their Article 14 notice still names the board and the date.
func TestOthersProvenanceAfterASharedFileIsDeletedWhole(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(demoConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "reed.yaml")
	if err := os.WriteFile(cfg, bytes.Replace(b, []byte("sources:\n"), []byte("sources:\n  - {match: \"forwarded.eml\", channel: \"job_board:reed\"}\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newSharedStoreWith(t, []string{"--config", cfg}, "forwarded.eml")
	elena := s.subject("elena.pretend@example.com")
	ingestDay := s.day
	received := ingestDay.Format(time.DateOnly)
	s.erase("dmitri.notreal@example.com", 0)
	s.wantRaw(0, 0, 1)

	archive := filepath.Join(dir, "elena.zip")
	s.run("subject", "export", elena, "--out", archive)
	z, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	read := func(name string) []byte {
		t.Helper()
		f, err := z.Open(name)
		if err != nil {
			t.Fatalf("the export has no %s: %v", name, err)
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var doc struct {
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(read("subject.json"), &doc); err != nil {
		t.Fatal(err)
	}
	sources, gone := doc.Tables["sources"], doc.Tables["raw_file_deletions"]
	if len(sources) != 1 || sources[0]["channel"] != "job_board:reed" || !strings.HasPrefix(fmt.Sprint(sources[0]["received_at"]), received) {
		t.Errorf("the export's sources: %v, want one from job_board:reed received %s", sources, received)
	}
	today := time.Now().UTC().Format(time.DateOnly) // apply's clock: the day it ran
	if len(gone) != 1 || gone[0]["file_sha256"] != sources[0]["file_sha256"] || !strings.HasPrefix(fmt.Sprint(gone[0]["deleted_at"]), today) ||
		gone[0]["cause"] != "erasure_of_another_subject" {
		t.Errorf("the export's raw_file_deletions: %v, want the source's file deleted on %s by another's erasure", gone, today)
	}
	readme := string(read("README.txt"))
	if !strings.Contains(readme, "no longer exist: deleted on "+today+", when another person") {
		t.Errorf("the export's README does not say the file was deleted:\n%s", readme)
	}
	for _, v := range []string{"Dmitri", "dmitri", "Notreal"} {
		if bytes.Contains(read("subject.json"), []byte(v)) || strings.Contains(readme, v) {
			t.Errorf("the remaining person's export names the erased one (%q)", v)
		}
	}
	if r := mustRun(t, &s.logs, "--db", filepath.Join(dir, "fresh.duckdb"), "subject", "import-export", archive); !strings.Contains(r.stdout, "subject "+elena+" imported") {
		t.Errorf("import-export: %s", r.stdout)
	}

	r := s.run("notices", "render", "--as-of", s.day.Format(time.DateOnly), "--policy", "121-recruitment")
	text, err := os.ReadFile(filepath.Join(s.out, "notices", s.day.Format(time.DateOnly), elena+".txt"))
	if err != nil {
		t.Fatalf("no notice for the remaining applicant: %v\n%s", err, r.stdout)
	}
	if want := "Reed, " + ingestDay.Format("2 January 2006"); !strings.Contains(string(text), want) {
		t.Errorf("the remaining applicant's notice lacks %q:\n%s", want, text)
	}
}
