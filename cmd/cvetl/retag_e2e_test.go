package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/internal/sqlrows"
)

// retagInbox is the sample inbox plus testdata/retag's inputs, whose disclosures the
// rules alone miss, nearly all received long ago (so the nightly deletion manifest
// erases most of their subjects).
func retagInbox(t *testing.T, dir string) string {
	t.Helper()
	old := map[string]string{"default": "2024-01-15"}
	in := copyInbox(t, inbox, filepath.Join(dir, "inbox"), old)
	// One subject arrived recently: the deletion manifest keeps them.
	copyInbox(t, "../../testdata/retag/direct", filepath.Join(in, "retag"), map[string]string{"default": "2024-01-15", "ifeoma-castellan.txt": "2026-11-20"})
	copyInbox(t, "../../testdata/retag/totaljobs", filepath.Join(in, "totaljobs", "retag"), old)
	return in
}

// demoConfigWith writes the demo config with its learned line replaced (line "" drops
// it, leaving the default).
func demoConfigWith(t *testing.T, dir, name, line string) string {
	t.Helper()
	b, err := os.ReadFile(demoConfig)
	if err != nil {
		t.Fatal(err)
	}
	const shipped = "  learned: vetted\n"
	if !strings.Contains(string(b), shipped) {
		t.Fatalf("%s no longer holds %q: update this test", demoConfig, shipped)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), shipped, line, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// parsedEvidence lists the evidence `cvetl parse` reports with config cfg for every
// file under in: what the raw inputs hold.
func parsedEvidence(t *testing.T, cfg, in string) map[string]bool {
	t.Helper()
	var files []string
	filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	out := map[string]bool{}
	for _, e := range parseEvidence(t, append([]string{"--config", cfg, "parse"}, files...)...) {
		out[e] = true
	}
	return out
}

func count(t *testing.T, db, q string, args ...any) int {
	t.Helper()
	s := openDB(t, db)
	defer s.Close()
	var n int
	if err := s.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestRetagSealsWhatTheRulesMissed ingests with the rules alone, then re-tags with the
// default detector: the new findings are sealed in restricted only, under the
// subjects' keys, decrypt to evidence the raw inputs hold, leave every earlier row as
// it was, and are erased with their subjects. A dry run writes nothing, a second run
// adds nothing, and a changed or missing raw file is counted unavailable.
func TestRetagSealsWhatTheRulesMissed(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	in := retagInbox(t, dir)
	rules := demoConfigWith(t, dir, "rules.yaml", "  learned: off\n")
	current := demoConfigWith(t, dir, "default.yaml", "")
	db, out := filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out")
	run := func(want int, cfg string, args ...string) runResult {
		t.Helper()
		r := cvetlEnv(t, env, append([]string{"--config", cfg, "--db", db, "--out", out}, args...)...)
		if r.code != want {
			t.Fatalf("cvetl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
		}
		return r
	}
	retag := func(cfg string, args ...string) (retagSummary, runResult) {
		t.Helper()
		r := run(0, cfg, append([]string{"retag", "--json"}, args...)...)
		var rep retagSummary
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("retag summary is not JSON: %v\n%s", err, r.stdout)
		}
		return rep, r
	}
	run(0, rules, "ingest", in)
	before := storeEvidence(t, db, env)
	subjects := count(t, db, `SELECT count(*) FROM subjects`)
	auditLog := auditLogPath(db)
	auditBefore, _ := os.ReadFile(auditLog)

	// A dry run reports and writes nothing.
	snap, runs := snapshot(t, db), count(t, db, `SELECT count(*) FROM runs`)
	dry, _ := retag(current, "--dry-run")
	if dry.newFindings() == 0 || !dry.DryRun {
		t.Fatalf("the default detector found nothing the rules missed: %+v", dry)
	}
	auditNow, _ := os.ReadFile(auditLog)
	if snapshot(t, db) != snap || count(t, db, `SELECT count(*) FROM runs`) != runs ||
		count(t, db, `SELECT count(*) FROM restricted`) != len(before) || string(auditNow) != string(auditBefore) {
		t.Fatal("a dry run changed the store or the audit log")
	}

	wet, r := retag(current)
	if wet.newFindings() != dry.newFindings() || wet.ProfilesRedacted != dry.ProfilesRedacted || wet.FilesChecked != wet.FilesListed || wet.FilesUnavailable+wet.FilesFailed != 0 {
		t.Fatalf("retag %+v differs from its dry run %+v", wet, dry)
	}
	if wet.ProfilesRedacted == 0 {
		t.Error("no profile was re-redacted, though a disclosure sits in an export's Skills column")
	}
	t.Logf("retag: %+v", wet)
	after := storeEvidence(t, db, env)
	old := map[string]taggedEvidence{}
	for _, e := range before {
		old[e.tagID] = e
	}
	raw := parsedEvidence(t, current, in)
	var evidence []string
	added := 0
	for _, e := range after {
		evidence = append(evidence, e.evidence)
		if o, ok := old[e.tagID]; ok {
			if o != e {
				t.Errorf("sealed row %s changed", e.tagID)
			}
			delete(old, e.tagID)
			continue
		}
		added++
		if !raw[e.evidence] {
			t.Errorf("new tag %s decrypts to a string the raw inputs do not hold (%d bytes)", e.tagID, len(e.evidence))
		}
	}
	if len(old) != 0 || added != wet.newFindings() {
		t.Errorf("retag removed %d sealed rows and added %d, reported %d", len(old), added, wet.newFindings())
	}
	if n := count(t, db, `SELECT count(*) FROM restricted WHERE run_id = ?`, wet.RunID); n != added {
		t.Errorf("%d rows carry the retag run's id, want %d", n, added)
	}
	if n := count(t, db, `SELECT count(*) FROM restricted r JOIN profiles p USING (profile_id)
	    WHERE r.run_id = ? AND r.subject_id = p.subject_id`, wet.RunID); n != added {
		t.Errorf("%d of %d new rows belong to their profile's subject", n, added)
	}
	if n := count(t, db, `SELECT count(*) FROM subjects`); n != subjects {
		t.Errorf("retag changed the subjects: %d, was %d", n, subjects)
	}
	if n := count(t, db, `SELECT count(*) FROM profiles WHERE contains(profile_id, '~')`); n != 0 {
		t.Errorf("%d profiles left under a temporary id", n)
	}
	if n := count(t, db, `SELECT count(*) FROM runs WHERE run_id = ? AND kind = 'retag' AND status = 'completed'`, wet.RunID); n != 1 {
		t.Error("the retag run is not in the ledger as completed")
	}
	logBytes, _ := os.ReadFile(auditLog)
	if !strings.Contains(string(logBytes), `"action":"retag"`) {
		t.Error("no audit entry for the retag run")
	}
	assertEvidenceOnlyRestricted(t, db, evidence, r.stdout+r.stderr+string(logBytes))

	// The store now says what an ingest with the current detector would have said.
	direct := filepath.Join(dir, "direct.duckdb")
	if r := cvetlEnv(t, env, "--config", current, "--db", direct, "--out", filepath.Join(dir, "out2"), "ingest", in); r.code != 0 {
		t.Fatalf("direct ingest: %s", r.stderr)
	}
	for _, q := range []string{
		`SELECT * EXCLUDE (run_id) FROM profiles ORDER BY profile_id`,
		`SELECT profile_id, subject_id, category, coalesce(condition, ''), detector, start_offset, end_offset FROM restricted ORDER BY ALL`,
	} {
		if got, want := storeText(t, db, q), storeText(t, direct, q); got != want {
			t.Errorf("after retag, %q differs from a direct ingest with the current detector:\n%s", q, firstDiff(got, want))
		}
	}

	// Idempotent: a second run reads nothing (every file now carries the current
	// detector's fingerprint), and one that re-reads everything adds nothing.
	if again, _ := retag(current); again.FilesChecked+again.FilesListed != 0 || again.FilesCurrent != wet.FilesListed || again.Detector != wet.Detector {
		t.Errorf("a second retag read files again: %+v", again)
	}
	if again, _ := retag(current, "--all"); again.newFindings() != 0 || again.ProfilesRedacted != 0 || again.FilesChecked != wet.FilesListed || again.FilesCurrent != 0 {
		t.Errorf("a second retag --all changed something: %+v", again)
	}
	if n := count(t, db, `SELECT count(*) FROM restricted`); n != len(after) {
		t.Errorf("a second retag left %d restricted rows, want %d", n, len(after))
	}

	// A file that no longer extracts (here: a decompression cap far below any DOCX) is
	// reported by its hash, never its name, and the run goes on.
	capped := filepath.Join(dir, "capped.yaml")
	b, _ := os.ReadFile(current)
	os.WriteFile(capped, append(b, []byte("limits:\n  max_file_bytes: 52428800\n  max_decompressed_bytes: 2000\n")...), 0o644)
	r = run(1, capped, "retag", "--all", "--dry-run", "--json")
	var failed retagSummary
	if err := json.Unmarshal([]byte(r.stdout), &failed); err != nil {
		t.Fatal(err)
	}
	if failed.FilesFailed == 0 || len(failed.FailedSHA256) != failed.FilesFailed ||
		failed.FilesChecked+failed.FilesFailed != failed.FilesListed || failed.FilesChecked == 0 {
		t.Errorf("files that no longer extract: %+v", failed)
	}
	for _, sha := range failed.FailedSHA256 {
		if count(t, db, `SELECT count(*) FROM files WHERE sha256 = ?`, sha) != 1 {
			t.Errorf("failed file %q is not a stored file's hash", sha)
		}
	}
	filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if name := strings.TrimSuffix(d.Name(), filepath.Ext(d.Name())); err == nil && !d.IsDir() && strings.Contains(r.stdout+r.stderr, name) {
			t.Errorf("retag output names the input %q", d.Name())
		}
		return err
	})

	// A raw file changed or gone since ingest is never read as the old one.
	changed, gone := filepath.Join(in, "retag", "oswin-farthingale.txt"), filepath.Join(in, "retag", "ifeoma-castellan.txt")
	changedBytes, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	goneBytes, _ := os.ReadFile(gone)
	os.WriteFile(changed, append(changedBytes, '\n'), 0o644)
	os.Remove(gone)
	if rep, _ := retag(current, "--all", "--dry-run"); rep.FilesUnavailable != 2 || rep.FilesChecked != rep.FilesListed-2 {
		t.Errorf("changed and missing files: %+v, want 2 unavailable", rep)
	}
	os.WriteFile(changed, changedBytes, 0o644) // as they were, for erasure to find
	os.WriteFile(gone, goneBytes, 0o644)

	// Erasure removes the rows retag sealed, with their subjects, and destroys their keys.
	retagged := queryStrings(t, db, `SELECT DISTINCT subject_id || '|' || key_id FROM restricted WHERE run_id = ? ORDER BY 1`, wet.RunID)
	run(0, current, "nightly", "--as-of", "2026-11-26", "--policy", "it-thread")
	id := deletionManifest(t, run(0, current, "manifest", "list", "--json").stdout)
	run(0, current, "manifest", "approve", id, "--unflagged", "--reviewer", "Rev One")
	var shown struct{ Rows []struct{ RowID string } }
	json.Unmarshal([]byte(run(0, current, "manifest", "show", id, "--flagged", "--json").stdout), &shown)
	for _, row := range shown.Rows {
		run(0, current, "manifest", "approve", id, row.RowID, "--reviewer", "Rev One", "--note", "checked")
	}
	run(0, current, "apply")
	erased := map[string]bool{}
	for _, s := range queryStrings(t, db, `SELECT DISTINCT subject_id FROM erasures`) {
		erased[s] = true
	}
	var erasedKeys []string
	for _, sk := range retagged {
		if s, k, _ := strings.Cut(sk, "|"); erased[s] {
			erasedKeys = append(erasedKeys, k)
		}
	}
	if len(erasedKeys) == 0 || len(erasedKeys) == len(retagged) {
		t.Fatalf("%d of %d subjects with re-tagged findings erased: the test needs some of each", len(erasedKeys), len(retagged))
	}
	if n := count(t, db, `SELECT count(*) FROM restricted WHERE subject_id IN (SELECT subject_id FROM erasures)`); n != 0 {
		t.Errorf("%d restricted rows of erased subjects remain", n)
	}
	keys := openDB(t, keyStorePath(db))
	defer keys.Close()
	var live int
	if err := keys.QueryRow(`SELECT count(*) FROM data_keys WHERE wrapped IS NOT NULL AND list_contains(string_split(?, ','), key_id)`,
		strings.Join(erasedKeys, ",")).Scan(&live); err != nil || live != 0 {
		t.Errorf("%d data keys the new rows of erased subjects were sealed under survive (%v)", live, err)
	}
	// Every other subject's evidence, new rows included, still decrypts.
	kept := 0
	for _, e := range storeEvidence(t, db, env) {
		if _, ok := old[e.tagID]; !ok && !raw[e.evidence] {
			t.Errorf("tag %s decrypts to a string the raw inputs do not hold", e.tagID)
		}
		kept++
	}
	if kept == 0 || count(t, db, `SELECT count(*) FROM restricted WHERE run_id = ?`, wet.RunID) == 0 {
		t.Error("erasure left no re-tagged row of the subjects it kept")
	}
}

func queryStrings(t *testing.T, db, q string, args ...any) []string {
	t.Helper()
	s := openDB(t, db)
	defer s.Close()
	out, err := sqlrows.Strings(context.Background(), s, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func storeText(t *testing.T, db, q string) string {
	t.Helper()
	s := openDB(t, db)
	defer s.Close()
	return queryText(t, s, q)
}
