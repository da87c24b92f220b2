package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cvetl/cvetl/policy"
)

// ErrUnknownSubject is returned when no subject has the id or e-mail given.
var ErrUnknownSubject = errors.New("no subject with that id or e-mail")

// Explanation is why the policy does what it does to one subject on one day.
type Explanation struct {
	AsOf    string            `json:"as_of"`
	Policy  string            `json:"policy"`
	Subject SubjectFacts      `json:"subject"`
	Rules   []RuleExplanation `json:"rules"`
	// Row is the subject's deletion-manifest row, nil when nothing is due.
	Row *Row `json:"row"`
}

// SubjectFacts are what the jobs know about the subject: ids, dates and counts only.
type SubjectFacts struct {
	SubjectID         string   `json:"subject_id"`
	SubjectType       string   `json:"subject_type"`
	Roles             []string `json:"roles"`
	Status            string   `json:"status"`
	Events            []string `json:"events"`
	ChannelKinds      []string `json:"channel_kinds"`
	ConsentsGiven     []string `json:"consents_given"`
	ConsentsWithdrawn []string `json:"consents_withdrawn"`
	LegalHold         bool     `json:"legal_hold"`
	HoldReleased      string   `json:"hold_released,omitempty"`
	LastRequest       string   `json:"last_rights_request,omitempty"`
	SpecialCategory   int      `json:"special_category_rows"`
	NoArt9Condition   int      `json:"special_category_rows_without_condition"`
	Channels          int      `json:"source_channels"`
	Files             int      `json:"source_files"`
	PlacedOrEmployed  bool     `json:"placed_or_employed"`
}

// RuleExplanation is one rule, follow-up or floor and what decided it for the subject.
type RuleExplanation struct {
	RuleID           string   `json:"rule_id"`
	Kind             string   `json:"kind"` // rule | follow_up | floor
	Action           string   `json:"action,omitempty"`
	Period           string   `json:"period"`
	ForSubject       bool     `json:"for_subject"`
	AnchorEvent      string   `json:"anchor_event,omitempty"`
	AnchorDate       string   `json:"anchor_date,omitempty"`
	FailedConditions []string `json:"failed_conditions"`
	SuspendedBy      string   `json:"suspended_by,omitempty"`
	ParentDue        string   `json:"parent_due,omitempty"`
	AnsweredOn       string   `json:"answered_on,omitempty"`
	DueDate          string   `json:"due_date,omitempty"`
	WaitedFor        string   `json:"waited_for,omitempty"`
	IsDue            bool     `json:"is_due"`
	Counts           bool     `json:"counts"`
	SupersededBy     string   `json:"superseded_by,omitempty"`
	// Verdict says in one line whether and why the rule applies today.
	Verdict string `json:"verdict"`
	Source  string `json:"source"`
}

// Explain evaluates the policy for one subject (by id or e-mail) as of a day.
func Explain(ctx context.Context, db *sql.DB, pol *policy.Policy, asOf time.Time, ref string) (*Explanation, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var subject string
	err = conn.QueryRowContext(ctx, script("05_find_subject"), sql.Named("ref", ref)).Scan(&subject)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrUnknownSubject
	}
	if err != nil {
		return nil, fmt.Errorf("jobs/sql/05_find_subject.sql: %w", err)
	}
	defer dropTemp(conn)
	if err := evaluate(ctx, conn, pol, asOf, subject, slog.Default()); err != nil {
		return nil, err
	}
	ex := &Explanation{AsOf: asOf.Format(time.DateOnly), Policy: pol.ID}
	if err := scanFacts(ctx, conn, &ex.Subject); err != nil {
		return nil, err
	}
	if ex.Rules, err = scanRules(ctx, conn, pol); err != nil {
		return nil, err
	}
	err = eachRow(ctx, conn, func(v []any) error {
		r := rowFromValues(v)
		ex.Row = &r
		return nil
	})
	return ex, err
}

func scanFacts(ctx context.Context, conn *sql.Conn, f *SubjectFacts) error {
	var roles, events, kinds, given, withdrawn any
	var released, request sql.NullTime
	var status sql.NullString
	err := conn.QueryRowContext(ctx, script("81_explain_subject")).Scan(&f.SubjectID, &f.SubjectType, &roles,
		&status, &events, &kinds, &given, &withdrawn, &f.LegalHold, &released, &request,
		&f.SpecialCategory, &f.NoArt9Condition, &f.Channels, &f.Files, &f.PlacedOrEmployed)
	if err != nil {
		return fmt.Errorf("jobs/sql/81_explain_subject.sql: %w", err)
	}
	f.Status = status.String
	f.Roles, f.Events, f.ChannelKinds = toStrings(roles), toStrings(events), toStrings(kinds)
	f.ConsentsGiven, f.ConsentsWithdrawn = toStrings(given), toStrings(withdrawn)
	f.HoldReleased, f.LastRequest = nullDate(released), nullDate(request)
	return nil
}

func scanRules(ctx context.Context, conn *sql.Conn, pol *policy.Policy) ([]RuleExplanation, error) {
	rows, err := conn.QueryContext(ctx, script("80_explain_rules"))
	if err != nil {
		return nil, fmt.Errorf("jobs/sql/80_explain_rules.sql: %w", err)
	}
	defer rows.Close()
	info := ruleSummaries(pol)
	var out []RuleExplanation
	for rows.Next() {
		var r RuleExplanation
		var anchorEvent, suspended, waited, superseded sql.NullString
		var anchorDate, parentDue, answered, due sql.NullTime
		var failed any
		if err := rows.Scan(&r.RuleID, &r.Kind, &r.Action, &r.ForSubject, &anchorEvent, &anchorDate, &failed,
			&suspended, &parentDue, &answered, &due, &waited, &r.IsDue, &r.Counts, &superseded); err != nil {
			return nil, err
		}
		r.AnchorEvent, r.AnchorDate = anchorEvent.String, nullDate(anchorDate)
		r.FailedConditions = toStrings(failed)
		r.SuspendedBy, r.WaitedFor, r.SupersededBy = suspended.String, waited.String, superseded.String
		r.ParentDue, r.AnsweredOn, r.DueDate = nullDate(parentDue), nullDate(answered), nullDate(due)
		r.Period, r.Source = info[r.RuleID].Period, info[r.RuleID].Source
		r.Verdict = verdict(r)
		out = append(out, r)
	}
	return out, rows.Err()
}

// verdict says in one line why a rule does or does not act on the subject today.
func verdict(r RuleExplanation) string {
	switch {
	case !r.ForSubject:
		return "not for this kind of subject"
	case r.Kind == "follow_up" && r.ParentDue == "":
		return "its rule does not apply"
	case r.Kind == "follow_up" && r.AnsweredOn != "":
		return "answered on " + r.AnsweredOn
	case r.AnchorDate == "":
		return "no anchor: none of its anchor events has happened"
	case len(r.FailedConditions) > 0:
		return "condition not met: " + strings.Join(r.FailedConditions, ", ")
	case r.SuspendedBy != "":
		return "suspended by exception " + r.SuspendedBy
	}
	due := "due " + r.DueDate
	if r.WaitedFor != "" {
		due += " (waits for " + r.WaitedFor + ")"
	}
	switch {
	case r.Kind == "floor" && r.IsDue:
		return "floor ended on " + r.DueDate
	case r.Kind == "floor":
		return "floor: keep at least until " + r.DueDate
	case !r.IsDue:
		return due + ": not yet"
	case r.SupersededBy != "":
		return due + ", superseded by " + r.SupersededBy
	}
	return due + ": " + r.Action + " is due"
}

func toStrings(v any) []string {
	out := []string{}
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func nullDate(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return t.Time.UTC().Format(time.DateOnly)
}
