package duckstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

// RecordEvent records one validated event for a known subject id, as events import
// would (same key, so recording it twice adds nothing), without loading the identity
// index: rights commands touch one subject. It reports whether the event was new.
func (s *Store) RecordEvent(ctx context.Context, subjectID string, ev profile.Event, source string, runID int64) (bool, error) {
	ev.Subject = subjectID
	if err := ev.Validate(); err != nil {
		return false, err
	}
	key := eventKey(subjectID, ev)
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM events WHERE event_key = ?`, key).Scan(&exists); err != nil {
		return false, err
	}
	if exists {
		return false, nil
	}
	at, _ := time.Parse(time.DateOnly, ev.At)
	var detail any
	if len(ev.Detail) > 0 {
		detail = string(ev.Detail)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)`, key, subjectID, ev.Event, at, detail, source, runID)
	return err == nil, err
}

// SealEvidence seals special-category evidence for a restricted row with the data key
// keyID names (created if needed), bound to the row as ingestion binds it. Restoring a
// subject access export into a store uses it.
func (s *Store) SealEvidence(ctx context.Context, keyID, tagID string, category profile.Category, evidence string) ([]byte, error) {
	if s.keys == nil {
		return nil, errors.New("no key store: refusing to write special-category evidence")
	}
	dk, err := s.keys.DataKey(ctx, keyID)
	if err != nil {
		return nil, fmt.Errorf("data key: %w", err)
	}
	return restricted.Seal(dk, []byte(evidence), evidenceAAD(tagID, category))
}
