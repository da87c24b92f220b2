package duckstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/cvetl/cvetl/pipeline"
)

// BeginRun records a new run as running. Runs left "running" by a process that died
// are marked interrupted first, so the ledger never shows a ghost run.
func (s *Store) BeginRun(ctx context.Context, kind string) (int64, error) {
	if _, err := s.db.ExecContext(ctx, `UPDATE runs SET status = 'interrupted' WHERE status = 'running'`); err != nil {
		return 0, err
	}
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) + 1 FROM runs`).Scan(&id); err != nil {
		return 0, err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO runs (run_id, kind, started_at, status) VALUES (?, ?, ?, 'running')`, id, kind, s.now())
	return id, err
}

// FinishRun stores a run's summary and outcome.
func (s *Store) FinishRun(ctx context.Context, runID int64, sum pipeline.Summary, runErr error) error {
	status, errText := "completed", sql.NullString{}
	if runErr != nil {
		status, errText = "failed", sql.NullString{String: runErr.Error(), Valid: true}
	}
	reasons, err := json.Marshal(sum.QuarantinedByReason)
	if err != nil {
		return err
	}
	var subjectsNew int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM subjects WHERE run_id = ?`, runID).Scan(&subjectsNew); err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, files_seen = ?, files_new = ?,
		files_duplicate = ?, files_quarantined = ?, quarantined_by_reason = ?, files_with_problems = ?,
		files_unreadable = ?, candidates = ?, vacancies = ?, subjects_new = ?, error = ? WHERE run_id = ?`,
		s.now(), status, sum.FilesSeen, sum.FilesNew, sum.FilesDuplicate, sum.FilesQuarantined, string(reasons),
		sum.FilesWithProblems, sum.FilesUnreadable, sum.Candidates, sum.Vacancies, subjectsNew, errText, runID)
	if err != nil {
		return fmt.Errorf("recording run %d: %w", runID, err)
	}
	return nil
}

// FinishEventsRun records the outcome of an events import.
func (s *Store) FinishEventsRun(ctx context.Context, runID int64, _ EventsResult, runErr error) error {
	return s.FinishPlainRun(ctx, runID, runErr)
}

// FinishPlainRun records the end of a run that has no counters of its own (apply).
func (s *Store) FinishPlainRun(ctx context.Context, runID int64, runErr error) error {
	status, errText := "completed", sql.NullString{}
	if runErr != nil {
		status, errText = "failed", sql.NullString{String: runErr.Error(), Valid: true}
	}
	_, err := s.db.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE run_id = ?`,
		s.now(), status, errText, runID)
	return err
}
