// Package notices runs the Article 14 notices job: which data subjects must be told
// that we hold data we did not get from them, by when, and whether they have been. It
// writes the notices manifest and records it in the store.
package notices

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/jobs/manifest"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/review"
)

//go:embed notices.sql
var noticesSQL string

// Kind is the manifest kind.
const Kind = "notices"

// Statuses of a notices row.
const (
	StatusDue     = "due"     // owed, due on or after the day
	StatusOverdue = "overdue" // owed, due before the day
	StatusSent    = "sent"    // a notice was sent on or after the item arrived
	StatusExempt  = "exempt"  // obtained from the person: Art. 13, not Art. 14
)

// Columns are the notices manifest's columns, in file order.
var Columns = []manifest.Column{
	{Name: "row_id", Type: manifest.String},
	{Name: "subject_id", Type: manifest.String},
	{Name: "subject_ref", Type: manifest.String},
	{Name: "item", Type: manifest.String},
	{Name: "channel", Type: manifest.String},
	{Name: "received_date", Type: manifest.Date},
	{Name: "due_date", Type: manifest.Date},
	{Name: "due_trigger", Type: manifest.String},
	{Name: "status", Type: manifest.String},
	{Name: "last_sent", Type: manifest.Date},
	{Name: "exempt_reason", Type: manifest.String},
	{Name: "review_required", Type: manifest.Bool},
	{Name: "review_reasons", Type: manifest.StringList},
}

// Row is one notices-manifest row.
type Row struct {
	RowID          string   `json:"row_id"`
	SubjectID      string   `json:"subject_id"`
	SubjectRef     string   `json:"subject_ref"`
	Item           string   `json:"item"` // source | new_category
	Channel        string   `json:"channel"`
	ReceivedDate   string   `json:"received_date"`
	DueDate        string   `json:"due_date"`
	DueTrigger     string   `json:"due_trigger"`
	Status         string   `json:"status"`
	LastSent       string   `json:"last_sent"`
	ExemptReason   string   `json:"exempt_reason"`
	ReviewRequired bool     `json:"review_required"`
	ReviewReasons  []string `json:"review_reasons"`
}

// Owed reports whether the row asks for a notice to be sent.
func (r Row) Owed() bool { return r.Status == StatusDue || r.Status == StatusOverdue }

// Options configure one run.
type Options struct {
	Policy *policy.Policy
	AsOf   time.Time
	// OutDir receives manifests/notices-<as-of>.{json,csv,parquet}.
	OutDir string
	// RunID is the nightly run that writes the manifest.
	RunID int64
}

// Result is the run summary: counts and ids only.
type Result struct {
	ManifestID string         `json:"manifest_id"`
	Rows       int            `json:"rows"`
	ByStatus   map[string]int `json:"by_status"`
	Flagged    int            `json:"flagged"`
	Files      []string       `json:"files"`
	Problems   []string       `json:"problems"`
}

// Evaluate computes the notices rows for the day, in manifest order, writing nothing.
func Evaluate(ctx context.Context, db *sql.DB, asOf time.Time) ([]Row, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer dropTemp(conn)
	if err := evaluate(ctx, conn, asOf); err != nil {
		return nil, err
	}
	var out []Row
	err = eachRow(ctx, conn, func(v []any) error {
		out = append(out, rowFromValues(v))
		return nil
	})
	return out, err
}

// Run evaluates the notices for the day, writes the manifest files and records the
// manifest and its rows (ids only, no e-mails) in the store. Same store and day, same
// files and id.
func Run(ctx context.Context, db *sql.DB, opt Options) (res Result, err error) {
	asOf := opt.AsOf.Format(time.DateOnly)
	res = Result{ByStatus: map[string]int{}, Files: []string{}, Problems: []string{}}
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer dropTemp(conn)
	if err := evaluate(ctx, conn, opt.AsOf); err != nil {
		return res, err
	}
	w, err := manifest.Create(filepath.Join(opt.OutDir, "manifests"), Kind, asOf, Columns)
	if err != nil {
		return res, err
	}
	err = eachRow(ctx, conn, func(v []any) error {
		if err := w.Write(v); err != nil {
			return err
		}
		r := rowFromValues(v)
		res.Rows++
		res.ByStatus[r.Status]++
		if r.ReviewRequired {
			res.Flagged++
		}
		return nil
	})
	if err != nil {
		w.Abort()
		return res, fmt.Errorf("writing the notices manifest: %w", err)
	}
	res.ManifestID = jobs.ManifestID(Kind, asOf, opt.Policy, w.Digest())
	meta := manifest.Meta{ID: res.ManifestID, Kind: Kind, AsOf: asOf, Policy: opt.Policy.ID, Extra: []manifest.Field{
		{Key: "policy_digest", Value: opt.Policy.Digest()},
		{Key: "row_count", Value: res.Rows},
		{Key: "rule", Value: "Art. 14(3): due at the earliest of one month after the data was received, the first meaningful contact, the first disclosure to a recipient"},
	}}
	files, werr := w.Commit(meta)
	if len(files) == 0 {
		return res, fmt.Errorf("writing the notices manifest: %w", werr)
	}
	res.Files = files
	if werr != nil {
		res.Problems = append(res.Problems, "notices manifest "+werr.Error())
	}
	if err := persist(ctx, conn, opt, res); err != nil {
		return res, fmt.Errorf("recording the notices manifest in the store: %w", err)
	}
	return res, nil
}

func evaluate(ctx context.Context, conn *sql.Conn, asOf time.Time) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE n_params (as_of DATE NOT NULL)`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO n_params VALUES (CAST(? AS DATE))`, asOf.Format(time.DateOnly)); err != nil {
		return err
	}
	for i, stmt := range statements(noticesSQL) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("jobs/notices/notices.sql, statement %d: %w", i+1, err)
		}
	}
	return nil
}

var temporaries = []string{"notice_rows_today", "n_triggers", "n_items", "n_new_category", "n_sent", "n_events", "n_sources", "n_params"}

func dropTemp(conn *sql.Conn) {
	for _, t := range temporaries {
		_, _ = conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp."+t)
	}
}

// statements splits the file at semicolons that end a line.
func statements(body string) []string {
	var out []string
	for _, s := range strings.Split(body, ";\n") {
		code := false
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
				code = true
			}
		}
		if code {
			out = append(out, s)
		}
	}
	return out
}

func eachRow(ctx context.Context, conn *sql.Conn, fn func([]any) error) error {
	return manifest.EachRow(ctx, conn, `SELECT * FROM notice_rows_today ORDER BY subject_id, row_id`,
		"jobs/notices/notices.sql", Columns, fn)
}

func rowFromValues(v []any) Row {
	str := func(x any) string { s, _ := x.(string); return s }
	date := func(x any) string {
		if t, ok := x.(time.Time); ok {
			return t.UTC().Format(time.DateOnly)
		}
		return ""
	}
	reasons := []string{}
	if l, ok := v[12].([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				reasons = append(reasons, s)
			}
		}
	}
	flag, _ := v[11].(bool)
	return Row{RowID: str(v[0]), SubjectID: str(v[1]), SubjectRef: str(v[2]), Item: str(v[3]), Channel: str(v[4]),
		ReceivedDate: date(v[5]), DueDate: date(v[6]), DueTrigger: str(v[7]), Status: str(v[8]), LastSent: date(v[9]),
		ExemptReason: str(v[10]), ReviewRequired: flag, ReviewReasons: reasons}
}

// persist records the manifest and its rows once, in one transaction; a newer notices
// manifest for the same day supersedes the others.
func persist(ctx context.Context, conn *sql.Conn, opt Options, res Result) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, rbErr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			err = errors.Join(err, rbErr)
		}
	}()
	asOf := opt.AsOf.Format(time.DateOnly)
	files, _ := json.Marshal(res.Files)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM manifests WHERE manifest_id = ?`, res.ManifestID).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, `INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at)
			SELECT ?, ?, CAST(? AS DATE), ?, ?, ?, from_json(CAST(? AS VARCHAR), '["VARCHAR"]'), ?, CAST(? AS TIMESTAMP)`,
			res.ManifestID, Kind, asOf, opt.Policy.ID, opt.Policy.Digest(), res.Rows, string(files), opt.RunID,
			time.Now().UTC().Format("2006-01-02 15:04:05.000000")); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO notice_rows
			SELECT CAST(? AS VARCHAR), row_id, subject_id, item, channel, received_date, due_date, due_trigger, status,
			       last_sent, exempt_reason, review_required, review_reasons
			FROM notice_rows_today`, res.ManifestID); err != nil {
			return err
		}
		if err := review.StampFacts(ctx, conn, Kind, res.ManifestID); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `UPDATE manifests
		SET superseded_by = CASE WHEN manifest_id = CAST(? AS VARCHAR) THEN NULL ELSE CAST(? AS VARCHAR) END
		WHERE kind = ? AND as_of = CAST(? AS DATE)`, res.ManifestID, res.ManifestID, Kind, asOf); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}
