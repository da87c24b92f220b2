package duckstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
)

// reopen closes s and opens its file again, as the next command would.
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	s.Close()
	r, err := Open(context.Background(), s.path, Options{QuarantineDir: s.quarantineDir, Now: s.now})
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func releasable(t *testing.T, s *Store, f QuarantineFilter) []string {
	t.Helper()
	files, err := s.QuarantinedFiles(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range files {
		out = append(out, q.SHA256[:4]+":"+q.Reason)
	}
	return out
}

// TestReleaseQuarantinedReadsAgain releases a whole-file quarantine: the same store
// (whose stored-files filter still holds the hash) and a reopened one no longer know
// it, its quarantine row stays marked released, the same bytes failing again are
// quarantined again under the new reason (the files key is inserted again in a later
// transaction), and after a second release they are ingested.
func TestReleaseQuarantinedReadsAgain(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a := quarantinedFile("Ada_Lovelace_CV.json", `[{"name": "Ada Lovelace"`)
	b := quarantinedFile("Alan_Turing_CV.pdf", "%PDF-1.4 truncated")
	b.Err = &extractors.Error{Reason: extractors.ReasonEncrypted}
	part := fileResult("c", cand("Grace Hopper", "grace@example.com", ""))
	part.Problems = []extractors.Problem{{Origin: "line 3", Reason: extractors.ReasonBadRows, Detail: "ragged"}}
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{a, b, part}); err != nil {
		t.Fatal(err)
	}
	all := releasable(t, s, QuarantineFilter{})
	if len(all) != 2 {
		t.Fatalf("releasable = %v, want the two whole-file quarantines", all)
	}
	if got := releasable(t, s, QuarantineFilter{Reasons: []string{"encrypted_pdf"}}); len(got) != 1 || got[0] != b.SHA256[:4]+":encrypted_pdf" {
		t.Errorf("by reason = %v", got)
	}
	if got := releasable(t, s, QuarantineFilter{Since: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}); len(got) != 0 {
		t.Errorf("since tomorrow = %v, want none", got)
	}
	for prefix, want := range map[string]string{
		"ffff":              "the store holds no file with that hash",
		part.SHA256[:8]:     "only parts of that file were quarantined",
		a.SHA256[:6] + "zz": "the store holds no file",
	} {
		_, err := s.QuarantinedFiles(ctx, QuarantineFilter{Prefixes: []string{prefix}})
		if !errors.Is(err, ErrNoSuchQuarantine) || !strings.Contains(err.Error(), prefix) || !strings.Contains(err.Error(), want) {
			t.Errorf("prefix %s: err = %v, want it named with %q", prefix, err, want)
		}
	}

	sel, err := s.QuarantinedFiles(ctx, QuarantineFilter{Prefixes: []string{a.SHA256[:10]}})
	if err != nil || len(sel) != 1 || sel[0].SHA256 != a.SHA256 || sel[0].Reason != "corrupt" || sel[0].RunID != 1 {
		t.Fatalf("by prefix = %+v, %v", sel, err)
	}
	if !s.Known(a.SHA256) {
		t.Fatal("a quarantined file is not known before its release")
	}
	if n, err := s.ReleaseQuarantined(ctx, []string{a.SHA256}, 2, "v1.2.0"); err != nil || n != 1 {
		t.Fatalf("release: %d, %v", n, err)
	}
	if s.Known(a.SHA256) {
		t.Error("a released file is still known to the store that released it")
	}
	if !s.Known(b.SHA256) || !s.Known(part.SHA256) {
		t.Error("files not released are no longer known")
	}
	var reason, version string
	var run int64
	if err := s.DB().QueryRow(`SELECT reason, released_run, released_version FROM quarantine WHERE file_sha256 = ? AND released_at IS NOT NULL`,
		a.SHA256).Scan(&reason, &run, &version); err != nil || reason != "corrupt" || run != 2 || version != "v1.2.0" {
		t.Errorf("released row: %s run %d %s, %v", reason, run, version, err)
	}
	if _, err := s.QuarantinedFiles(ctx, QuarantineFilter{Prefixes: []string{a.SHA256[:8]}}); err == nil || !strings.Contains(err.Error(), "already released") {
		t.Errorf("releasing twice: %v", err)
	}
	if n, err := s.ReleaseQuarantined(ctx, []string{a.SHA256}, 3, ""); err != nil || n != 0 {
		t.Errorf("a second release of the same file: %d, %v; want 0 released", n, err)
	}

	// A reopened store (the next ingest) does not know it either.
	s = reopen(t, s)
	if s.Known(a.SHA256) {
		t.Fatal("a released file is known after reopening")
	}

	// Read again, it still fails, for another reason: quarantined again.
	again := quarantinedFile("Ada_Lovelace_CV.json", `[{"name": "Ada Lovelace"`)
	again.Err = &extractors.Error{Reason: extractors.ReasonMalformed, Detail: "unexpected end of JSON"}
	if err := s.Commit(ctx, 4, []*pipeline.FileResult{again}); err != nil {
		t.Fatalf("committing a released file again: %v", err)
	}
	// Reopening replays the write-ahead log, which now deletes and re-inserts the key.
	s = reopen(t, s)
	if !s.Known(a.SHA256) {
		t.Error("a file quarantined again is not known")
	}
	var rows string
	if err := s.DB().QueryRow(`SELECT string_agg(reason || '/' || run_id || '/' || (released_at IS NOT NULL), ',' ORDER BY run_id)
	    FROM quarantine WHERE file_sha256 = ?`, a.SHA256).Scan(&rows); err != nil || rows != "corrupt/1/true,malformed/4/false" {
		t.Errorf("quarantine history = %q, %v; want the released row and the new one", rows, err)
	}
	if got := releasable(t, s, QuarantineFilter{Prefixes: []string{a.SHA256[:8]}}); len(got) != 1 || got[0] != a.SHA256[:4]+":malformed" {
		t.Errorf("after the second quarantine = %v, want its new reason", got)
	}

	// Released once more, it is read and ingested this time.
	if n, err := s.ReleaseQuarantined(ctx, []string{a.SHA256}, 5, ""); err != nil || n != 1 {
		t.Fatalf("second release: %d, %v", n, err)
	}
	good := fileResult("a", cand("Ada Lovelace", "ada@example.com", ""))
	good.SHA256, good.Item = a.SHA256, a.Item
	if err := s.Commit(ctx, 6, []*pipeline.FileResult{good}); err != nil {
		t.Fatalf("ingesting a released file: %v", err)
	}
	var status string
	var profiles, standing int
	if err := s.DB().QueryRow(`SELECT (SELECT status FROM files WHERE sha256 = ?), (SELECT count(*) FROM profiles WHERE file_sha256 = ?),
	    (SELECT count(*) FROM quarantine WHERE file_sha256 = ? AND released_at IS NULL)`, a.SHA256, a.SHA256, a.SHA256).Scan(&status, &profiles, &standing); err != nil {
		t.Fatal(err)
	}
	if status != "ingested" || profiles != 1 || standing != 0 {
		t.Errorf("after re-ingest: status %s, %d profiles, %d standing quarantine rows", status, profiles, standing)
	}
	if got := releasable(t, s, QuarantineFilter{}); len(got) != 1 || got[0] != b.SHA256[:4]+":encrypted_pdf" {
		t.Errorf("still quarantined = %v", got)
	}
}
