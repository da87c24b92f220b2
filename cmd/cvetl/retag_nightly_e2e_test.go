package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// retagFixture runs the binary on one store with the master key in env.
type retagFixture struct {
	t        *testing.T
	env      []string
	db, out  string
	rules    string // demo config, learned: off
	current  string // demo config, learned: the default
	policyID string
}

func newRetagFixture(t *testing.T, dir, name string, env []string) retagFixture {
	t.Helper()
	return retagFixture{t: t, env: env, db: filepath.Join(dir, name+".duckdb"), out: filepath.Join(dir, name+"-out"),
		rules: demoConfigWith(t, dir, "rules.yaml", "  learned: off\n"), current: demoConfigWith(t, dir, "default.yaml", ""),
		policyID: "it-thread"}
}

func (s retagFixture) run(want int, cfg string, args ...string) runResult {
	s.t.Helper()
	r := cvetlEnv(s.t, s.env, append([]string{"--config", cfg, "--db", s.db, "--out", s.out}, args...)...)
	if r.code != want {
		s.t.Fatalf("cvetl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

func (s retagFixture) retag(cfg string, args ...string) retagSummary {
	s.t.Helper()
	r := s.run(0, cfg, append([]string{"retag", "--json"}, args...)...)
	var rep retagSummary
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		s.t.Fatalf("retag summary is not JSON: %v\n%s", err, r.stdout)
	}
	return rep
}

// nightly runs the nightly job for asOf and decodes its report.
func (s retagFixture) nightly(cfg string, asOf time.Time, args ...string) (nightlyReport, map[string]json.RawMessage) {
	s.t.Helper()
	r := s.run(0, cfg, append([]string{"nightly", "--json", "--as-of", asOf.Format(time.DateOnly), "--policy", s.policyID}, args...)...)
	var rep nightlyReport
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		s.t.Fatalf("nightly report is not JSON: %v\n%s", err, r.stdout)
	}
	json.Unmarshal([]byte(r.stdout), &raw)
	return rep, raw
}

// retagEligible counts the stored files retag considers: ingested, backing a profile.
func retagEligible(t *testing.T, db string) int {
	return count(t, db, `SELECT count(DISTINCT f.sha256) FROM files f JOIN profiles p ON p.file_sha256 = f.sha256 WHERE f.status = 'ingested'`)
}

// TestRetagAfterIngestReadsNothing: ingest records its detector on every file it
// tagged, so retag with the same config reads none; a config that changes the learned
// mode makes every file stale.
func TestRetagAfterIngestReadsNothing(t *testing.T) {
	dir := t.TempDir()
	s := newRetagFixture(t, dir, "s", []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")})
	in := retagInbox(t, dir)
	for _, cfg := range []string{s.rules, s.current} {
		name := filepath.Base(cfg)
		s.db = filepath.Join(dir, name+".duckdb")
		s.run(0, cfg, "ingest", in)
		eligible := retagEligible(t, s.db)
		rep := s.retag(cfg)
		if rep.FilesCurrent != eligible || rep.FilesListed+rep.FilesChecked+rep.FilesUnavailable != 0 || eligible == 0 {
			t.Errorf("%s: retag right after ingest: %+v, want all %d files current and none read", name, rep, eligible)
		}
		if n := count(t, s.db, `SELECT count(*) FROM files WHERE status = 'ingested' AND detector_fingerprint IS DISTINCT FROM ?`, rep.Detector); n != 0 {
			t.Errorf("%s: %d ingested files do not carry the detector %s", name, n, rep.Detector)
		}
		if n := count(t, s.db, `SELECT count(*) FROM files WHERE status = 'quarantined' AND detector_fingerprint IS NOT NULL`); n != 0 {
			t.Errorf("%s: %d quarantined files claim a detector", name, n)
		}
	}
	// The store ingested with learned: off, seen by the default detector: every file.
	s.db = filepath.Join(dir, "rules.yaml.duckdb")
	off := s.retag(s.rules)
	if rep := s.retag(s.current, "--dry-run"); rep.FilesListed != off.FilesCurrent || rep.FilesCurrent != 0 || rep.Detector == off.Detector {
		t.Errorf("after switching learned off -> default: %+v, want all %d files stale", rep, off.FilesCurrent)
	}
}

// TestNightlyRetagsFilesAnOlderDetectorTagged: after special_categories.learned
// changes, the next nightly re-reads the stored files and seals what the old detector
// missed, as a direct ingest would have; the night after reads none and records no
// retag run; --no-retag skips the step.
func TestNightlyRetagsFilesAnOlderDetectorTagged(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	s := newRetagFixture(t, dir, "s", env)
	in := retagInbox(t, dir)
	s.run(0, s.rules, "ingest", in)
	eligible := retagEligible(t, s.db)
	today := time.Now().UTC()

	first, _ := s.nightly(s.current, today)
	rt := first.Retag
	if rt == nil {
		t.Fatal("nightly --json has no retag object")
	}
	newRows := 0
	for _, n := range rt.NewFindings {
		newRows += n
	}
	if rt.FilesListed != eligible || rt.FilesChecked != eligible || rt.FilesCurrent != 0 || rt.FilesFailed+rt.FilesUnavailable != 0 || newRows == 0 || rt.RunID == 0 {
		t.Fatalf("nightly retag after learned off -> default: %+v, want all %d files read and findings sealed", rt, eligible)
	}
	if n := count(t, s.db, `SELECT count(*) FROM restricted WHERE run_id = ?`, rt.RunID); n != newRows {
		t.Errorf("%d rows carry the nightly's retag run, reported %d", n, newRows)
	}
	if n := count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag' AND status = 'completed' AND run_id < ?`, first.RunID); n != 1 {
		t.Errorf("%d completed retag runs before the retention run, want 1", n)
	}
	direct := newRetagFixture(t, dir, "direct", env)
	direct.run(0, direct.current, "ingest", in)
	for _, q := range []string{
		`SELECT * EXCLUDE (run_id) FROM profiles ORDER BY profile_id`,
		`SELECT profile_id, subject_id, category, coalesce(condition, ''), detector, start_offset, end_offset FROM restricted ORDER BY ALL`,
	} {
		if got, want := storeText(t, s.db, q), storeText(t, direct.db, q); got != want {
			t.Errorf("after nightly, %q differs from a direct ingest with the current detector:\n%s", q, firstDiff(got, want))
		}
	}

	// The next night everything is current: nothing read, no run recorded.
	runs := count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag'`)
	second, _ := s.nightly(s.current, today)
	if rt := second.Retag; rt == nil || rt.FilesCurrent != eligible || rt.FilesListed+rt.FilesChecked != 0 || rt.RunID != 0 || len(rt.NewFindings) != 0 {
		t.Errorf("second nightly retag: %+v, want all %d files current and none read", second.Retag, eligible)
	} else {
		t.Logf("nightly retag step over %d current files: %.3fs", eligible, rt.Seconds)
	}
	if n := count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag'`); n != runs {
		t.Errorf("a nightly with nothing stale recorded a retag run (%d runs, was %d)", n, runs)
	}
	// --no-retag skips the step even when files are stale.
	runs = count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag'`)
	if _, raw := s.nightly(s.rules, today, "--no-retag"); raw["retag"] != nil {
		t.Errorf("nightly --no-retag reported a retag step: %s", raw["retag"])
	}
	if n := count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag'`); n != runs {
		t.Error("nightly --no-retag ran retag")
	}
	// Raw inputs deleted after ingest: every stale file is counted unavailable, none is
	// marked, and nothing is recorded, night after night.
	if err := os.RemoveAll(in); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		rep, _ := s.nightly(s.rules, today)
		if rt := rep.Retag; rt == nil || rt.FilesListed != eligible || rt.FilesUnavailable != eligible || rt.FilesChecked != 0 || rt.RunID != 0 {
			t.Errorf("nightly with the raw inputs gone: %+v, want all %d files unavailable and no run", rep.Retag, eligible)
		}
	}
	if n := count(t, s.db, `SELECT count(*) FROM runs WHERE kind = 'retag'`); n != runs {
		t.Errorf("nightlies that could read no file recorded %d retag runs", n-runs)
	}
}

// TestRetagRaisesTheNoticesAFreshIngestWould: a notice sent before retag found a new
// special category could not name it, so the Art. 14 notices job owes a new_category
// notice from the day retag sealed it, exactly as if the same text had just arrived.
// Store A is re-tagged by its nightly; store B receives fresh copies of the same files
// (one byte more) ingested with the current detector; their notices must agree.
func TestRetagRaisesTheNoticesAFreshIngestWould(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	old := map[string]string{"default": "2024-01-15"}
	in := filepath.Join(dir, "inbox")
	copyInbox(t, "../../testdata/retag/direct", filepath.Join(in, "direct"), old)
	copyInbox(t, "../../testdata/retag/totaljobs", filepath.Join(in, "totaljobs"), old)
	// Every subject was sent a notice after their data arrived, before retag.
	var events strings.Builder
	for _, email := range []string{"marisol.penhallow@example.com", "declan.rowntree@example.com", "ifeoma.castellan@example.com", "oswin.farthingale@example.com"} {
		events.WriteString(`{"subject":"` + email + `","event":"notice_sent","at":"2025-06-02"}` + "\n")
	}
	eventsFile := filepath.Join(dir, "events.jsonl")
	os.WriteFile(eventsFile, []byte(events.String()), 0o644)
	today := time.Now().UTC()

	a, b := newRetagFixture(t, dir, "a", env), newRetagFixture(t, dir, "b", env)
	for _, s := range []retagFixture{a, b} {
		s.run(0, s.rules, "ingest", in)
		s.run(0, s.rules, "events", "import", eventsFile)
	}
	if n := count(t, a.db, `SELECT count(*) FROM subjects`); n != 4 {
		t.Fatalf("%d subjects, want the 4 of testdata/retag", n)
	}
	// B: the same text arrives again today and is ingested with the current detector.
	fresh := filepath.Join(dir, "fresh")
	copyInbox(t, in, fresh, map[string]string{"default": today.Format(time.DateOnly)})
	filepath.Walk(fresh, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("\n")
			f.Close()
			os.Chtimes(p, today, today)
		}
		return err
	})
	b.run(0, b.current, "ingest", fresh)
	if n := count(t, b.db, `SELECT count(*) FROM subjects`); n != 4 {
		t.Fatalf("the fresh copies made %d subjects, want the same 4", n)
	}
	b.nightly(b.current, today, "--no-retag")
	a.nightly(a.current, today) // re-tags, then writes the notices

	const q = `SELECT s.subject_ref, n.item, n.channel, n.received_date, n.due_date, coalesce(n.due_trigger, ''), n.status,
	        coalesce(CAST(n.last_sent AS VARCHAR), ''), coalesce(n.exempt_reason, ''), n.review_required, array_to_string(n.review_reasons, ',')
	    FROM notice_rows n JOIN subjects s USING (subject_id)
	    WHERE n.manifest_id = (SELECT max(manifest_id) FROM manifests WHERE kind = 'notices') ORDER BY ALL`
	got, want := storeText(t, a.db, q), storeText(t, b.db, q)
	if got != want {
		t.Errorf("notices after retag differ from those after a fresh ingest of the same text:\n%s", firstDiff(got, want))
	}
	owed := count(t, a.db, `SELECT count(*) FROM notice_rows WHERE item = 'new_category' AND status = 'due' AND received_date = CAST(? AS DATE)
	    AND manifest_id = (SELECT max(manifest_id) FROM manifests WHERE kind = 'notices')`, today.Format(time.DateOnly))
	// The export's two candidates (a job board: Art. 14) get one; the direct CVs (Art. 13) none.
	if owed != 2 {
		t.Errorf("%d new_category notices due from today, want the 2 of the job-board export\n%s", owed, got)
	}
}
