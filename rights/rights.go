// Package rights carries out data subjects' requests — access and portability
// (export), rectification, erasure, restriction, objection, consent withdrawal — and
// the do-not-supply list, recording every request with its one-month deadline.
package rights

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// Store is what the rights need from the data store.
type Store interface {
	DB() *sql.DB
	BeginRun(ctx context.Context, kind string) (int64, error)
	RecordEvent(ctx context.Context, subjectID string, ev profile.Event, source string, runID int64) (bool, error)
	SubjectEvidence(ctx context.Context, subjectID string) ([]duckstore.Evidence, error)
	SealEvidence(ctx context.Context, keyID, tagID string, category profile.Category, evidence string) ([]byte, error)
}

// Keys gives a subject's data key: rectification pseudonymises old values under it, so
// crypto-shredding the subject also unlinks the audit trail.
type Keys interface {
	DataKey(ctx context.Context, keyID string) ([]byte, error)
}

// Service answers requests against one store under one policy.
type Service struct {
	Store Store
	DB    *sql.DB
	Keys  Keys
	// Policy gives the response deadline and, for erasure, the floors and holds.
	Policy *policy.Policy
	// Now is the clock; tests fix it. Requests are dated by its UTC day.
	Now func() time.Time
}

// New returns a service on the store.
func New(st Store, keys Keys, pol *policy.Policy) *Service {
	return &Service{Store: st, DB: st.DB(), Keys: keys, Policy: pol, Now: time.Now}
}

// stamp is now in UTC as text: go-duckdb cannot bind a time.Time where DuckDB leaves
// the parameter's type open.
func (s *Service) stamp() string { return s.Now().UTC().Format("2006-01-02 15:04:05.000000") }

func (s *Service) today() time.Time {
	n := s.Now().UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// respondWithin is the deadline for a request received on d: the policy's, else one
// month (Art. 12(3)).
func (s *Service) respondWithin(d time.Time) time.Time {
	if s.Policy != nil && !s.Policy.Rights.RespondWithin.IsZero() {
		return s.Policy.Rights.RespondWithin.AddTo(d)
	}
	month, _ := policy.ParsePeriod("1 month")
	return month.AddTo(d)
}

// record adds one lifecycle event for the subject, dated today, in a run of its own.
func (s *Service) record(ctx context.Context, subject, event string, detail map[string]string) error {
	runID, err := s.Store.BeginRun(ctx, "rights")
	if err != nil {
		return err
	}
	ev := profile.Event{Event: event, At: s.today().Format(time.DateOnly)}
	if len(detail) > 0 {
		ev.Detail, _ = json.Marshal(detail)
	}
	_, err = s.Store.RecordEvent(ctx, subject, ev, "cvetl subject", runID)
	status := "completed"
	var errText any
	if err != nil {
		status, errText = "failed", err.Error()
	}
	_, ferr := s.DB.ExecContext(context.WithoutCancel(ctx), `UPDATE runs SET status = ?, error = ?, finished_at = now() WHERE run_id = ?`, status, errText, runID)
	return errors.Join(err, ferr)
}

// Restrict marks the subject restricted (Art. 18): excluded from matching, client
// exports and marketing, and flagged in every manifest. reason: requested,
// accuracy_contested, erasure_blocked, objection_pending, …
func (s *Service) Restrict(ctx context.Context, subject, reason string) (Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "requested"
	}
	r, err := s.openRequest(ctx, subject, KindRestriction)
	if err != nil {
		return r, err
	}
	if err := s.record(ctx, subject, "restriction_requested", nil); err != nil {
		return r, err
	}
	if err := s.restrict(ctx, subject, reason); err != nil {
		return r, err
	}
	return r, s.closeRequest(ctx, &r, Completed, "restricted: "+reason)
}

// restrict inserts the restriction, or keeps the existing one (its reason and date).
func (s *Service) restrict(ctx context.Context, subject, reason string) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO restrictions SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TIMESTAMP)
		WHERE NOT EXISTS (SELECT 1 FROM restrictions WHERE subject_id = ?)`, subject, reason, s.stamp(), subject)
	return err
}

// Unrestrict lifts a restriction and returns the reason it had; the subject must be
// told before it is lifted (Art. 18(3)).
func (s *Service) Unrestrict(ctx context.Context, subject string) (string, error) {
	var reason string
	err := s.DB.QueryRowContext(ctx, `SELECT reason FROM restrictions WHERE subject_id = ?`, subject).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", refuse("subject %s is not restricted", subject)
	}
	if err != nil {
		return "", err
	}
	_, err = s.DB.ExecContext(ctx, `DELETE FROM restrictions WHERE subject_id = ?`, subject)
	return reason, err
}

// Restriction returns the subject's restriction reason, "" when not restricted.
func Restriction(ctx context.Context, db *sql.DB, subject string) (string, error) {
	var reason string
	err := db.QueryRowContext(ctx, `SELECT reason FROM restrictions WHERE subject_id = ?`, subject).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return reason, err
}

// Processing the subject may object to (the `objected` event's vocabulary).
var Processing = []string{"automated_matching", "marketing", "legitimate_interest"}

// Object records an objection (Art. 21); the matching and marketing jobs read it.
func (s *Service) Object(ctx context.Context, subject, processing string) (Request, error) {
	if !slices.Contains(Processing, processing) {
		return Request{}, refuse("--processing: want one of %v", Processing)
	}
	r, err := s.openRequest(ctx, subject, KindObjection)
	if err != nil {
		return r, err
	}
	if err := s.record(ctx, subject, "objected", map[string]string{"processing": processing}); err != nil {
		return r, err
	}
	return r, s.closeRequest(ctx, &r, Completed, "objected: "+processing)
}

// WithdrawConsent records a consent withdrawal (Art. 7(3)); the retention rules that
// depend on that consent act on it in the next nightly.
func (s *Service) WithdrawConsent(ctx context.Context, subject, purpose string) (Request, error) {
	purpose = strings.TrimSpace(purpose)
	if purpose == "" || strings.ContainsAny(purpose, " \t\n") {
		return Request{}, refuse("--purpose: want the consent purpose as recorded, e.g. future_vacancies or marketing")
	}
	r, err := s.openRequest(ctx, subject, KindWithdrawal)
	if err != nil {
		return r, err
	}
	if err := s.record(ctx, subject, "consent_withdrawn", map[string]string{"purpose": purpose}); err != nil {
		return r, err
	}
	return r, s.closeRequest(ctx, &r, Completed, "consent withdrawn: "+purpose)
}

// SpecialCategoryReasonError: a do-not-supply reason that names a special category.
type SpecialCategoryReasonError struct{ Categories []profile.Category }

func (e *SpecialCategoryReasonError) Error() string {
	names := make([]string, len(e.Categories))
	for i, c := range e.Categories {
		names[i] = string(c)
	}
	return fmt.Sprintf("refused: the reason names special-category data (%s); record a reason about conduct or the client relationship instead", strings.Join(names, ", "))
}

// DoNotSupply puts the subject on the do-not-supply list, for one client or ("") all.
// The reason is mandatory, is disclosed in a subject access export, and must not name
// a special category.
func (s *Service) DoNotSupply(ctx context.Context, subject, client, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return refuse("--reason is required: a do-not-supply entry must say why")
	}
	if cats := specialcat.Mentions(reason); len(cats) > 0 {
		return &SpecialCategoryReasonError{Categories: cats}
	}
	var c any
	if client = strings.TrimSpace(client); client != "" {
		c = client
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO do_not_supply VALUES (?, ?, ?, ?)`, subject, c, reason, s.Now().UTC())
	return err
}

// ErasureBlockedError: a floor or legal hold keeps the data; the subject was restricted
// instead.
type ErasureBlockedError struct {
	BlockedBy []string // floor ids and/or legal_hold
	Until     string   // earliest permitted date, "" while a legal hold lasts
}

func (e *ErasureBlockedError) Error() string {
	until := "until the legal hold is released"
	if e.Until != "" {
		until = "until " + e.Until
	}
	return fmt.Sprintf("erasure refused: blocked by %s %s; the subject is restricted instead", strings.Join(e.BlockedBy, ", "), until)
}

// Erasure is what an erasure request led to.
type Erasure struct {
	Request Request `json:"request"`
	// RuleID and DueDate: the policy rule that deletes on an erasure request and when;
	// the row appears in the deletion manifest of that night.
	RuleID  string `json:"rule_id,omitempty"`
	DueDate string `json:"due_date,omitempty"`
}

// Erase records an erasure request (Art. 17). The policy's erasure rule puts the subject
// in the deletion manifest of its due day; when a statutory floor or a legal hold
// would keep the data then, the request is refused, naming them, and the subject is
// restricted instead (Art. 17(3), 18).
func (s *Service) Erase(ctx context.Context, subject string) (Erasure, error) {
	if s.Policy == nil {
		return Erasure{}, refuse("erasure needs the policy (--policy) to know its floors and holds")
	}
	r, err := s.openRequest(ctx, subject, KindErasure)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Request: r}
	if err := s.record(ctx, subject, "erasure_requested", nil); err != nil {
		return out, err
	}
	today := s.today()
	ex, err := jobs.Explain(ctx, s.DB, s.Policy, today, subject)
	if err != nil {
		return out, err
	}
	// The rule anchored on the request says when the deletion is due; ask the policy
	// about that day, when floors and holds decide.
	for _, rule := range ex.Rules {
		if rule.ForSubject && rule.AnchorEvent == "erasure_requested" && rule.DueDate != "" && len(rule.FailedConditions) == 0 {
			out.RuleID, out.DueDate = rule.RuleID, rule.DueDate
			break
		}
	}
	if out.RuleID == "" {
		err := s.closeRequest(ctx, &out.Request, Open, "erasure_requested recorded; the policy has no rule that deletes on it: decide by hand")
		return out, err
	}
	if due, _ := time.Parse(time.DateOnly, out.DueDate); due.After(today) {
		if ex, err = jobs.Explain(ctx, s.DB, s.Policy, due, subject); err != nil {
			return out, err
		}
	}
	if row := ex.Row; row != nil && row.Action == "keep" && len(row.BlockedBy) > 0 {
		blocked := &ErasureBlockedError{BlockedBy: row.BlockedBy}
		if row.EarliestPermittedDate != nil {
			blocked.Until = *row.EarliestPermittedDate
		}
		if err := s.restrict(ctx, subject, "erasure_blocked: "+strings.Join(row.BlockedBy, ", ")); err != nil {
			return out, err
		}
		if err := s.closeRequest(ctx, &out.Request, Refused, blocked.Error()); err != nil {
			return out, err
		}
		return out, blocked
	}
	err = s.closeRequest(ctx, &out.Request, Open,
		fmt.Sprintf("in the deletion manifest of %s (rule %s); closed when the deletion is applied", out.DueDate, out.RuleID))
	return out, err
}
