package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

// retagged returns pc as a newer detector would tag it: its stored tags plus more.
func retagged(pc pipeline.ParsedCandidate, more ...profile.Tag) []pipeline.ParsedCandidate {
	pc.Candidate.SpecialCategories = append(append([]profile.Tag{}, pc.Candidate.SpecialCategories...), more...)
	return []pipeline.ParsedCandidate{pc}
}

func TestRetagAddsOnlyUnsealedFindings(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	a := tagged("Amara Okafor", "amara@example.com", "I have type 1 diabetes", profile.Health)
	a.Candidate.Skills = append(a.Candidate.Skills, "Choir: I sing at St Aidan's every Sunday")
	b := tagged("Eilidh MacLeod", "eilidh@example.org", "I am a UNISON steward", profile.TradeUnionMembership)
	fa, fb := fileResult("a", a), fileResult("b", b)
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{fa, fb}); err != nil {
		t.Fatal(err)
	}
	// Same category overlapping the sealed span (wider, as a newer detector may see it):
	// already sealed. Another category at the same place, and a span elsewhere: new.
	wider := profile.Tag{Category: profile.Health, Evidence: "Sadly I have type 1 diabetes", Start: 4, End: 32, Detector: "new"}
	religion := profile.Tag{Category: profile.ReligiousBeliefs, Evidence: "I sing at St Aidan's every Sunday", Start: 60, End: 93, Detector: "new"}
	sameSpot := profile.Tag{Category: profile.ReligiousBeliefs, Evidence: "type 1 diabetes", Start: 17, End: 32, Detector: "new"}
	cands := retagged(a, wider, religion, sameSpot)

	dry, err := s.Retag(ctx, RetagRun{ID: 2, DryRun: true}, fa.SHA256, cands)
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	s.DB().QueryRow(`SELECT count(*) FROM restricted`).Scan(&rows)
	if dry.NewFindings[profile.ReligiousBeliefs] != 2 || dry.NewFindings[profile.Health] != 0 || dry.ProfilesRedacted != 1 || rows != 2 {
		t.Fatalf("dry run: %+v with %d rows; want 2 religious findings, 1 profile, nothing written", dry, rows)
	}
	res, err := s.Retag(ctx, RetagRun{ID: 2, DryRun: false}, fa.SHA256, cands)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewFindings[profile.ReligiousBeliefs] != 2 || res.NewFindings[profile.Health] != 0 || res.ProfilesRedacted != 1 {
		t.Fatalf("retag: %+v", res)
	}
	var skills string
	s.DB().QueryRow(`SELECT array_to_string(skills, '|') FROM profiles WHERE list_contains(emails, 'amara@example.com')`).Scan(&skills)
	if strings.Contains(skills, "St Aidan") || !strings.Contains(skills, "Choir: [special category: religious_beliefs]") {
		t.Errorf("skills not re-redacted: %q", skills)
	}
	ev, err := s.SubjectEvidence(ctx, subjectOf(t, s, "amara@example.com"))
	if err != nil || len(ev) != 3 {
		t.Fatalf("evidence after retag: %v, %d rows", err, len(ev))
	}
	if again, err := s.Retag(ctx, RetagRun{ID: 3, DryRun: false}, fa.SHA256, cands); err != nil || len(again.NewFindings) != 0 || again.ProfilesRedacted != 0 {
		t.Errorf("second retag: %+v, %v", again, err)
	}

	// A subject whose key was destroyed is skipped, in a dry run too; so is a restricted one.
	if err := s.ShredSubject(ctx, subjectOf(t, s, "eilidh@example.org")); err != nil {
		t.Fatal(err)
	}
	more := retagged(b, profile.Tag{Category: profile.PoliticalOpinions, Evidence: "Labour", Start: 40, End: 46, Detector: "new"})
	for _, dryRun := range []bool{true, false} {
		if res, err := s.Retag(ctx, RetagRun{ID: 4, DryRun: dryRun}, fb.SHA256, more); err != nil || len(res.KeyDestroyed) != 1 || len(res.NewFindings) != 0 {
			t.Errorf("dry run %v, destroyed key: %+v, %v", dryRun, res, err)
		}
	}
	if _, err := s.DB().Exec(`INSERT INTO restrictions VALUES (?, 'requested', now())`, subjectOf(t, s, "amara@example.com")); err != nil {
		t.Fatal(err)
	}
	newer := retagged(a, profile.Tag{Category: profile.Health, Evidence: "Care Planning", Start: 100, End: 113, Detector: "new"})
	if res, err := s.Retag(ctx, RetagRun{ID: 5, DryRun: false}, fa.SHA256, newer); err != nil || len(res.Restricted) != 1 || len(res.NewFindings) != 0 {
		t.Errorf("restricted subject: %+v, %v", res, err)
	}
	// A re-extraction with fewer parts than the stored profiles is refused for that file.
	fd := fileResult("d", cand("Ola Nowak", "ola@example.com", ""), cand("Tom Reyes", "tom@example.com", ""))
	if err := s.Commit(ctx, 7, []*pipeline.FileResult{fd}); err != nil {
		t.Fatal(err)
	}
	one := retagged(fd.Candidates[0], profile.Tag{Category: profile.Health, Evidence: "asthma", Start: 1, End: 7, Detector: "new"})
	if _, err := s.Retag(ctx, RetagRun{ID: 8, DryRun: false}, fd.SHA256, one); !errors.Is(err, ErrRetagMismatch) {
		t.Errorf("mismatched parts: %v", err)
	}
}

// TestOpenRestoresProfilesARetagLeftMidRewrite: a crash between retag's two
// transactions leaves a profile under its temporary id; the next opening of the store,
// by any command, gives it back.
func TestOpenRestoresProfilesARetagLeftMidRewrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	keys := benchKeys(t)
	s, err := Open(ctx, path, Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	f := fileResult("c", cand("Nia Brennan", "nia@example.com", ""))
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{f}); err != nil {
		t.Fatal(err)
	}
	id := profileID(f, 0)
	if _, err := s.DB().Exec(`UPDATE profiles SET profile_id = ? WHERE profile_id = ?`, id+retagSuffix, id); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path, Options{Keys: keys}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var back, left int
	s.DB().QueryRow(`SELECT count(*) FILTER (WHERE profile_id = ?), count(*) FILTER (WHERE profile_id <> ?) FROM profiles`, id, id).Scan(&back, &left)
	if back != 1 || left != 0 {
		t.Errorf("after reopening: the profile is back %d times, %d other rows", back, left)
	}
}

// TestRetagListsStaleFilesAndMarksWithItsSeal: ingest records the detector that tagged
// a file; retag lists only files another (or an unknown) detector tagged, and records
// the current one in the transaction that seals, so a seal that fails marks nothing.
func TestRetagListsStaleFilesAndMarksWithItsSeal(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	fa := fileResult("a", tagged("Amara Okafor", "amara@example.com", "I have type 1 diabetes", profile.Health))
	fb := fileResult("b", cand("Eilidh MacLeod", "eilidh@example.org", ""))
	fc := fileResult("c", cand("Nia Brennan", "nia@example.com", ""))
	fq := fileResult("e", cand("Tom Reyes", "tom@example.com", ""))
	fa.TaggedBy, fb.TaggedBy, fc.TaggedBy = "old", "cur", "" // fc: unknown
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{fa, fb, fc, fq}); err != nil {
		t.Fatal(err)
	}
	fingerprint := func(f *pipeline.FileResult) string {
		var fp sql.NullString
		if err := s.DB().QueryRow(`SELECT detector_fingerprint FROM files WHERE sha256 = ?`, f.SHA256).Scan(&fp); err != nil {
			t.Fatal(err)
		}
		return fp.String
	}
	if fingerprint(fa) != "old" || fingerprint(fc) != "" {
		t.Fatalf("ingest recorded %q and %q, want old and NULL", fingerprint(fa), fingerprint(fc))
	}
	shas := func(l RetagList) string {
		var out []string
		for _, f := range l.Files {
			out = append(out, f.SHA256[:1])
		}
		return strings.Join(out, ",")
	}
	if l, err := s.RetagFiles(ctx, "cur", false); err != nil || shas(l) != "a,c,e" || l.Current != 1 {
		t.Fatalf("stale files: %q, %d current, %v; want a,c,e and 1 current", shas(l), l.Current, err)
	}
	for _, fp := range []string{"cur", ""} {
		if l, err := s.RetagFiles(ctx, fp, fp != ""); err != nil || shas(l) != "a,b,c,e" || l.Current != 0 {
			t.Errorf("every file (fingerprint %q): %q, %d current, %v", fp, shas(l), l.Current, err)
		}
	}

	more := retagged(fa.Candidates[0], profile.Tag{Category: profile.ReligiousBeliefs, Evidence: "Care Planning", Start: 40, End: 53, Detector: "new"})
	run := RetagRun{ID: 2, Fingerprint: "cur", DryRun: true}
	if res, err := s.Retag(ctx, run, fa.SHA256, more); err != nil || res.Marked || !res.Settled || fingerprint(fa) != "old" {
		t.Fatalf("dry run: %+v, %v; file now %q: a dry run marks nothing", res, err, fingerprint(fa))
	}
	// A seal that fails (its tag id is taken) rolls back the mark with it.
	run.DryRun = false
	taken := profileID(fa, 0) + "#r2.0"
	if _, err := s.DB().Exec(`INSERT INTO restricted (tag_id, subject_id, key_id, profile_id, category, detector, confidence, start_offset, end_offset, evidence_sealed, run_id)
		SELECT ?, subject_id, key_id, profile_id, category, detector, confidence, 0, 0, evidence_sealed, 1 FROM restricted LIMIT 1`, taken); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Retag(ctx, run, fa.SHA256, more); err == nil || fingerprint(fa) != "old" {
		t.Fatalf("a failed seal: %v; file now %q, want it still old", err, fingerprint(fa))
	}
	s.DB().Exec(`DELETE FROM restricted WHERE tag_id = ?`, taken)
	res, err := s.Retag(ctx, run, fa.SHA256, more)
	if err != nil || !res.Marked || res.NewFindings[profile.ReligiousBeliefs] != 1 || fingerprint(fa) != "cur" {
		t.Fatalf("retag: %+v, %v; file now %q, want marked cur", res, err, fingerprint(fa))
	}
	// Nothing new: settled, left for the caller to mark in bulk.
	res, err = s.Retag(ctx, run, fc.SHA256, fc.Candidates)
	if err != nil || !res.Settled || res.Marked || fingerprint(fc) != "" {
		t.Fatalf("nothing new: %+v, %v, file %q", res, err, fingerprint(fc))
	}
	if err := s.MarkTagged(ctx, "cur", []string{fc.SHA256, fq.SHA256}); err != nil {
		t.Fatal(err)
	}
	if l, err := s.RetagFiles(ctx, "cur", false); err != nil || len(l.Files) != 0 || l.Current != 4 {
		t.Errorf("after marking: %q stale, %d current, %v; want none stale, 4 current", shas(l), l.Current, err)
	}
	// A restricted subject's findings wait for the restriction to lift: not settled.
	if _, err := s.DB().Exec(`INSERT INTO restrictions VALUES (?, 'requested', now())`, subjectOf(t, s, "eilidh@example.org")); err != nil {
		t.Fatal(err)
	}
	union := retagged(fb.Candidates[0], profile.Tag{Category: profile.TradeUnionMembership, Evidence: "Eilidh", Start: 0, End: 6, Detector: "new"})
	if res, err := s.Retag(ctx, RetagRun{ID: 3, Fingerprint: "next"}, fb.SHA256, union); err != nil || res.Settled || res.Marked || fingerprint(fb) != "cur" {
		t.Errorf("restricted subject: %+v, %v, file %q; want unsettled and unmarked", res, err, fingerprint(fb))
	}
	// Nor is a file every subject of which is restricted read again until it is lifted.
	if l, err := s.RetagFiles(ctx, "next", true); err != nil || shas(l) != "a,c,e" || l.Restricted != 1 || l.Current != 0 {
		t.Errorf("with b's only subject restricted: %q, %d restricted, %d current, %v; want a,c,e and 1 restricted", shas(l), l.Restricted, l.Current, err)
	}
	s.DB().Exec(`DELETE FROM restrictions`)
	if l, err := s.RetagFiles(ctx, "next", false); err != nil || shas(l) != "a,b,c,e" || l.Restricted != 0 {
		t.Errorf("restriction lifted: %q, %d restricted, %v", shas(l), l.Restricted, err)
	}
}

// TestRetagReadsAnExportAnErasureRewrote: a shared export from which an erasure cut one
// applicant is listed with the content it must now hold (the end of its chain of
// rewrites); one an erasure left whole, or whose chain forks, is not. Its re-extracted
// parts are matched to the stored profiles by origin, so a finding lands on its own
// applicant although the rows moved up; a part no live profile came from is skipped and
// counted, and a live profile with no part refuses the file.
func TestRetagReadsAnExportAnErasureRewrote(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	row := func(n int, name, email string) pipeline.ParsedCandidate {
		c := cand(name, email, "")
		c.Origin = fmt.Sprintf("row %d", n)
		return c
	}
	fa := fileResult("a", row(1, "Amara Okafor", "amara@example.com"), row(2, "Eilidh MacLeod", "eilidh@example.org"), row(3, "Nia Brennan", "nia@example.com"))
	fb := fileResult("b", row(1, "Tom Reyes", "tom@example.com"), row(2, "Ola Berg", "ola@example.com"))
	fc := fileResult("c", row(1, "Ines Vidal", "ines@example.com"), row(2, "Jon Hale", "jon@example.com"))
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{fa, fb, fc}); err != nil {
		t.Fatal(err)
	}
	erase := func(email string, files ...*pipeline.FileResult) {
		if _, err := s.DB().Exec(`INSERT INTO erasures VALUES (?, 'p', 'delete', 'm', 'r', [], 1, now())`, subjectOf(t, s, email)); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if _, err := s.DB().Exec(`INSERT OR IGNORE INTO erased_files VALUES (?, now())`, f.SHA256); err != nil {
				t.Fatal(err)
			}
		}
	}
	rewrite := func(next, old string, ingested *pipeline.FileResult, removed string) {
		if _, err := s.DB().Exec(`INSERT INTO raw_rewrites VALUES (?, ?, ?, CAST(? AS VARCHAR[]), 1, now(), 1)`,
			next, old, ingested.SHA256, removed); err != nil {
			t.Fatal(err)
		}
	}
	erase("amara@example.com", fa) // cut: row 1, then (a second erasure) nothing more
	tip := strings.Repeat("9", 64)
	rewrite(strings.Repeat("8", 64), fa.SHA256, fa, "[row 1]")
	rewrite(tip, strings.Repeat("8", 64), fa, "[row 1]")
	erase("tom@example.com", fb) // deleted or left as it was: no chain
	erase("ines@example.com", fc)
	rewrite(strings.Repeat("6", 64), fc.SHA256, fc, "[row 1]") // two ends: a fork
	rewrite(strings.Repeat("7", 64), fc.SHA256, fc, "[row 1]")

	l, err := s.RetagFiles(ctx, "cur", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Files) != 1 || l.Files[0].SHA256 != fa.SHA256 || l.Files[0].Rewritten != tip {
		t.Fatalf("listed %+v; want only file a, to be read as its last rewrite", l.Files)
	}

	// The rewritten file as re-extracted: rows 1 and 2 now, mapped back to 2 and 3.
	religion := func(c pipeline.ParsedCandidate, origin string) pipeline.ParsedCandidate {
		c.Origin = origin
		c.Candidate.SpecialCategories = []profile.Tag{{Category: profile.ReligiousBeliefs, Evidence: "Sunday choir", Start: 5, End: 17, Confidence: 0.8, Detector: "new"}}
		return c
	}
	eilidh, nia := religion(fa.Candidates[1], "row 2"), religion(fa.Candidates[2], "row 3")
	if _, err := s.RetagRewritten(ctx, RetagRun{ID: 2, Fingerprint: "cur"}, fa.SHA256, []pipeline.ParsedCandidate{eilidh}); !errors.Is(err, ErrRetagMismatch) {
		t.Fatalf("a live profile with no part: %v, want ErrRetagMismatch", err)
	}
	// The erased applicant's row, were it still there: skipped, never sealed.
	stray := religion(fa.Candidates[0], "row 1")
	res, err := s.RetagRewritten(ctx, RetagRun{ID: 2, Fingerprint: "cur"}, fa.SHA256, []pipeline.ParsedCandidate{stray, eilidh, nia})
	if err != nil || res.Unmatched != 1 || res.NewFindings[profile.ReligiousBeliefs] != 2 || !res.Marked {
		t.Fatalf("retag of the rewritten file: %+v, %v; want 2 sealed, 1 unmatched, marked", res, err)
	}
	rows, err := s.DB().Query(`SELECT profile_id, subject_id FROM restricted WHERE run_id = 2 ORDER BY profile_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var pid, sid string
		if err := rows.Scan(&pid, &sid); err != nil {
			t.Fatal(err)
		}
		got = append(got, pid+" "+sid)
	}
	want := []string{profileID(fa, 1) + " " + subjectOf(t, s, "eilidh@example.org"), profileID(fa, 2) + " " + subjectOf(t, s, "nia@example.com")}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sealed rows (profile subject): %q, want %q", got, want)
	}
	if l, err := s.RetagFiles(ctx, "cur", false); err != nil || len(l.Files) != 0 || l.Current != 1 {
		t.Errorf("after the retag: %+v, %v; want nothing stale, 1 current", l, err)
	}
}
