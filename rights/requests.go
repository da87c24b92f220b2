package rights

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cvetl/cvetl/policy"
)

// Request kinds, one per right.
const (
	KindAccess        = "access"             // Art. 15 and 20: the export
	KindRectification = "rectification"      // Art. 16
	KindErasure       = "erasure"            // Art. 17
	KindRestriction   = "restriction"        // Art. 18
	KindObjection     = "objection"          // Art. 21
	KindWithdrawal    = "consent_withdrawal" // Art. 7(3)
)

// Request statuses.
const (
	Open      = "open"
	Completed = "completed"
	Refused   = "refused"
)

// Request is one data-subject request and its deadline.
type Request struct {
	ID             string `json:"request_id"`
	SubjectID      string `json:"subject_id"`
	Kind           string `json:"kind"`
	ReceivedOn     string `json:"received_on"`
	DueOn          string `json:"due_on"`
	ExtendedReason string `json:"extended_reason,omitempty"`
	Status         string `json:"status"`
	Outcome        string `json:"outcome,omitempty"`
	ClosedOn       string `json:"closed_on,omitempty"`
}

// ErrNoRequest: no request has that id.
var ErrNoRequest error = refusal{"no request with that id"}

// extension is how much longer a complex request may take (Art. 12(3)): two further
// months after the first deadline.
var extension, _ = policy.ParsePeriod("2 months")

// openRequest records a request received today, due after the policy's deadline.
func (s *Service) openRequest(ctx context.Context, subject, kind string) (Request, error) {
	received := s.today()
	r := Request{SubjectID: subject, Kind: kind, ReceivedOn: received.Format(time.DateOnly),
		DueOn: s.respondWithin(received).Format(time.DateOnly), Status: Open}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE subject_id = ? AND kind = ? AND received_on = CAST(? AS DATE)`,
		subject, kind, r.ReceivedOn).Scan(&n); err != nil {
		return r, err
	}
	r.ID = fmt.Sprintf("R%s-%s-%s-%d", subject, kind, strings.ReplaceAll(r.ReceivedOn, "-", ""), n+1)
	_, err := s.DB.ExecContext(ctx, `INSERT INTO requests (request_id, subject_id, kind, received_on, due_on, status)
		VALUES (?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), 'open')`, r.ID, subject, kind, r.ReceivedOn, r.DueOn)
	return r, err
}

// closeRequest records the answer to a request.
func (s *Service) closeRequest(ctx context.Context, r *Request, status, outcome string) error {
	r.Status, r.Outcome = status, outcome
	if status != Open {
		r.ClosedOn = s.today().Format(time.DateOnly)
	}
	var closed any
	if r.ClosedOn != "" {
		closed = r.ClosedOn
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE requests SET status = ?, outcome = ?, closed_on = CAST(? AS DATE) WHERE request_id = ?`,
		status, outcome, closed, r.ID)
	return err
}

// Extend moves an open request's deadline to three months after receipt, once, with the
// reason recorded (complexity or number of requests).
func (s *Service) Extend(ctx context.Context, requestID, reason string) (Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Request{}, refuse("--reason is required: say why the request needs longer (Art. 12(3))")
	}
	r, err := s.Request(ctx, requestID)
	if err != nil {
		return r, err
	}
	switch {
	case r.Status != Open:
		return r, refuse("request %s is %s: only open requests can be extended", r.ID, r.Status)
	case r.ExtendedReason != "":
		return r, refuse("request %s was already extended to %s: it can be extended once", r.ID, r.DueOn)
	}
	received, _ := time.Parse(time.DateOnly, r.ReceivedOn)
	due := extension.AddTo(s.respondWithin(received))
	r.DueOn, r.ExtendedReason = due.Format(time.DateOnly), reason
	_, err = s.DB.ExecContext(ctx, `UPDATE requests SET due_on = CAST(? AS DATE), extended_reason = ? WHERE request_id = ?`, r.DueOn, reason, r.ID)
	return r, err
}

// Request reads one request.
func (s *Service) Request(ctx context.Context, id string) (Request, error) {
	rs, err := listRequests(ctx, s.DB, `WHERE request_id = ?`, id)
	if err != nil {
		return Request{}, err
	}
	if len(rs) == 0 {
		return Request{}, ErrNoRequest
	}
	return rs[0], nil
}

// Requests lists a subject's requests ("" = every subject), oldest first; openOnly
// keeps the open ones.
func Requests(ctx context.Context, db *sql.DB, subject string, openOnly bool) ([]Request, error) {
	where := `WHERE (CAST(? AS VARCHAR) = '' OR subject_id = ?)`
	if openOnly {
		where += ` AND status = 'open'`
	}
	return listRequests(ctx, db, where, subject, subject)
}

// Overdue lists the requests still open after their due day.
func Overdue(ctx context.Context, db *sql.DB, asOf time.Time) ([]Request, error) {
	return listRequests(ctx, db, `WHERE status = 'open' AND due_on < CAST(? AS DATE)`, asOf.Format(time.DateOnly))
}

func listRequests(ctx context.Context, db *sql.DB, where string, args ...any) ([]Request, error) {
	rows, err := db.QueryContext(ctx, `SELECT request_id, subject_id, kind, strftime(received_on, '%Y-%m-%d'), strftime(due_on, '%Y-%m-%d'),
		coalesce(extended_reason, ''), status, coalesce(outcome, ''), coalesce(strftime(closed_on, '%Y-%m-%d'), '')
		FROM requests `+where+` ORDER BY received_on, request_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var r Request
		if err := rows.Scan(&r.ID, &r.SubjectID, &r.Kind, &r.ReceivedOn, &r.DueOn, &r.ExtendedReason, &r.Status, &r.Outcome, &r.ClosedOn); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
