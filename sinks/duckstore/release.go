package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// QuarantinedFile is a whole file the store holds as quarantined (files.status =
// 'quarantined') and has not released: its hash, why, and when. Its provenance is
// there to read it again from its copy as the file it was; it is never printed.
type QuarantinedFile struct {
	SHA256        string    `json:"sha256"`
	Reason        string    `json:"reason"`
	QuarantinedAt time.Time `json:"quarantined_at"`
	RunID         int64     `json:"run_id"` // the run that quarantined it

	Location   string    `json:"-"` // as first ingested; PurgedLocation once the retention purge ran
	Channel    string    `json:"-"`
	ReceivedAt time.Time `json:"-"`
}

// QuarantineFilter chooses whole-file quarantines. Empty fields do not filter; the
// fields given must all hold.
type QuarantineFilter struct {
	Reasons []string  // any of these reasons
	Since   time.Time // quarantined at or after
	// Prefixes are lower-case hex SHA-256 prefixes; each must name exactly one
	// whole-file quarantine not yet released, or the call fails naming the prefix.
	Prefixes []string
}

// ErrNoSuchQuarantine is wrapped by the error of a prefix that names no whole-file
// quarantine the store could release.
var ErrNoSuchQuarantine = errors.New("no whole-file quarantine to release")

// quarantinedFilesQuery lists whole-file quarantines not released: a files row still
// saying quarantined, with its latest standing whole-file row. A file quarantined in
// part only (a bad row, an attachment) has status 'ingested' and never appears.
const quarantinedFilesQuery = `SELECT f.sha256, q.reason, q.at, q.run_id, f.location, f.channel, f.received_at
    FROM files f JOIN quarantine q ON q.file_sha256 = f.sha256
    WHERE f.status = 'quarantined' AND q.origin IS NULL AND q.released_at IS NULL
    QUALIFY row_number() OVER (PARTITION BY f.sha256 ORDER BY q.at DESC, q.run_id DESC) = 1`

// QuarantinedFiles lists the whole-file quarantines f chooses, by hash.
func (s *Store) QuarantinedFiles(ctx context.Context, f QuarantineFilter) ([]QuarantinedFile, error) {
	where, args := []string{"TRUE"}, []any{}
	if len(f.Reasons) > 0 {
		where = append(where, "reason IN (?"+strings.Repeat(", ?", len(f.Reasons)-1)+")")
		for _, r := range f.Reasons {
			args = append(args, r)
		}
	}
	if !f.Since.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.Since)
	}
	if len(f.Prefixes) > 0 {
		shas, err := s.resolveQuarantinePrefixes(ctx, f.Prefixes)
		if err != nil {
			return nil, err
		}
		where = append(where, "sha256 IN (?"+strings.Repeat(", ?", len(shas)-1)+")")
		for _, sha := range shas {
			args = append(args, sha)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (`+quarantinedFilesQuery+`) WHERE `+strings.Join(where, " AND ")+` ORDER BY sha256`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing quarantined files: %w", err)
	}
	defer rows.Close()
	out := []QuarantinedFile{}
	for rows.Next() {
		var q QuarantinedFile
		if err := rows.Scan(&q.SHA256, &q.Reason, &q.QuarantinedAt, &q.RunID, &q.Location, &q.Channel, &q.ReceivedAt); err != nil {
			return nil, err
		}
		q.QuarantinedAt, q.ReceivedAt = q.QuarantinedAt.UTC(), q.ReceivedAt.UTC()
		out = append(out, q)
	}
	return out, rows.Err()
}

// resolveQuarantinePrefixes turns each prefix into the one whole-file quarantine it
// names, or says why it names none (or more than one).
func (s *Store) resolveQuarantinePrefixes(ctx context.Context, prefixes []string) ([]string, error) {
	var shas []string
	for _, p := range prefixes {
		rows, err := s.db.QueryContext(ctx, `SELECT sha256 FROM (`+quarantinedFilesQuery+`) WHERE starts_with(sha256, ?) ORDER BY sha256 LIMIT 2`, p)
		if err != nil {
			return nil, fmt.Errorf("looking up quarantined file %s: %w", p, err)
		}
		var found []string
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, sha)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		switch len(found) {
		case 1:
			shas = append(shas, found[0])
		case 0:
			why, err := s.whyNotQuarantined(ctx, p)
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %s: %s", ErrNoSuchQuarantine, p, why)
		default:
			return nil, fmt.Errorf("%w: %s names more than one quarantined file; give more of the hash", ErrNoSuchQuarantine, p)
		}
	}
	return shas, nil
}

// whyNotQuarantined explains a prefix that names no releasable quarantine.
func (s *Store) whyNotQuarantined(ctx context.Context, prefix string) (string, error) {
	var ingested, parts, released, unreadable int
	err := s.db.QueryRowContext(ctx, `SELECT
	    (SELECT count(*) FROM files WHERE starts_with(sha256, ?) AND status <> 'quarantined'),
	    (SELECT count(*) FROM quarantine WHERE starts_with(file_sha256, ?) AND origin IS NOT NULL),
	    (SELECT count(*) FROM quarantine WHERE starts_with(file_sha256, ?) AND released_at IS NOT NULL),
	    (SELECT count(*) FROM quarantine WHERE starts_with(file_sha256, ?) AND reason = 'source_unreadable')`,
		prefix, prefix, prefix, prefix).Scan(&ingested, &parts, &released, &unreadable)
	switch {
	case err != nil:
		return "", fmt.Errorf("looking up file %s: %w", prefix, err)
	case ingested > 0 && parts > 0:
		return "only parts of that file were quarantined (a bad row or attachment); the rest was ingested", nil
	case ingested > 0:
		return "that file was ingested, not quarantined", nil
	case released > 0:
		return "already released; the next ingest of its inbox reads it again", nil
	case unreadable > 0:
		return "the source could not deliver it; every ingest retries it without a release", nil
	}
	return "the store holds no file with that hash", nil
}

// ReleaseQuarantined makes the whole-file quarantines of shas unknown again, so that
// the next ingest that meets the same bytes reads them afresh: their files rows go,
// and their standing quarantine rows are marked released at now by runID and version
// (empty: unknown) but kept, as the audit trail. A file that fails again is
// quarantined again by that ingest, with its new reason.
//
// It runs in its own transaction, apart from any ingest: DuckDB 1.1 rejects deleting
// and re-inserting one primary key in a single transaction, and the ingest's Commit
// inserts the file afresh. The stored-files filter needs no change: it only promises
// what the store certainly lacks, and a released hash answers "maybe", which the
// point query then denies. Hashes no longer whole-file quarantined are skipped; it
// returns how many files it released.
func (s *Store) ReleaseQuarantined(ctx context.Context, shas []string, runID int64, version string) (int, error) {
	if len(shas) == 0 {
		return 0, nil
	}
	released := 0
	err := s.inTx(ctx, func(conn *sql.Conn) error {
		now := s.now()
		for _, sha := range shas {
			res, err := conn.ExecContext(ctx, `DELETE FROM files WHERE sha256 = ? AND status = 'quarantined'`, sha)
			if err != nil {
				return fmt.Errorf("releasing file %s: %w", short(sha), err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				continue // released already, or ingested since: nothing to do
			}
			if _, err := conn.ExecContext(ctx, `UPDATE quarantine SET released_at = ?, released_run = ?, released_version = ?
			    WHERE file_sha256 = ? AND released_at IS NULL`, now, runID, nullable(version), sha); err != nil {
				return fmt.Errorf("marking file %s released: %w", short(sha), err)
			}
			released++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("quarantine release: %w", err)
	}
	return released, nil
}

func short(sha string) string { return sha[:min(12, len(sha))] }
