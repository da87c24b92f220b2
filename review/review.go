// Package review records reviewers' decisions on manifest rows: what may be acted on
// is what a person approved, with their name and note, on facts that have not changed
// since the manifest was generated. Every decision is also written to the audit log.
package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
)

// Row statuses, derived from the decisions on a row.
const (
	Pending        = "pending"
	NeedsSecond    = "needs_second_review" // four-eyes: one approval of two given
	Approved       = "approved"
	Rejected       = "rejected"
	DecisionAccept = "approve"
	DecisionReject = "reject"
)

// Options configure a Service.
type Options struct {
	// FourEyes requires two different reviewers to approve a row whose subject has
	// special-category data.
	FourEyes bool
	Now      func() time.Time
}

// Service reads manifests and records decisions.
type Service struct {
	db     *sql.DB
	log    *audit.Log
	pseudo *audit.Pseudonymizer
	opt    Options
}

// New returns a Service over the store's database, writing decisions to log with
// subjects named by pseudo.
func New(db *sql.DB, log *audit.Log, pseudo *audit.Pseudonymizer, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	return &Service{db: db, log: log, pseudo: pseudo, opt: opt}
}

// Manifest describes one generated manifest.
type Manifest struct {
	ID, Kind, AsOf, Policy string
	Rows                   int
	CreatedAt              time.Time
	SupersededBy           string
	ByStatus               map[string]int
}

// Row is one manifest row with the decisions on it.
type Row struct {
	RowID, SubjectID string
	ReviewRequired   bool
	Special          bool // the subject has special-category data
	Fields           []Field
	Status           string
	Decisions        []Decision
}

// Field is one named value of a row, in the order the manifest kind lists them.
type Field struct {
	Name  string
	Value any
}

// Decision is one reviewer's decision on a row.
type Decision struct {
	Reviewer, Decision, Note string
	At                       time.Time
}

// Manifests lists the manifests of reviewable kinds, newest first.
func (s *Service) Manifests(ctx context.Context) ([]Manifest, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest_id, kind, CAST(as_of AS VARCHAR), policy, row_count,
	        created_at, coalesce(superseded_by, '') FROM manifests ORDER BY as_of DESC, created_at DESC, manifest_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Manifest
	for rows.Next() {
		var m Manifest
		if err := rows.Scan(&m.ID, &m.Kind, &m.AsOf, &m.Policy, &m.Rows, &m.CreatedAt, &m.SupersededBy); err != nil {
			return nil, err
		}
		if _, ok := kinds[m.Kind]; ok {
			out = append(out, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts, err := s.statusCounts(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ByStatus = counts[out[i].ID]
		if out[i].ByStatus == nil {
			out[i].ByStatus = map[string]int{}
		}
	}
	return out, nil
}

// statusCounts counts every reviewable manifest's rows by status in one query per
// kind: listing manifests must not read each manifest's rows (a year of nightly runs
// is a thousand manifests). It is Rows' status rule in SQL, and a test holds the two
// to the same answer.
func (s *Service) statusCounts(ctx context.Context) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for name, k := range kinds {
		rows, err := s.db.QueryContext(ctx, `WITH latest AS (
		        SELECT manifest_id, row_id, decision FROM decisions
		        QUALIFY row_number() OVER (PARTITION BY manifest_id, row_id, reviewer ORDER BY decided_at DESC, rowid DESC) = 1),
		    tally AS (
		        SELECT manifest_id, row_id, bool_or(decision = '`+DecisionReject+`') AS rejected,
		               count(*) FILTER (WHERE decision <> '`+DecisionReject+`') AS approvals
		        FROM latest GROUP BY manifest_id, row_id),
		    special AS (SELECT DISTINCT subject_id FROM restricted)
		SELECT r.manifest_id,
		       CASE WHEN coalesce(t.rejected, false) THEN '`+Rejected+`'
		            WHEN coalesce(t.approvals, 0) >= CASE WHEN ? AND sp.subject_id IS NOT NULL THEN 2 ELSE 1 END THEN '`+Approved+`'
		            WHEN coalesce(t.approvals, 0) > 0 THEN '`+NeedsSecond+`'
		            ELSE '`+Pending+`' END AS status,
		       count(*)
		FROM `+k.table+` r JOIN manifests m ON m.manifest_id = r.manifest_id AND m.kind = ?
		LEFT JOIN tally t ON t.manifest_id = r.manifest_id AND t.row_id = r.row_id
		LEFT JOIN special sp ON sp.subject_id = r.subject_id
		GROUP BY ALL`, s.opt.FourEyes, name)
		if err != nil {
			return nil, fmt.Errorf("counting %s manifest rows: %w", name, err)
		}
		for rows.Next() {
			var id, status string
			var n int
			if err := rows.Scan(&id, &status, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if out[id] == nil {
				out[id] = map[string]int{}
			}
			out[id][status] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ErrNoManifest is returned for an id no manifest has.
var ErrNoManifest = errors.New("no such manifest")

// Get returns one manifest.
func (s *Service) Get(ctx context.Context, id string) (Manifest, error) {
	var m Manifest
	err := s.db.QueryRowContext(ctx, `SELECT manifest_id, kind, CAST(as_of AS VARCHAR), policy, row_count,
	        created_at, coalesce(superseded_by, '') FROM manifests WHERE manifest_id = ?`, id).
		Scan(&m.ID, &m.Kind, &m.AsOf, &m.Policy, &m.Rows, &m.CreatedAt, &m.SupersededBy)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("%w %q (cvetl manifest list shows them)", ErrNoManifest, id)
	}
	return m, err
}

// Rows returns a manifest's rows with their decisions and status.
func (s *Service) Rows(ctx context.Context, manifestID string) ([]Row, error) {
	m, err := s.Get(ctx, manifestID)
	if err != nil {
		return nil, err
	}
	k, ok := kinds[m.Kind]
	if !ok {
		return nil, fmt.Errorf("manifest %s: kind %q cannot be reviewed", m.ID, m.Kind)
	}
	rows, err := s.db.QueryContext(ctx, k.rows, manifestID)
	if err != nil {
		return nil, fmt.Errorf("manifest %s rows: %w", m.ID, err)
	}
	defer rows.Close()
	var out []Row
	index := map[string]int{}
	for rows.Next() {
		var r Row
		var fields string
		if err := rows.Scan(&r.RowID, &r.SubjectID, &r.ReviewRequired, &fields); err != nil {
			return nil, err
		}
		if r.Fields, err = orderedFields(fields); err != nil {
			return nil, fmt.Errorf("manifest %s row %s: %w", m.ID, r.RowID, err)
		}
		index[r.RowID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	special, err := s.specialSubjects(ctx, k, manifestID)
	if err != nil {
		return nil, err
	}
	decisions, err := s.decisions(ctx, manifestID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Special = special[out[i].SubjectID]
		out[i].Decisions = decisions[out[i].RowID]
		out[i].Status = s.status(out[i])
	}
	return out, nil
}

func (s *Service) specialSubjects(ctx context.Context, k kind, manifestID string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT r.subject_id FROM restricted r
	    WHERE r.subject_id IN (`+k.subjects+`)`, manifestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func (s *Service) decisions(ctx context.Context, manifestID string) (map[string][]Decision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT row_id, reviewer, decision, coalesce(note, ''), decided_at
	    FROM decisions WHERE manifest_id = ? ORDER BY decided_at, rowid`, manifestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]Decision{}
	for rows.Next() {
		var row string
		var d Decision
		if err := rows.Scan(&row, &d.Reviewer, &d.Decision, &d.Note, &d.At); err != nil {
			return nil, err
		}
		out[row] = append(out[row], d)
	}
	return out, rows.Err()
}

// status is derived from each reviewer's latest decision: any rejection rejects; enough
// distinct approvals (two under four-eyes for special-category subjects) approve.
func (s *Service) status(r Row) string {
	latest := map[string]string{}
	for _, d := range r.Decisions {
		latest[d.Reviewer] = d.Decision
	}
	approvals := 0
	for _, d := range latest {
		if d == DecisionReject {
			return Rejected
		}
		approvals++
	}
	switch {
	case approvals >= s.approvalsNeeded(r):
		return Approved
	case approvals > 0:
		return NeedsSecond
	}
	return Pending
}

func (s *Service) approvalsNeeded(r Row) int {
	if s.opt.FourEyes && r.Special {
		return 2
	}
	return 1
}

// orderedFields decodes a JSON object keeping its keys' order.
func orderedFields(obj string) ([]Field, error) {
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("row fields are not a JSON object")
	}
	var out []Field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, Field{Name: t.(string), Value: v})
	}
	return out, nil
}

// Outcome says what a decision command did.
type Outcome struct {
	Decided   int            // rows a decision was recorded on
	Unchanged int            // named rows this reviewer had already decided the same way
	ByStatus  map[string]int // the decided rows' statuses afterwards
}

// RefusedError is a decision cvetl will not record as asked (a usage or state
// problem the reviewer can fix), as opposed to a failure to read or write the store.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// StaleError refuses a decision on a manifest whose facts changed since it was made.
type StaleError struct{ Manifest string }

func (e *StaleError) Error() string {
	return fmt.Sprintf("manifest %s is out of date: its subjects' events, files, holds or restrictions changed since it was generated; run cvetl nightly again and decide on the new manifest", e.Manifest)
}

// Approve records approval of the named rows, flagged or not: the reviewer named them.
func (s *Service) Approve(ctx context.Context, manifestID string, rowIDs []string, reviewer, note string) (Outcome, error) {
	return s.decide(ctx, manifestID, rowIDs, false, DecisionAccept, reviewer, note)
}

// ApproveUnflagged approves every row that needs no review and that this reviewer has
// not yet approved. Rows with review_required are never approved in bulk.
func (s *Service) ApproveUnflagged(ctx context.Context, manifestID, reviewer, note string) (Outcome, error) {
	return s.decide(ctx, manifestID, nil, true, DecisionAccept, reviewer, note)
}

// Reject records rejection of the named rows; a note saying why is required.
func (s *Service) Reject(ctx context.Context, manifestID string, rowIDs []string, reviewer, note string) (Outcome, error) {
	if strings.TrimSpace(note) == "" {
		return Outcome{}, refused("a rejection needs --note saying why")
	}
	return s.decide(ctx, manifestID, rowIDs, false, DecisionReject, reviewer, note)
}

func (s *Service) decide(ctx context.Context, manifestID string, rowIDs []string, bulk bool, decision, reviewer, note string) (Outcome, error) {
	out := Outcome{ByStatus: map[string]int{}}
	reviewer = strings.TrimSpace(reviewer)
	if reviewer == "" {
		return out, refused("a decision needs --reviewer NAME")
	}
	if !bulk && len(rowIDs) == 0 {
		return out, refused("name the rows to decide on (ROW_ID...)")
	}
	if s.log == nil {
		return out, errors.New("review: no audit log open: decisions cannot be recorded")
	}
	m, err := s.Get(ctx, manifestID)
	if err != nil {
		return out, err
	}
	if m.SupersededBy != "" {
		return out, refused("manifest %s was superseded by %s: decide on that one", m.ID, m.SupersededBy)
	}
	if err := s.checkFresh(ctx, m); err != nil {
		return out, err
	}
	rows, err := s.Rows(ctx, m.ID)
	if err != nil {
		return out, err
	}
	targets, err := s.targets(m.ID, rows, rowIDs, bulk, reviewer)
	if err != nil {
		return out, err
	}
	// A reviewer repeating their own decision changes nothing: record nothing.
	kept := targets[:0]
	for _, r := range targets {
		if lastBy(*r, reviewer) == decision {
			out.Unchanged++
			continue
		}
		kept = append(kept, r)
	}
	targets = kept
	now := s.opt.Now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return out, err
	}
	for _, r := range targets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?)`,
			m.ID, r.RowID, decision, reviewer, nullable(note), now); err != nil {
			tx.Rollback()
			return out, fmt.Errorf("recording the decision: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("recording the decision: %w", err)
	}
	for _, r := range targets {
		r.Decisions = append(r.Decisions, Decision{Reviewer: reviewer, Decision: decision, Note: note, At: now})
		r.Status = s.status(*r)
		out.Decided++
		out.ByStatus[r.Status]++
		entry := audit.Entry{Actor: reviewer, Action: decision, Manifest: m.ID, Row: r.RowID,
			Subject: s.pseudo.Of(r.SubjectID), Detail: map[string]string{"status": r.Status}}
		if note != "" {
			// The note is the reviewer's reason. Notes are for reasons, not for facts
			// about the person; the audit keeps a digest, the store the text.
			entry.Detail["note_sha256"] = noteDigest(note)
		}
		if err := s.log.Append(ctx, entry); err != nil {
			return out, err
		}
	}
	return out, nil
}

// targets picks the rows a decision applies to.
func (s *Service) targets(manifestID string, rows []Row, rowIDs []string, bulk bool, reviewer string) ([]*Row, error) {
	var out []*Row
	if bulk {
		for i := range rows {
			r := &rows[i]
			if r.ReviewRequired || r.Status == Rejected || r.Status == Approved || lastBy(*r, reviewer) == DecisionAccept {
				continue
			}
			out = append(out, r)
		}
		return out, nil
	}
	byID := map[string]*Row{}
	for i := range rows {
		byID[rows[i].RowID] = &rows[i]
	}
	var unknown []string
	seen := map[string]bool{}
	for _, id := range rowIDs {
		r, ok := byID[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, r)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, refused("manifest %s has no row %s (cvetl manifest show %s lists them); nothing was recorded",
			manifestID, strings.Join(unknown, ", "), manifestID)
	}
	return out, nil
}

// lastBy is the reviewer's latest decision on the row, or "".
func lastBy(r Row, reviewer string) string {
	last := ""
	for _, d := range r.Decisions {
		if d.Reviewer == reviewer {
			last = d.Decision
		}
	}
	return last
}

func (s *Service) checkFresh(ctx context.Context, m Manifest) error {
	var stamped sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT facts_digest FROM manifests WHERE manifest_id = ?`, m.ID).Scan(&stamped); err != nil {
		return err
	}
	now, err := FactsDigest(ctx, s.db, m.Kind, m.ID)
	if err != nil {
		return err
	}
	if !stamped.Valid || stamped.String != now {
		return &StaleError{Manifest: m.ID}
	}
	return nil
}

// Approved returns the rows of a manifest that reviewers approved.
func (s *Service) Approved(ctx context.Context, manifestID string) ([]Row, error) {
	rows, err := s.Rows(ctx, manifestID)
	if err != nil {
		return nil, err
	}
	var out []Row
	for _, r := range rows {
		if r.Status == Approved {
			out = append(out, r)
		}
	}
	return out, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
