package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PurgeReport says what PurgeHandedOff dropped. Counts only.
type PurgeReport struct {
	ThroughRun    int64 `json:"through_run"` // highest handed-off run; 0: nothing handed off yet
	Subjects      int64 `json:"subjects"`
	Profiles      int64 `json:"profiles"`
	Restricted    int64 `json:"restricted"`
	KeysDestroyed int   `json:"keys_destroyed"`
	Files         int64 `json:"files"` // files rows whose location was cleared
}

// The runs a shard's store has handed off to the authoritative store (lake_handoffs,
// written by lake/handoff.Write once the handoff object is stored).
const handedOffRuns = `(SELECT r.run_id FROM runs r JOIN lake_handoffs h ON r.run_id BETWEEN h.first_run AND h.last_run)`

// Subjects that still have rows the store has not handed off: they stay.
const keptSubjects = `(SELECT subject_id FROM profiles WHERE run_id NOT IN ` + handedOffRuns + `
	UNION SELECT subject_id FROM sources WHERE run_id NOT IN ` + handedOffRuns + `
	UNION SELECT subject_id FROM restricted WHERE run_id NOT IN ` + handedOffRuns + `
	UNION SELECT subject_id FROM events WHERE run_id NOT IN ` + handedOffRuns + `)`

// Subjects created by handed-off runs with nothing left that was not handed off.
const droppedSubjects = `(SELECT subject_id FROM subjects WHERE run_id IN ` + handedOffRuns + `
	AND subject_id NOT IN ` + keptSubjects + `)`

// HandedOffLocation replaces files.location once a file is handed off: the shard keeps
// the hash, size, status and run of each file (its dedupe ledger), not where it was.
const HandedOffLocation = "handed-off"

// PurgeHandedOff drops the personal data of every run the store has handed off
// (recorded in lake_handoffs), so a shard's store is only a dedupe ledger once the
// authoritative store holds its data: restricted rows (and their data keys are
// destroyed), profiles, sources, subjects and their identity keys, vacancies, events,
// quarantine rows of handed-off files and files.location. Then it checkpoints, so the
// bytes leave the write-ahead log.
//
// It is driven by the ledger, not by what this process did, so it is idempotent and a
// purge cut short is finished by the next call: keys are destroyed before their rows
// are deleted (a crash in between leaves rows nobody can decrypt, deleted next time),
// and the rows go in one transaction. Runs not handed off (a handoff that failed) keep
// everything, and so do the subjects and keys they still use. Unreadable inputs'
// quarantine rows (no files row) are not handed off and stay: the shard retries them.
func (s *Store) PurgeHandedOff(ctx context.Context) (PurgeReport, error) {
	var rep PurgeReport
	var through sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(run_id) FROM `+handedOffRuns).Scan(&through); err != nil {
		return rep, fmt.Errorf("purge: reading handoffs: %w", err)
	}
	if !through.Valid {
		return rep, nil
	}
	rep.ThroughRun = through.Int64
	keys, err := s.stringColumn(ctx, `SELECT key_id FROM (
	        SELECT key_id FROM restricted WHERE run_id IN `+handedOffRuns+`
	        UNION SELECT subject_id FROM `+droppedSubjects+`)
	    WHERE key_id NOT IN (SELECT key_id FROM restricted WHERE run_id NOT IN `+handedOffRuns+`)
	      AND key_id NOT IN (SELECT subject_id FROM subjects WHERE subject_id IN `+keptSubjects+`)
	    ORDER BY key_id`)
	if err != nil {
		return rep, fmt.Errorf("purge: reading data keys: %w", err)
	}
	if len(keys) > 0 {
		if s.keys == nil {
			return rep, errors.New("purge: the store has no key store: cannot destroy the data keys of handed-off evidence")
		}
		if rep.KeysDestroyed, err = s.keys.DestroyMany(ctx, keys); err != nil {
			return rep, fmt.Errorf("purge: destroying data keys: %w", err)
		}
	}
	high, err := s.highestSubjectID(ctx)
	if err != nil {
		return rep, fmt.Errorf("purge: reading subject ids: %w", err)
	}
	err = s.inTx(ctx, func(conn *sql.Conn) error {
		count := func(dst *int64, q string) error { return conn.QueryRowContext(ctx, q).Scan(dst) }
		if err := count(&rep.Subjects, `SELECT count(*) FROM `+droppedSubjects); err != nil {
			return err
		}
		if err := count(&rep.Profiles, `SELECT count(*) FROM profiles WHERE run_id IN `+handedOffRuns); err != nil {
			return err
		}
		if err := count(&rep.Restricted, `SELECT count(*) FROM restricted WHERE run_id IN `+handedOffRuns); err != nil {
			return err
		}
		if err := count(&rep.Files, `SELECT count(*) FROM files WHERE run_id IN `+handedOffRuns+` AND location <> '`+HandedOffLocation+`'`); err != nil {
			return err
		}
		// Subjects first: droppedSubjects reads the rows deleted after it.
		for _, q := range []string{
			`CREATE TEMP TABLE purge_subjects AS SELECT subject_id FROM ` + droppedSubjects,
			`DELETE FROM subject_keys WHERE subject_id IN (SELECT subject_id FROM purge_subjects)`,
			`DELETE FROM subject_merges WHERE kept_subject_id IN (SELECT subject_id FROM purge_subjects)`,
			`DELETE FROM subjects WHERE subject_id IN (SELECT subject_id FROM purge_subjects)`,
			`DROP TABLE purge_subjects`,
			`DELETE FROM restricted WHERE run_id IN ` + handedOffRuns,
			`DELETE FROM profiles WHERE run_id IN ` + handedOffRuns,
			`DELETE FROM sources WHERE run_id IN ` + handedOffRuns,
			`DELETE FROM events WHERE run_id IN ` + handedOffRuns,
			`DELETE FROM vacancies WHERE run_id IN ` + handedOffRuns + ` AND file_sha256 IN (SELECT sha256 FROM files)`,
			`DELETE FROM quarantine WHERE run_id IN ` + handedOffRuns + ` AND file_sha256 IN (SELECT sha256 FROM files)`,
			`UPDATE files SET location = '` + HandedOffLocation + `' WHERE run_id IN ` + handedOffRuns + ` AND location <> '` + HandedOffLocation + `'`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if rep.Subjects+rep.Profiles+rep.Restricted+rep.Files == 0 && rep.KeysDestroyed == 0 {
			return nil
		}
		_, err := conn.ExecContext(ctx, `INSERT INTO shard_purges VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.now(), rep.ThroughRun, high, rep.Subjects, rep.Profiles, rep.Restricted, rep.KeysDestroyed, rep.Files)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("purge: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		return rep, fmt.Errorf("purge: checkpoint: %w", err)
	}
	// Nothing to forget in memory: lookups query the tables, and the filters in front
	// of them may only answer "maybe" for a purged key, which the query then settles.
	return rep, nil
}

// highestSubjectID is the highest subject id the store has issued, or NULL.
func (s *Store) highestSubjectID(ctx context.Context) (sql.NullString, error) {
	var n sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(CAST(substr(id, 2) AS BIGINT)) FROM (`+issuedSubjectIDs+`)`).Scan(&n)
	if err != nil || !n.Valid {
		return sql.NullString{}, err
	}
	return sql.NullString{String: fmt.Sprintf("S%07d", n.Int64), Valid: true}, nil
}

func (s *Store) stringColumn(ctx context.Context, q string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
