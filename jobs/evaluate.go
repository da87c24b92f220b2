package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/cvetl/cvetl/jobs/manifest"
	"github.com/cvetl/cvetl/policy"
)

// Row is one deletion-manifest row. The JSON names are the manifest's columns.
type Row struct {
	RowID                 string   `json:"row_id"`
	SubjectID             string   `json:"subject_id"`
	SubjectRef            string   `json:"subject_ref"`
	SubjectType           string   `json:"subject_type"`
	Action                string   `json:"action"`
	RuleID                string   `json:"rule_id"`
	AnchorEvent           string   `json:"anchor_event"`
	AnchorDate            string   `json:"anchor_date"`
	DueDate               string   `json:"due_date"`
	EarliestPermittedDate *string  `json:"earliest_permitted_date"`
	LegalHold             bool     `json:"legal_hold"`
	ReviewRequired        bool     `json:"review_required"`
	ReviewReasons         []string `json:"review_reasons"`
	Status                string   `json:"status"`
	ProposedAction        string   `json:"proposed_action"`
	BlockedBy             []string `json:"blocked_by"`
	RulesDue              []string `json:"rules_due"`
	Roles                 []string `json:"roles"`
	Scope                 string   `json:"scope"`
}

// DeletionColumns are the deletion manifest's columns, in file order. The first fourteen
// are the fixed interface (DESIGN.md); the rest explain the decision.
var DeletionColumns = []manifest.Column{
	{Name: "row_id", Type: manifest.String},
	{Name: "subject_id", Type: manifest.String},
	{Name: "subject_ref", Type: manifest.String},
	{Name: "subject_type", Type: manifest.String},
	{Name: "action", Type: manifest.String},
	{Name: "rule_id", Type: manifest.String},
	{Name: "anchor_event", Type: manifest.String},
	{Name: "anchor_date", Type: manifest.Date},
	{Name: "due_date", Type: manifest.Date},
	{Name: "earliest_permitted_date", Type: manifest.Date},
	{Name: "legal_hold", Type: manifest.Bool},
	{Name: "review_required", Type: manifest.Bool},
	{Name: "review_reasons", Type: manifest.StringList},
	{Name: "status", Type: manifest.String},
	{Name: "proposed_action", Type: manifest.String},
	{Name: "blocked_by", Type: manifest.StringList},
	{Name: "rules_due", Type: manifest.StringList},
	{Name: "roles", Type: manifest.StringList},
	{Name: "scope", Type: manifest.String},
}

// Evaluate runs the retention jobs for the as-of day and returns the deletion rows in
// manifest order, writing nothing. Tests and small stores use it; the nightly streams.
func Evaluate(ctx context.Context, db *sql.DB, pol *policy.Policy, asOf time.Time) ([]Row, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer dropTemp(conn)
	if err := evaluate(ctx, conn, pol, asOf, "", slog.Default()); err != nil {
		return nil, err
	}
	var out []Row
	err = eachRow(ctx, conn, func(vals []any) error {
		out = append(out, rowFromValues(vals))
		return nil
	})
	return out, err
}

// eachRow streams deletion_rows in manifest order as values in DeletionColumns order.
func eachRow(ctx context.Context, conn *sql.Conn, fn func([]any) error) error {
	return manifest.EachRow(ctx, conn, script("50_manifest"), "jobs/sql/50_manifest.sql", DeletionColumns, fn)
}

func rowFromValues(v []any) Row {
	str := func(x any) string { s, _ := x.(string); return s }
	date := func(x any) string {
		if t, ok := x.(time.Time); ok {
			return t.UTC().Format(time.DateOnly)
		}
		return ""
	}
	list := func(x any) []string {
		out := []string{}
		if l, ok := x.([]any); ok {
			for _, e := range l {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
		}
		return out
	}
	b := func(x any) bool { t, _ := x.(bool); return t }
	r := Row{RowID: str(v[0]), SubjectID: str(v[1]), SubjectRef: str(v[2]), SubjectType: str(v[3]),
		Action: str(v[4]), RuleID: str(v[5]), AnchorEvent: str(v[6]), AnchorDate: date(v[7]), DueDate: date(v[8]),
		LegalHold: b(v[10]), ReviewRequired: b(v[11]), ReviewReasons: list(v[12]), Status: str(v[13]),
		ProposedAction: str(v[14]), BlockedBy: list(v[15]), RulesDue: list(v[16]), Roles: list(v[17]), Scope: str(v[18])}
	if d := date(v[9]); d != "" {
		r.EarliestPermittedDate = &d
	}
	return r
}
