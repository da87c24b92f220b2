package matching

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ExportOptions name what to export and where.
type ExportOptions struct {
	ManifestID string
	Client     string
	Out        string    // the file written (JSON)
	At         time.Time // the day of the disclosure
	// Approved, when set, is the review service's say on which rows are approved (for
	// example four-eyes rules); a row is exported only if it is approved by the rule
	// in matching.sql and is in this set too.
	Approved func(ctx context.Context, manifestID string) (map[string]bool, error)
}

// ExportResult counts what was exported.
type ExportResult struct {
	Rows     int `json:"rows"`
	Subjects int `json:"subjects"`
	// Withheld are approved rows not exported because the subject is now excluded
	// (objected, restricted, due for deletion, do not supply to this client).
	Withheld int `json:"withheld"`
}

// ExportedRow is one approved match as the client receives it: ids, score and the
// reasons, no contact details.
type ExportedRow struct {
	RowID         string   `json:"row_id"`
	VacancyID     string   `json:"vacancy_id"`
	SubjectID     string   `json:"subject_id"`
	Rank          int      `json:"rank"`
	Score         float64  `json:"score"`
	Explanation   string   `json:"explanation"`
	MatchedSkills []string `json:"matched_skills"`
}

// RecordEvents imports lifecycle events (JSONL, the `cvetl events import` format).
type RecordEvents func(ctx context.Context, jsonl []byte, source string) error

// ErrNotMatches is returned for a manifest of another kind.
var ErrNotMatches = errors.New("not a match manifest")

// Export writes the approved matches of one manifest for one client to opt.Out and
// records a `disclosed` event {recipient: client} for each subject in it, through
// record. The file appears only if the events were recorded.
func Export(ctx context.Context, db *sql.DB, opt ExportOptions, record RecordEvents) (ExportResult, error) {
	var res ExportResult
	client := strings.TrimSpace(opt.Client)
	if opt.ManifestID == "" || client == "" || opt.Out == "" {
		return res, errors.New("export needs a manifest id, a client and an output file")
	}
	var kind string
	err := db.QueryRowContext(ctx, query("manifest_kind"), sql.Named("manifest_id", opt.ManifestID)).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("manifest %s: no such manifest", opt.ManifestID)
	}
	if err != nil {
		return res, fmt.Errorf("manifest %s: %w", opt.ManifestID, err)
	}
	if kind != Kind {
		return res, fmt.Errorf("manifest %s is a %s manifest: %w", opt.ManifestID, kind, ErrNotMatches)
	}
	excluded := map[string]bool{}
	rows, err := db.QueryContext(ctx, query("excluded"), sql.Named("client", client))
	if err != nil {
		return res, fmt.Errorf("matching.sql excluded: %w", err)
	}
	for rows.Next() {
		var subj, reason string
		if err := rows.Scan(&subj, &reason); err != nil {
			rows.Close()
			return res, err
		}
		excluded[subj] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}

	var reviewed map[string]bool
	if opt.Approved != nil {
		if reviewed, err = opt.Approved(ctx, opt.ManifestID); err != nil {
			return res, fmt.Errorf("manifest %s: approved rows: %w", opt.ManifestID, err)
		}
	}
	out := []ExportedRow{}
	rows, err = db.QueryContext(ctx, query("approved"), sql.Named("manifest_id", opt.ManifestID), sql.Named("client", client))
	if err != nil {
		return res, fmt.Errorf("matching.sql approved: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportedRow
		var clientCol sql.NullString
		var skills any
		if err := rows.Scan(&r.RowID, &r.VacancyID, &clientCol, &r.SubjectID, &r.Rank, &r.Score, &r.Explanation, &skills); err != nil {
			return res, fmt.Errorf("matching.sql approved: %w", err)
		}
		if reviewed != nil && !reviewed[r.RowID] {
			continue
		}
		if excluded[r.SubjectID] {
			res.Withheld++
			continue
		}
		r.MatchedSkills = stringList(skills)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	res.Rows = len(out)

	var events bytes.Buffer
	seen := map[string]bool{}
	detail, _ := json.Marshal(map[string]string{"recipient": client})
	for _, r := range out {
		if seen[r.SubjectID] {
			continue
		}
		seen[r.SubjectID] = true
		line, _ := json.Marshal(map[string]any{"subject": r.SubjectID, "event": "disclosed",
			"at": opt.At.Format(time.DateOnly), "detail": json.RawMessage(detail)})
		events.Write(append(line, '\n'))
	}
	res.Subjects = len(seen)

	body, err := json.MarshalIndent(struct {
		ManifestID string        `json:"manifest_id"`
		Client     string        `json:"client"`
		Disclosed  string        `json:"disclosed"`
		Rows       []ExportedRow `json:"rows"`
	}{opt.ManifestID, client, opt.At.Format(time.DateOnly), out}, "", "  ")
	if err != nil {
		return res, err
	}
	if dir := filepath.Dir(opt.Out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return res, fmt.Errorf("export %s: %w", opt.Out, err)
		}
	}
	tmp := fmt.Sprintf("%s.tmp-%d", opt.Out, os.Getpid())
	if err := os.WriteFile(tmp, append(body, '\n'), 0o600); err != nil {
		return res, fmt.Errorf("export %s: %w", opt.Out, err)
	}
	if events.Len() > 0 {
		if err := record(ctx, events.Bytes(), "matches export "+opt.ManifestID); err != nil {
			os.Remove(tmp)
			return res, fmt.Errorf("recording the disclosures (nothing exported): %w", err)
		}
	}
	if err := os.Rename(tmp, opt.Out); err != nil {
		os.Remove(tmp)
		return res, fmt.Errorf("export %s (the disclosures are recorded; run the export again): %w", opt.Out, err)
	}
	return res, nil
}
