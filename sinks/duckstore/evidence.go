package duckstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

// Evidence is one decrypted special-category finding, for a subject access export.
type Evidence struct {
	TagID     string
	Category  profile.Category
	Condition string
	Evidence  string
}

// SubjectEvidence decrypts a subject's restricted rows. Rows whose key was destroyed
// come back as restricted.ErrKeyDestroyed.
func (s *Store) SubjectEvidence(ctx context.Context, subjectID string) ([]Evidence, error) {
	if s.keys == nil {
		return nil, errors.New("no key store")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT tag_id, key_id, category, coalesce(condition, ''), evidence_sealed
		FROM restricted WHERE subject_id = ? ORDER BY tag_id`, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		var e Evidence
		var keyID string
		var sealed []byte
		if err := rows.Scan(&e.TagID, &keyID, &e.Category, &e.Condition, &sealed); err != nil {
			return nil, err
		}
		dk, err := s.keys.Lookup(ctx, keyID)
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", e.TagID, err)
		}
		plain, err := restricted.Unseal(dk, sealed, evidenceAAD(e.TagID, e.Category))
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", e.TagID, err)
		}
		e.Evidence = string(plain)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ShredSubject destroys every data key the subject's restricted rows are sealed under.
func (s *Store) ShredSubject(ctx context.Context, subjectID string) error {
	if s.keys == nil {
		return errors.New("no key store")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT key_id FROM restricted WHERE subject_id = ? UNION SELECT ?`, subjectID, subjectID)
	if err != nil {
		return err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	for _, k := range keys {
		if err := s.keys.Destroy(ctx, k); err != nil {
			return fmt.Errorf("destroying a data key: %w", err)
		}
	}
	return nil
}

// EvidenceWithCondition decrypts, one row at a time, the evidence of the restricted
// rows recorded with condition, and calls fn with each; nothing else is opened.
// Rows whose data key was destroyed are skipped and counted in shredded. Errors name
// the tag, never the evidence.
func (s *Store) EvidenceWithCondition(ctx context.Context, condition string, fn func(Evidence) error) (shredded int, err error) {
	if s.keys == nil {
		return 0, errors.New("no key store")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT tag_id, key_id, category, evidence_sealed
		FROM restricted WHERE condition = ? ORDER BY tag_id`, condition)
	if err != nil {
		return 0, err
	}
	type sealedRow struct {
		tagID, keyID string
		category     profile.Category
		sealed       []byte
	}
	// Read the rows first: fn may use the store, which allows one connection at a time
	// in some callers.
	var all []sealedRow
	for rows.Next() {
		var r sealedRow
		if err := rows.Scan(&r.tagID, &r.keyID, &r.category, &r.sealed); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range all {
		dk, err := s.keys.Lookup(ctx, r.keyID)
		if errors.Is(err, restricted.ErrKeyDestroyed) {
			shredded++
			continue
		}
		if err != nil {
			return shredded, fmt.Errorf("tag %s: %w", r.tagID, err)
		}
		plain, err := restricted.Unseal(dk, r.sealed, evidenceAAD(r.tagID, r.category))
		if err != nil {
			return shredded, fmt.Errorf("tag %s: %w", r.tagID, err)
		}
		if err := fn(Evidence{TagID: r.tagID, Category: r.category, Condition: condition, Evidence: string(plain)}); err != nil {
			return shredded, err
		}
	}
	return shredded, nil
}

// StoredTag is one restricted row with its evidence decrypted.
type StoredTag struct {
	TagID, ProfileID string
	Category         profile.Category
	Condition        string
	Detector         string
	Confidence       float64
	Start, End       int
	Evidence         string
}

// TagsOfRuns decrypts the restricted rows written by runs after afterRun up to upToRun,
// in tag order, for the sealed handoff of a shard's store to the authoritative one.
// Rows whose data key was destroyed are left out: that evidence was erased.
func (s *Store) TagsOfRuns(ctx context.Context, afterRun, upToRun int64) ([]StoredTag, error) {
	if s.keys == nil {
		return nil, errors.New("no key store")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT tag_id, profile_id, key_id, category, coalesce(condition, ''), detector,
		confidence, start_offset, end_offset, evidence_sealed
		FROM restricted WHERE run_id > ? AND run_id <= ? ORDER BY tag_id`, afterRun, upToRun)
	if err != nil {
		return nil, err
	}
	type sealedTag struct {
		StoredTag
		keyID  string
		sealed []byte
	}
	var all []sealedTag
	for rows.Next() {
		var t sealedTag
		if err := rows.Scan(&t.TagID, &t.ProfileID, &t.keyID, &t.Category, &t.Condition, &t.Detector,
			&t.Confidence, &t.Start, &t.End, &t.sealed); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]StoredTag, 0, len(all))
	for _, t := range all {
		dk, err := s.keys.Lookup(ctx, t.keyID)
		if errors.Is(err, restricted.ErrKeyDestroyed) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", t.TagID, err)
		}
		plain, err := restricted.Unseal(dk, t.sealed, evidenceAAD(t.TagID, t.Category))
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", t.TagID, err)
		}
		t.Evidence = string(plain)
		out = append(out, t.StoredTag)
	}
	return out, nil
}
