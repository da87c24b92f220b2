package duckstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
)

// quarantinedFile is a whole file that failed extraction, named after a (fictional)
// person, as inboxes name CVs.
func quarantinedFile(name, content string) *pipeline.FileResult {
	sum := sha256.Sum256([]byte(content))
	return &pipeline.FileResult{
		Item:   pipeline.Item{Key: name, Location: "/inbox/" + name},
		SHA256: hex.EncodeToString(sum[:]),
		Size:   int64(len(content)),
		Err:    &extractors.Error{Reason: extractors.ReasonCorrupt, Detail: "no trailer in " + name},
		Data:   []byte(content),
	}
}

// quarantineDump is every quarantine and files row, to compare two states.
func quarantineDump(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT file_sha256, location, coalesce(origin, '-'), reason, coalesce(detail, '-'), run_id, at, coalesce(CAST(purged_at AS VARCHAR), '-') FROM quarantine ORDER BY ALL`,
		`SELECT sha256, location, status FROM files ORDER BY ALL`,
	} {
		err := scanQuery(s, q, func(cells []string) { b.WriteString(strings.Join(cells, "|") + "\n") })
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func scanQuery(s *Store, q string, fn func([]string)) error {
	rows, err := s.DB().Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = fmtValue(v)
		}
		fn(cells)
	}
	return rows.Err()
}

func fmtValue(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

func TestPurgeQuarantineDeletesExpiredCopiesAndStripsTheirRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	qdir := filepath.Join(dir, "quarantine")
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	s, err := Open(ctx, filepath.Join(dir, "t.duckdb"), Options{QuarantineDir: qdir, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// 1 October: a corrupt CV, an e-mail whose attachment failed (no copy: only the
	// part failed), and a corrupt CV quarantined again on 20 November.
	old := quarantinedFile("Jane_Smith_CV.pdf", "%PDF-1.4 broken: Jane Smith")
	again := quarantinedFile("Omar_Haddad_CV.pdf", "%PDF-1.4 broken: Omar Haddad")
	eml := fileResult("e", cand("Priya Natarajan", "priya.natarajan@example.com", ""))
	eml.Item.Location = "/inbox/Priya_Natarajan.eml"
	eml.Problems = []extractors.Problem{{Origin: "attachment Priya_Natarajan_CV.docx", Reason: extractors.ReasonCorrupt, Detail: "zip: not a valid zip file"}}
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{old, again, eml}); err != nil {
		t.Fatal(err)
	}
	// 20 November: a corrupt CV, and the same content as `again` quarantined once more
	// (as a lake import of a shard's handoff records it).
	clock = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	young := quarantinedFile("Lena_Fischer_CV.pdf", "%PDF-1.4 broken: Lena Fischer")
	if err := s.Commit(ctx, 2, []*pipeline.FileResult{young}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO quarantine (file_sha256, location, origin, reason, detail, run_id, at)
	    VALUES (?, '/shard/Omar_Haddad_CV.pdf', NULL, 'corrupt', 'no trailer', 2, ?)`, again.SHA256, clock); err != nil {
		t.Fatal(err)
	}
	// Copies without a row, as an ingest that crashed before committing leaves them,
	// and a file cvetl did not write.
	orphanOld, orphanYoung := strings.Repeat("a", 64), strings.Repeat("b", 64)
	for name, mtime := range map[string]time.Time{orphanOld: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		orphanYoung: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "NOTES.txt": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)} {
		p := filepath.Join(qdir, name)
		if err := os.WriteFile(p, []byte("left behind"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}

	// 26 November, keeping 30 days: what arrived before 28 October has had its time.
	clock = time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)
	before := time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC)
	rep, err := s.PurgeQuarantine(ctx, qdir, before)
	if err != nil {
		t.Fatal(err)
	}
	wantDeleted := []string{old.SHA256, orphanOld}
	slices.Sort(wantDeleted)
	if rep.Rows != 3 || rep.Files != 1 || !slices.Equal(rep.CopiesDeleted, wantDeleted) || rep.CopiesKept != 3 {
		t.Errorf("report %+v, want 3 rows, 1 file, copies %v deleted, 3 kept", rep, wantDeleted)
	}
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(qdir, name)); return err == nil }
	for name, want := range map[string]bool{old.SHA256: false, orphanOld: false, again.SHA256: true, young.SHA256: true,
		orphanYoung: true, "NOTES.txt": true} {
		if exists(name) != want {
			t.Errorf("copy %.12s exists=%v, want %v", name, !want, want)
		}
	}

	// Stripped rows keep what says what happened, and nothing that may name anyone.
	var loc, reason, origin string
	var detail *string
	var runID int64
	var at, purged time.Time
	err = s.DB().QueryRow(`SELECT location, reason, coalesce(origin, ''), detail, run_id, at, purged_at FROM quarantine WHERE file_sha256 = ?`,
		old.SHA256).Scan(&loc, &reason, &origin, &detail, &runID, &at, &purged)
	if err != nil {
		t.Fatal(err)
	}
	if loc != PurgedLocation || reason != "corrupt" || origin != "" || detail != nil || runID != 1 ||
		!at.Equal(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)) || !purged.Equal(clock) {
		t.Errorf("stripped row: %s %s %q %v run %d at %s purged %s", loc, reason, origin, detail, runID, at, purged)
	}
	if err := s.DB().QueryRow(`SELECT origin FROM quarantine WHERE file_sha256 = ?`, eml.SHA256).Scan(&origin); err != nil || origin != "attachment" {
		t.Errorf("the failed attachment's row keeps origin %q (%v), want only \"attachment\"", origin, err)
	}
	dump := quarantineDump(t, s)
	for _, person := range []string{"Jane", "Priya_Natarajan_CV"} {
		if strings.Contains(dump, person) {
			t.Errorf("%q is still in the quarantine or files rows:\n%s", person, dump)
		}
	}
	var omar int
	s.DB().QueryRow(`SELECT count(*) FROM quarantine WHERE location || coalesce(detail, '') LIKE '%Omar%'`).Scan(&omar)
	if omar != 1 {
		t.Errorf("%d quarantine rows name Omar, want only the younger one", omar)
	}
	// Younger rows, and the files row of content still quarantined by one, are whole.
	for _, keep := range []string{"/inbox/Lena_Fischer_CV.pdf", "/shard/Omar_Haddad_CV.pdf", again.SHA256 + "|/inbox/Omar_Haddad_CV.pdf|quarantined",
		eml.SHA256 + "|/inbox/Priya_Natarajan.eml|ingested"} {
		if !strings.Contains(dump, keep) {
			t.Errorf("%q was purged early:\n%s", keep, dump)
		}
	}

	// A second run changes nothing.
	again2, err := s.PurgeQuarantine(ctx, qdir, before)
	if err != nil {
		t.Fatal(err)
	}
	if again2.Rows != 0 || again2.Files != 0 || len(again2.CopiesDeleted) != 0 || again2.CopiesKept != 3 {
		t.Errorf("second run: %+v", again2)
	}
	if after := quarantineDump(t, s); after != dump {
		t.Errorf("second run changed the rows:\n%s\nwas\n%s", after, dump)
	}
	// No quarantine folder at all is not an error.
	if _, err := s.PurgeQuarantine(ctx, filepath.Join(dir, "none"), before); err != nil {
		t.Errorf("missing folder: %v", err)
	}
}
