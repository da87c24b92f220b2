package duckstore

import (
	"context"
	"database/sql"
	"errors"
)

// RecordHead stores the audit log's head (audit.Anchor).
func (s *Store) RecordHead(ctx context.Context, seq int64, hash string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO audit_head VALUES (1, ?, ?, ?)`, seq, hash, s.now())
	return err
}

// Head returns the audit log's head as last recorded (audit.Anchor).
func (s *Store) Head(ctx context.Context) (seq int64, hash string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	return seq, hash, err == nil, err
}
