package duckstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
)

// The filters in front of the primary-key lookups must never hide a stored file or
// identity key, also after they outgrow their size and are rebuilt from the store.
func TestLookupsStayExactAsTheFiltersGrow(t *testing.T) {
	defer func(n int) { minFilterMembers = n }(minFilterMembers)
	minFilterMembers = 1 // 64-bit filters: full after 4 members, rebuilt every few batches
	s := openTemp(t)
	ctx := context.Background()
	var shas []string
	for b := range 6 {
		var batch []*pipeline.FileResult
		for i := range 4 {
			n := b*4 + i
			res := fileResult(fmt.Sprintf("%02x", n), cand(fmt.Sprintf("Person %d", n), fmt.Sprintf("p%d@example.com", n), fmt.Sprintf("+4477009%05d", n)))
			batch = append(batch, res)
			shas = append(shas, res.SHA256)
		}
		if err := s.Commit(ctx, 1, batch); err != nil {
			t.Fatal(err)
		}
	}
	if s.stored.files.Len() < 24 || s.stored.keys.Len() < 48 {
		t.Fatalf("filters hold %d files and %d keys, want at least 24 and 48", s.stored.files.Len(), s.stored.keys.Len())
	}
	for _, sha := range shas {
		if !s.Known(sha) {
			t.Errorf("stored file %s… not known after the filters grew", sha[:8])
		}
	}
	if s.Known(strings.Repeat("f", 64)) {
		t.Error("a hash never stored is known")
	}
	// One record with person 0's e-mail and person 13's phone and name: both subjects,
	// stored batches apart and before several rebuilds, are found and merged.
	bridge := fileResult("ee", cand("Person 13", "p0@example.com", "+447700900013"))
	if err := s.Commit(ctx, 2, []*pipeline.FileResult{bridge}); err != nil {
		t.Fatal(err)
	}
	var subjects, merges int
	s.DB().QueryRow(`SELECT count(*) FROM subjects`).Scan(&subjects)
	s.DB().QueryRow(`SELECT count(*) FROM subject_merges WHERE kept_subject_id = ? AND merged_subject_id = ?`,
		subjectOf(t, s, "p0@example.com"), "S0000014").Scan(&merges)
	if subjects != 23 || merges != 1 {
		t.Errorf("after the bridging record: %d subjects and %d merges of S0000014 into person 0's, want 23 and 1", subjects, merges)
	}
}

// An erased file's hash stays known, so the same bytes are not ingested again.
func TestErasedFileIsKnown(t *testing.T) {
	s := openTemp(t)
	sha := strings.Repeat("ab", 32)
	if _, err := s.DB().Exec(`INSERT INTO erased_files VALUES (?, now()::TIMESTAMP)`, sha); err != nil {
		t.Fatal(err)
	}
	if !s.Known(sha) {
		t.Error("erased file's hash is not known")
	}
}

// A raw file an erasure rewrote is known by its new content, so reading the folder
// again does not ingest the other people's rows a second time.
func TestRewrittenRawFileIsKnown(t *testing.T) {
	s := openTemp(t)
	old, next := strings.Repeat("cd", 32), strings.Repeat("ef", 32)
	if _, err := s.DB().Exec(`INSERT INTO raw_rewrites VALUES (?, ?, ?, ['row 2'], 2, now()::TIMESTAMP, 1)`, next, old, old); err != nil {
		t.Fatal(err)
	}
	if !s.Known(next) {
		t.Error("the rewritten content's hash is not known")
	}
	if s.Known(strings.Repeat("01", 32)) {
		t.Error("a hash never stored is known")
	}
}
