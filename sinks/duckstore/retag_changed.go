package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// RawSeen is the size and modification time (Unix nanoseconds) of a stored file's raw
// input when retag last found its bytes changed since ingest.
type RawSeen struct {
	Size    int64
	ModTime int64
}

// RememberChanged records, for each file in seen (by hash), the raw input retag found
// changed, replacing what was recorded before, and forgets the files in forget (read
// again and found unchanged, or current). Losing it only means hashing those files
// once more, so callers need not stop a run for it.
func (s *Store) RememberChanged(ctx context.Context, seen map[string]RawSeen, forget []string) error {
	if len(seen) == 0 && len(forget) == 0 {
		return nil
	}
	drop := append([]string(nil), forget...)
	for sha := range seen {
		drop = append(drop, sha)
	}
	err := s.inTx(ctx, func(conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, `DELETE FROM retag_changed WHERE sha256 IN (SELECT unnest(string_split(?, ',')))`,
			strings.Join(drop, ",")); err != nil {
			return err
		}
		for sha, r := range seen {
			if _, err := conn.ExecContext(ctx, `INSERT INTO retag_changed VALUES (?, ?, ?, ?)`, sha, r.Size, r.ModTime, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording %d raw files found changed: %w", len(seen), err)
	}
	return nil
}
