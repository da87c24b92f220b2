package duckstore

import (
	"context"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
)

// TestRetagListsWhatItRememberedChanged: RetagFiles hands back the size and time
// RememberChanged recorded for a file; a second record replaces the first, forget
// drops it, and nothing else is remembered.
func TestRetagListsWhatItRememberedChanged(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	fa := fileResult("a", cand("Nia Brennan", "nia@example.com", ""))
	fb := fileResult("b", cand("Tom Reyes", "tom@example.com", ""))
	if err := s.Commit(ctx, 1, []*pipeline.FileResult{fa, fb}); err != nil {
		t.Fatal(err)
	}
	changed := func() map[string]RawSeen {
		l, err := s.RetagFiles(ctx, "cur", false)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]RawSeen{}
		for _, f := range l.Files {
			if f.Changed != nil {
				out[f.SHA256[:1]] = *f.Changed
			}
		}
		return out
	}
	if got := changed(); len(got) != 0 {
		t.Fatalf("before anything was remembered: %v", got)
	}
	if err := s.RememberChanged(ctx, map[string]RawSeen{fa.SHA256: {Size: 10, ModTime: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RememberChanged(ctx, map[string]RawSeen{fa.SHA256: {Size: 11, ModTime: 1_700_000_000_123_456_789}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := changed(); len(got) != 1 || got["a"] != (RawSeen{Size: 11, ModTime: 1_700_000_000_123_456_789}) {
		t.Fatalf("after two records of a: %v, want the second, to the nanosecond", got)
	}
	var rows int
	s.DB().QueryRow(`SELECT count(*) FROM retag_changed`).Scan(&rows)
	if rows != 1 {
		t.Fatalf("%d rows remembered, want one per file", rows)
	}
	if err := s.RememberChanged(ctx, nil, []string{fa.SHA256}); err != nil {
		t.Fatal(err)
	}
	if got := changed(); len(got) != 0 {
		t.Fatalf("after forgetting a: %v", got)
	}
}
