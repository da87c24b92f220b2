package duckstore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), filepath.Join(dir, "t.duckdb"), Options{
		QuarantineDir: filepath.Join(dir, "quarantine"),
		Now:           func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func str(s string) *string { return &s }

func cand(name, email, phone string) pipeline.ParsedCandidate {
	c := profile.Candidate{}
	if name != "" {
		c.Name = str(name)
	}
	if email != "" {
		c.Emails = []string{email}
	}
	if phone != "" {
		c.Phones = []string{phone}
	}
	return pipeline.ParsedCandidate{Format: extractors.FormatText, Candidate: c}
}

func fileResult(sha string, cands ...pipeline.ParsedCandidate) *pipeline.FileResult {
	return &pipeline.FileResult{
		Item:       pipeline.Item{Key: sha + ".txt", Location: "/inbox/" + sha + ".txt"},
		SHA256:     strings.Repeat(sha, 64)[:64],
		Format:     extractors.FormatText,
		Channel:    "job_board:indeed",
		Candidates: cands,
	}
}

func subjectOf(t *testing.T, s *Store, email string) string {
	t.Helper()
	var id string
	err := s.DB().QueryRow(`SELECT DISTINCT subject_id FROM profiles WHERE list_contains(emails, ?)`, email).Scan(&id)
	if err != nil {
		t.Fatalf("subject of %s: %v", email, err)
	}
	return id
}

func TestIdentityMerging(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	batch := []*pipeline.FileResult{
		fileResult("a", cand("Amara Okafor", "amara@example.com", "+447700900101")),
		fileResult("b", cand("Amara Okafor", "AMARA@example.com", "")),                   // same e-mail, other case
		fileResult("c", cand("Tomasz Nowak", "", "+447700900202")),                       // phone + name only
		fileResult("d", cand("tomasz  nowak", "tomasz@example.org", "+447700900202")),    // same phone and name
		fileResult("e", cand("James Smith", "james.smith@example.com", "+447700900301")), // a common name...
		fileResult("f", cand("James Smith", "jsmith77@example.net", "+447700900302")),    // ...is not identity
		fileResult("g", cand("Priya Shah", "priya@example.com", "")),                     // subject 1
		fileResult("h", cand("Priya Shah", "", "+447700900404")),                         // subject 2
		fileResult("i", cand("Priya Shah", "priya@example.com", "+447700900404")),        // proves 1 = 2
	}
	if err := s.Commit(ctx, 1, batch); err != nil {
		t.Fatal(err)
	}
	if a, b := subjectOf(t, s, "amara@example.com"), subjectOf(t, s, "AMARA@example.com"); a != b {
		t.Errorf("same e-mail gave two subjects: %s, %s", a, b)
	}
	var tomasz int
	s.DB().QueryRow(`SELECT count(DISTINCT subject_id) FROM profiles WHERE name ILIKE 'tomasz%'`).Scan(&tomasz)
	if tomasz != 1 {
		t.Errorf("same phone and name: %d subjects, want 1", tomasz)
	}
	if a, b := subjectOf(t, s, "james.smith@example.com"), subjectOf(t, s, "jsmith77@example.net"); a == b {
		t.Errorf("two different James Smiths merged into %s", a)
	}
	var priya, merges int
	s.DB().QueryRow(`SELECT count(DISTINCT subject_id) FROM profiles WHERE name = 'Priya Shah'`).Scan(&priya)
	s.DB().QueryRow(`SELECT count(*) FROM subject_merges`).Scan(&merges)
	if priya != 1 || merges != 1 {
		t.Errorf("bridging record: %d subjects and %d merges, want 1 and 1", priya, merges)
	}
	var subjects, orphanKeys int
	s.DB().QueryRow(`SELECT count(*) FROM subjects`).Scan(&subjects)
	s.DB().QueryRow(`SELECT count(*) FROM subject_keys k ANTI JOIN subjects s USING (subject_id)`).Scan(&orphanKeys)
	if subjects != 5 || orphanKeys != 0 {
		t.Errorf("subjects=%d orphan keys=%d, want 5 and 0", subjects, orphanKeys)
	}

	// The index survives a reopen: a later file joins the existing subject.
	path := s.path
	s.Close()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Commit(ctx, 2, []*pipeline.FileResult{fileResult("j", cand("Amara Okafor", "amara@example.com", ""))}); err != nil {
		t.Fatal(err)
	}
	var amara int
	s2.DB().QueryRow(`SELECT count(DISTINCT subject_id) FROM profiles WHERE name = 'Amara Okafor'`).Scan(&amara)
	if amara != 1 {
		t.Errorf("after reopen: %d subjects for one e-mail", amara)
	}
}

func TestCommitRecordsProvenanceAndQuarantine(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	good := fileResult("1", cand("Amara Okafor", "amara@example.com", ""))
	good.Problems = []extractors.Problem{{Origin: "line 7", Reason: extractors.ReasonBadRows, Detail: "3 fields, header has 11"}}
	bad := fileResult("2")
	bad.Err, bad.Data = &extractors.Error{Reason: extractors.ReasonEncrypted}, []byte("%PDF-1.7 encrypted")
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{good, bad}); err != nil {
		t.Fatal(err)
	}
	var channel, location string
	var fromSubject bool
	if err := s.DB().QueryRow(`SELECT channel, obtained_from_subject, location FROM sources`).Scan(&channel, &fromSubject, &location); err != nil {
		t.Fatal(err)
	}
	if channel != "job_board:indeed" || fromSubject || location != good.Item.Location {
		t.Errorf("source = %s %v %s", channel, fromSubject, location)
	}
	rows, _ := s.DB().Query(`SELECT coalesce(origin, ''), reason FROM quarantine ORDER BY reason`)
	var got []string
	for rows.Next() {
		var o, r string
		rows.Scan(&o, &r)
		got = append(got, o+"|"+r)
	}
	rows.Close()
	if strings.Join(got, ",") != "line 7|bad_rows,|encrypted_pdf" {
		t.Errorf("quarantine rows = %v", got)
	}
	if !s.Known(good.SHA256) || !s.Known(bad.SHA256) {
		t.Error("committed files are not known")
	}
	if _, err := os.ReadFile(filepath.Join(s.quarantineDir, bad.SHA256)); err != nil {
		t.Errorf("quarantined file not copied: %v", err)
	}
}

func TestVacancyNewestCopyWins(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	feed := func(sha, salary string) *pipeline.FileResult {
		r := fileResult(sha)
		r.Format = extractors.FormatVacancyXML
		r.Vacancies = []profile.Vacancy{{Reference: "J-100", Title: "Staff Nurse", Salary: salary}}
		return r
	}
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{feed("v", "£30,000")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, 2, []*pipeline.FileResult{feed("w", "£32,000")}); err != nil {
		t.Fatal(err)
	}
	var n int
	var salary string
	s.DB().QueryRow(`SELECT count(*), max(salary) FROM vacancies`).Scan(&n, &salary)
	if n != 1 || salary != "£32,000" {
		t.Errorf("vacancies: %d rows, salary %s; want 1 row with the newer salary", n, salary)
	}
}

func TestEventsImport(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{fileResult("a", cand("Amara Okafor", "amara@example.com", ""))}); err != nil {
		t.Fatal(err)
	}
	input := strings.Join([]string{
		`{"subject":"amara@example.com","event":"applied","at":"2026-10-03","detail":{"vacancy":"J-100"}}`,
		`{"subject":"S0000001","event":"registered","at":"2026-10-01","detail":{"subject_type":"candidate"}}`,
		`{"subject":"nobody@example.com","event":"applied","at":"2026-10-03","detail":{"vacancy":"J-100"}}`,
		`{"subject":"amara@example.com","event":"teleported","at":"2026-10-03"}`,
		`{"subject":"amara@example.com","event":"applied","at":"03/10/2026","detail":{"vacancy":"J-100"}}`,
		`{"subject":"amara@example.com","event":"objected","at":"2026-10-04","detail":{"processing":"astrology"}}`,
		`not json`,
		``,
		`{"subject":"amara@example.com","event":"consent_given","at":"2026-10-05","detail":{"purpose":"future_vacancies","until":"2028-10-05"}}`,
	}, "\n")
	res, err := s.ImportEvents(ctx, strings.NewReader(input), "events.jsonl", 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 3 {
		t.Errorf("imported %d, want 3", res.Imported)
	}
	wantLines := []int{3, 4, 5, 6, 7}
	if len(res.Errors) != len(wantLines) {
		t.Fatalf("errors = %v, want lines %v", res.Errors, wantLines)
	}
	for i, e := range res.Errors {
		if e.Line != wantLines[i] {
			t.Errorf("error %d on line %d, want %d", i, e.Line, wantLines[i])
		}
		if strings.Contains(e.Reason, "nobody@example.com") {
			t.Errorf("error message leaks the subject: %s", e.Reason)
		}
	}
	again, err := s.ImportEvents(ctx, strings.NewReader(input), "events.jsonl", 3)
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Duplicate != 3 {
		t.Errorf("re-import: imported %d, duplicate %d; want 0 and 3", again.Imported, again.Duplicate)
	}
}
