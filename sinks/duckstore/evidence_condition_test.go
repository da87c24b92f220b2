package duckstore

import (
	"context"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// TestEvidenceWithCondition opens only the rows of the condition asked for, skips a
// subject whose key was destroyed, and reports a tampered row by its tag, never its text.
func TestEvidenceWithCondition(t *testing.T) {
	ctx := context.Background()
	s := openWithKeys(t)
	insert := func(tag, subject, cat string, cond any, evidence string) {
		t.Helper()
		sealed, err := s.SealEvidence(ctx, subject, tag, profile.Category(cat), evidence)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`INSERT INTO restricted VALUES (?, ?, ?, 'p', ?, ?, 'test', 0.9, 0, 1, ?, 1)`,
			tag, subject, subject, cat, cond, sealed); err != nil {
			t.Fatal(err)
		}
	}
	insert("t1", "S1", "religious_beliefs", "equal_opportunities_monitoring", "Religion: Quaker")
	insert("t2", "S2", "health", nil, "I manage my asthma")
	insert("t3", "S3", "health", "occupational_health", "Fit for night shifts")
	insert("t4", "S4", "religious_beliefs", "equal_opportunities_monitoring", "Religion: Sikh")
	if err := s.ShredSubject(ctx, "S4"); err != nil {
		t.Fatal(err)
	}
	var got []Evidence
	shredded, err := s.EvidenceWithCondition(ctx, "equal_opportunities_monitoring", func(e Evidence) error {
		got = append(got, e)
		return nil
	})
	if err != nil || shredded != 1 {
		t.Fatalf("shredded = %d, err = %v; want 1, nil", shredded, err)
	}
	if len(got) != 1 || got[0].TagID != "t1" || got[0].Evidence != "Religion: Quaker" || got[0].Category != profile.ReligiousBeliefs {
		t.Fatalf("got %+v, want only t1 decrypted", got)
	}
	// A ciphertext moved to another row fails authentication: the error names the tag.
	if _, err := s.DB().Exec(`UPDATE restricted SET evidence_sealed = (SELECT evidence_sealed FROM restricted WHERE tag_id = 't3'),
		condition = 'equal_opportunities_monitoring' WHERE tag_id = 't2'`); err != nil {
		t.Fatal(err)
	}
	_, err = s.EvidenceWithCondition(ctx, "equal_opportunities_monitoring", func(Evidence) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "t2") || strings.Contains(err.Error(), "night") || strings.Contains(err.Error(), "asthma") {
		t.Errorf("tampered row: err = %v, want one naming tag t2 and no evidence", err)
	}
}
