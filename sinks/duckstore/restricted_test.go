package duckstore

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

// benchKeys opens a throwaway key store under a random master key.
func benchKeys(t testing.TB) *restricted.KeyStore {
	t.Helper()
	master, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := restricted.OpenKeyStore(context.Background(), filepath.Join(t.TempDir(), "keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	return keys
}

func openWithKeys(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{Keys: benchKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tagged(name, email, evidence string, c profile.Category) pipeline.ParsedCandidate {
	pc := cand(name, email, "")
	pc.Candidate.Skills = []string{"Care Planning", evidence} // evidence that leaked into a field
	pc.Candidate.SpecialCategories = []profile.Tag{{Category: c, Evidence: evidence, Start: 10, End: 10 + len(evidence), Confidence: 0.9, Detector: "test"}}
	return pc
}

func TestEvidenceIsSealedRedactedAndShreddable(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	batch := []*pipeline.FileResult{
		fileResult("a", tagged("Amara Okafor", "amara@example.com", "I have type 1 diabetes", profile.Health)),
		fileResult("b", tagged("Eilidh MacLeod", "eilidh@example.org", "I am a UNISON steward", profile.TradeUnionMembership)),
	}
	if err := s.Commit(ctx, 1, batch); err != nil {
		t.Fatal(err)
	}
	// Nothing outside restricted holds the evidence, and restricted holds only ciphertext.
	for _, ev := range []string{"type 1 diabetes", "UNISON steward"} {
		for _, table := range []string{"profiles", "sources", "files", "subjects", "subject_keys", "restricted"} {
			var n int
			q := `SELECT count(*) FROM ` + table + ` t WHERE CAST(t AS VARCHAR) LIKE ?`
			if err := s.DB().QueryRow(q, "%"+ev+"%").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s holds evidence %q in clear", table, ev)
			}
		}
	}
	a, b := subjectOf(t, s, "amara@example.com"), subjectOf(t, s, "eilidh@example.org")
	evA, err := s.SubjectEvidence(ctx, a)
	if err != nil || len(evA) != 1 || evA[0].Evidence != "I have type 1 diabetes" || evA[0].Category != profile.Health {
		t.Fatalf("decrypting A: %v %+v", err, evA)
	}

	if err := s.ShredSubject(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubjectEvidence(ctx, a); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Errorf("after shredding, A's evidence: err = %v, want ErrKeyDestroyed", err)
	}
	evB, err := s.SubjectEvidence(ctx, b)
	if err != nil || len(evB) != 1 || !strings.Contains(evB[0].Evidence, "UNISON") {
		t.Errorf("B's evidence after shredding A: %v %+v", err, evB)
	}
}

func TestStoreRefusesEvidenceWithoutKeys(t *testing.T) {
	s := openTemp(t)
	err := s.Commit(context.Background(), 1, []*pipeline.FileResult{
		fileResult("a", tagged("Amara Okafor", "amara@example.com", "I have type 1 diabetes", profile.Health)),
	})
	if err == nil || !strings.Contains(err.Error(), "unencrypted") {
		t.Errorf("commit without a key store: %v", err)
	}
	var n int
	s.DB().QueryRow(`SELECT count(*) FROM profiles`).Scan(&n)
	if n != 0 {
		t.Error("a refused batch left rows behind")
	}
}
