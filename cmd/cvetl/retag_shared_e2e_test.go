package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestRetagReadsTheRestOfASharedExportAfterAnErasure: a job board's export of three
// applicants, each with a disclosure the rules alone miss, is ingested with `learned:
// off`; the first applicant is erased, which cuts their record out of the file. Retag
// with the learned detector then reads the rewritten file, although its ingested hash is
// in erased_files and its bytes changed: the two remaining applicants' findings are
// sealed under their own subjects (their records moved up one, so matching by position
// would put each finding on the wrong person or refuse the file), nothing for the erased
// one, and the file is marked current, so the nightly after reads none. The file
// edited by hand afterwards, or put back as ingested (with the erased person's record),
// is unavailable and never read. The same export is tested as CSV (rows), JSON Lines
// (lines) and a pretty-printed JSON array (records).
func TestRetagReadsTheRestOfASharedExportAfterAnErasure(t *testing.T) {
	for _, c := range []struct{ file, unit, edit string }{
		{"disclosures.csv", "row", "Nell Madeup,nell.madeup@example.com,07700 900644,\"Leeds, LS6 2AB\",sql,Hello\r\n"},
		{"disclosures.jsonl", "line", `{"name":"Nell Madeup","email":"nell.madeup@example.com"}` + "\n"},
		{"disclosures.json", "record", " "},
	} {
		t.Run(c.file, func(t *testing.T) { retagAfterErasure(t, c.file, c.unit, c.edit) })
	}
}

// retagAfterErasure is TestRetagReadsTheRestOfASharedExportAfterAnErasure for one form
// of the export: file in testdata/shared-exports, its records counted in unit, and
// edit appended to the rewritten file to change it by hand.
func retagAfterErasure(t *testing.T, file, unit, edit string) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	t.Setenv("CVETL_MASTER_KEY_FILE", strings.TrimPrefix(env[0], "CVETL_MASTER_KEY_FILE="))
	rules := demoConfigWith(t, dir, "rules.yaml", "  learned: off\n")
	vetted := demoConfigWith(t, dir, "vetted.yaml", "  learned: vetted\n")

	s := newSharedStoreWith(t, []string{"--config", rules}, file)
	path := filepath.Join(s.in, file)
	ingested, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	petra, marisol, declan := s.subject("petra.unreal@example.com"), s.subject("marisol.fakename@example.com"), s.subject("declan.imaginary@example.com")
	if n := s.count(`SELECT count(*) FROM restricted`); n != 0 {
		t.Fatalf("the rules alone sealed %d rows: the export's disclosures must be ones they miss", n)
	}
	raw := parsedEvidence(t, vetted, s.in)
	if len(raw) != 3 {
		t.Fatalf("the learned detector finds %d disclosures in the export, want 3 (one per applicant)", len(raw))
	}

	s.erase("petra.unreal@example.com", 0)
	s.wantRaw(0, 1, 0)
	if n := s.count(`SELECT count(*) FROM erased_files`); n != 1 {
		t.Fatalf("%d files in erased_files after the erasure, want the export", n)
	}

	s.global = []string{"--config", vetted}
	retag := func(args ...string) retagSummary {
		t.Helper()
		var sum retagSummary
		if err := json.Unmarshal([]byte(s.run(append([]string{"retag", "--json"}, args...)...).stdout), &sum); err != nil {
			t.Fatal(err)
		}
		return sum
	}
	dry := retag("--dry-run")
	if dry.FilesChecked != 1 || dry.newFindings() != 2 || s.count(`SELECT count(*) FROM restricted`) != 0 {
		t.Fatalf("dry run: %+v, want the rewritten export checked, 2 findings, nothing written", dry)
	}
	sum := retag()
	if sum.FilesListed != 1 || sum.FilesChecked != 1 || sum.FilesUnavailable+sum.FilesFailed+sum.PartsUnmatched != 0 ||
		sum.NewFindings["religious_beliefs"] != 1 || sum.NewFindings["trade_union_membership"] != 1 {
		t.Fatalf("retag of the rewritten export: %+v, want it read and one finding for each remaining applicant", sum)
	}
	got := queryStrings(t, s.db, `SELECT r.subject_id || ' ' || r.category || ' ' || p.subject_id || ' ' || p.origin
	    FROM restricted r JOIN profiles p USING (profile_id) WHERE r.run_id = ? ORDER BY 1`, sum.RunID)
	want := []string{marisol + " religious_beliefs " + marisol + " " + unit + " 2", declan + " trade_union_membership " + declan + " " + unit + " 3"}
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sealed rows (subject, category, profile's subject, origin):\n%q\nwant\n%q", got, want)
	}
	if n := s.count(`SELECT count(*) FROM restricted WHERE subject_id = ? OR key_id = ?`, petra, petra); n != 0 {
		t.Errorf("%d rows sealed for the erased applicant", n)
	}
	// Each row decrypts to its own applicant's disclosure, under the key named after them.
	for _, e := range storeEvidence(t, s.db, env) {
		owner := map[string]string{"religious_beliefs": "Our chapel choir", "trade_union_membership": "I've stayed with Unite"}[e.category]
		if !raw[e.evidence] || owner == "" || !strings.HasPrefix(e.evidence, owner) {
			t.Errorf("row %s (%s) decrypts to %d bytes that are not its applicant's disclosure", e.tagID, e.category, len(e.evidence))
		}
	}
	if n := s.count(`SELECT count(*) FROM restricted r JOIN profiles p USING (profile_id) WHERE r.key_id <> p.subject_id`); n != 0 {
		t.Errorf("%d rows sealed under another subject's key", n)
	}
	if fp := queryStrings(t, s.db, `SELECT detector_fingerprint FROM files WHERE sha256 IN (SELECT sha256 FROM erased_files)`); len(fp) != 1 || fp[0] != sum.Detector {
		t.Errorf("the export's recorded detector: %q, want %s", fp, sum.Detector)
	}

	var night nightlyReport
	r := s.run("nightly", "--json", "--as-of", s.day.Format(time.DateOnly), "--policy", "121-recruitment")
	if err := json.Unmarshal([]byte(r.stdout), &night); err != nil || night.Retag == nil {
		t.Fatalf("nightly report: %v\n%s", err, r.stdout)
	}
	if rt := night.Retag; rt.FilesListed != 0 || rt.FilesChecked != 0 || rt.FilesCurrent != 1 || rt.RunID != 0 {
		t.Errorf("the nightly after the retag: %+v, want the export current and nothing read", rt)
	}

	// Edited by hand after the erasure, or put back as ingested: never read.
	rewritten, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"edited":           append(append([]byte{}, rewritten...), edit...),
		"ingested content": ingested,
	} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if sum := retag("--all"); sum.FilesListed != 1 || sum.FilesUnavailable != 1 || sum.FilesChecked != 0 || sum.newFindings() != 0 {
			t.Errorf("retag --all with the export %s: %+v, want it unavailable", name, sum)
		}
	}
	s.noPersonalDataLogged("petra.unreal@example.com", "Petra Unreal", "Marisol Fakename", "declan.imaginary@example.com")
}
