package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// PurgedLocation replaces the location of a quarantine row (and of a quarantined
// file's files row) once its retention has passed: a path such as
// inbox/Jane_Smith_CV.pdf often names the person.
const PurgedLocation = "purged"

// QuarantinePurge says what PurgeQuarantine did: counts and content hashes, which
// name bytes, never a person or a path.
type QuarantinePurge struct {
	Rows  int64 `json:"rows"`  // quarantine rows stripped by this call
	Files int64 `json:"files"` // files rows of quarantined files whose location was cleared
	// CopiesDeleted are the hashes of the copies deleted, sorted.
	CopiesDeleted []string `json:"copies_deleted"`
	// CopiesKept are copies younger than the limit, or still needed by a younger row
	// of the same content.
	CopiesKept int `json:"copies_kept"`
}

// PurgeQuarantine ends the retention of quarantined files quarantined before
// `before`: their rows keep the hash, reason, run and time but lose the location, the
// detail and an attachment's file name (purged_at records when), a quarantined file's
// files row loses its location once none of its rows is whole, and the copies under
// dir go unless a row of the same content is younger. A copy without any row (left by
// an ingest that crashed before committing) goes once its file is older than `before`.
//
// It is driven by what the store and dir hold, not by what an earlier call did, so it
// is idempotent and a call cut short is finished by the next; a copy already gone is
// not an error.
func (s *Store) PurgeQuarantine(ctx context.Context, dir string, before time.Time) (QuarantinePurge, error) {
	rep := QuarantinePurge{CopiesDeleted: []string{}}
	err := s.inTx(ctx, func(conn *sql.Conn) error {
		res, err := conn.ExecContext(ctx, `UPDATE quarantine SET location = ?, detail = NULL, purged_at = ?,
		        origin = CASE WHEN origin LIKE 'attachment %' THEN 'attachment' ELSE origin END
		    WHERE purged_at IS NULL AND at < ?`, PurgedLocation, s.now(), before)
		if err != nil {
			return fmt.Errorf("stripping quarantine rows: %w", err)
		}
		if rep.Rows, err = res.RowsAffected(); err != nil {
			return err
		}
		res, err = conn.ExecContext(ctx, `UPDATE files SET location = ?
		    WHERE status = 'quarantined' AND location <> ?
		      AND sha256 IN (SELECT file_sha256 FROM quarantine WHERE purged_at IS NOT NULL)
		      AND sha256 NOT IN (SELECT file_sha256 FROM quarantine WHERE purged_at IS NULL)`, PurgedLocation, PurgedLocation)
		if err != nil {
			return fmt.Errorf("clearing quarantined files' locations: %w", err)
		}
		rep.Files, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("quarantine purge: %w", err)
	}
	if rep.Rows+rep.Files > 0 {
		// The old values leave the write-ahead log.
		if _, err := s.db.ExecContext(ctx, `CHECKPOINT`); err != nil {
			return rep, fmt.Errorf("quarantine purge: checkpoint: %w", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("quarantine purge: reading the quarantine folder: %w", err)
	}
	for _, e := range entries { // sorted by name, so CopiesDeleted is too
		sha := e.Name()
		if !e.Type().IsRegular() || !isSHA256(sha) {
			continue // not a copy cvetl wrote
		}
		expired, err := s.copyExpired(ctx, e, before)
		if err != nil {
			return rep, fmt.Errorf("quarantine purge: copy %s: %w", sha[:12], err)
		}
		if !expired {
			rep.CopiesKept++
			continue
		}
		if err := os.Remove(filepath.Join(dir, sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("quarantine purge: deleting copy %s: %w", sha[:12], err)
		}
		rep.CopiesDeleted = append(rep.CopiesDeleted, sha)
	}
	return rep, nil
}

// copyExpired reports whether the copy of one quarantined file may go: every row of
// its content was quarantined before `before`, or, with no row, the copy is that old.
func (s *Store) copyExpired(ctx context.Context, e fs.DirEntry, before time.Time) (bool, error) {
	var young, all int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE at >= ?), count(*) FROM quarantine WHERE file_sha256 = ?`,
		before, e.Name()).Scan(&young, &all)
	if err != nil || all > 0 {
		return young == 0, err
	}
	info, err := e.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return info.ModTime().Before(before), nil
}

// isSHA256 reports whether name is a lower-case hex SHA-256, as copies are named.
func isSHA256(name string) bool {
	if len(name) != 64 {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
