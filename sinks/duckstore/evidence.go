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
