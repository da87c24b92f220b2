package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cvetl/cvetl/policy"
)

// loadPolicy fills the p_* tables (00_policy_tables.sql) from the policy, and params
// with the as-of day and, when explaining, the one subject.
func loadPolicy(ctx context.Context, conn *sql.Conn, pol *policy.Policy, asOf time.Time, onlySubject string) error {
	var only any
	if onlySubject != "" {
		only = onlySubject
	}
	ins := inserter{ctx: ctx, conn: conn}
	ins.exec(`INSERT INTO params VALUES (?, ?)`, asOf.Format(time.DateOnly), only)

	ord := 0
	for _, r := range pol.Rules {
		ord++
		ins.rule(r.ID, ord, "rule", r.Subject, string(r.Action), r.Period, "", r.Supersedes, r.Scope, r.Review)
		for _, w := range r.NotBefore {
			ins.exec(`INSERT INTO p_not_before VALUES (?, ?)`, r.ID, w)
		}
		ins.anchor(r.ID, r.Anchor)
		ins.conditions(r.ID, r.When)
		if f := r.FollowUp; f != nil {
			ord++
			ins.rule(f.ID, ord, "follow_up", r.Subject, string(f.Action), f.After, r.ID, nil, r.Scope, f.Review)
			for _, e := range f.AnsweredBy {
				ins.exec(`INSERT INTO p_answers VALUES (?, ?)`, f.ID, e)
			}
		}
	}
	for _, f := range pol.Floors {
		ord++
		ins.rule(f.ID, ord, "floor", f.Subject, "", f.Period, "", nil, "", "")
		ins.anchor(f.ID, f.Anchor)
		ins.conditions(f.ID, f.When)
	}
	for _, e := range pol.Exceptions {
		ins.exec(`INSERT INTO p_exceptions VALUES (?, from_json(?, '["VARCHAR"]'))`, e.ID, jsonList(e.Suspends))
		ins.conditions(e.ID, e.When)
	}
	for _, reason := range policy.ReviewReasons {
		t, ok := pol.Trigger(reason)
		if !ok {
			continue
		}
		var within any
		if !t.Within.IsZero() {
			within = t.Within.String()
		}
		ins.exec(`INSERT INTO p_triggers VALUES (?, CAST(? AS INTERVAL))`, t.Reason, within)
	}
	for i, e := range policy.LifecycleEvents {
		ins.exec(`INSERT INTO p_vocab VALUES ('lifecycle', ?, ?)`, e, i+1)
	}
	for _, a := range policy.Actions {
		ins.exec(`INSERT INTO p_vocab VALUES ('action', ?, ?)`, string(a), a.Rank())
		if a.Destructive() {
			ins.exec(`INSERT INTO p_vocab VALUES ('destructive', ?, 0)`, string(a))
		}
	}
	for _, e := range policy.RightsRequestEvents {
		ins.exec(`INSERT INTO p_vocab VALUES ('rights_request', ?, 0)`, e)
	}
	for _, e := range []string{"placed", "employment_ended"} {
		ins.exec(`INSERT INTO p_vocab VALUES ('placed', ?, 0)`, e)
	}
	for _, e := range []string{"legal_hold", "legal_hold_released"} {
		ins.exec(`INSERT INTO p_vocab VALUES ('hold', ?, 0)`, e)
	}
	return ins.err
}

// inserter runs INSERTs until the first error.
type inserter struct {
	ctx   context.Context
	conn  *sql.Conn
	err   error
	terms int
}

func (in *inserter) exec(q string, args ...any) {
	if in.err != nil {
		return
	}
	if _, err := in.conn.ExecContext(in.ctx, q, args...); err != nil {
		in.err = fmt.Errorf("loading the policy: %w", err)
	}
}

func (in *inserter) rule(id string, ord int, kind string, subj policy.Subjects, action string, period policy.Period,
	parent string, supersedes []string, scope, review string) {
	var roles, act, par, rev any
	if !subj.Any() {
		roles = jsonList(subj)
	}
	if action != "" {
		act = action
	}
	if parent != "" {
		par = parent
	}
	if review != "" {
		rev = review
	}
	if scope == "" {
		scope = "subject"
	}
	in.exec(`INSERT INTO p_rules VALUES (?, ?, ?, from_json(?, '["VARCHAR"]'), ?, CAST(? AS INTERVAL), ?,
		from_json(?, '["VARCHAR"]'), ?, ?)`,
		id, ord, kind, roles, act, period.String(), par, jsonList(supersedes), scope, rev)
}

func (in *inserter) anchor(owner string, a policy.Anchor) {
	for grp, alt := range a.Alternatives() {
		combine := "earliest"
		if alt.Latest {
			combine = "latest"
		}
		for i, t := range alt.Terms {
			qual := "*"
			switch {
			case t.Purpose != "":
				qual = t.Purpose
			case t.Channel != "":
				qual = t.Channel
			}
			field := "at"
			if t.Field != "" {
				field = t.Field
			}
			in.terms++
			in.exec(`INSERT INTO p_terms VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.terms, owner, grp, combine, i, t.Event, qual, field, t.Label())
		}
	}
}

func (in *inserter) conditions(owner string, c policy.Condition) {
	add := func(ctype string, vals []string, qual, state any) {
		in.exec(`INSERT INTO p_conds VALUES (?, ?, from_json(?, '["VARCHAR"]'), ?, ?)`, owner, ctype, jsonList(vals), qual, state)
		if ctype != "status" {
			for _, v := range vals {
				in.exec(`INSERT INTO p_cond_vals VALUES (?, ?, ?)`, owner, ctype, v)
			}
		}
	}
	if len(c.Status) > 0 {
		add("status", c.Status, nil, nil)
	}
	if len(c.Has) > 0 {
		add("has", c.Has, nil, nil)
	}
	if len(c.Lacks) > 0 {
		add("lacks", c.Lacks, nil, nil)
	}
	if len(c.Channel) > 0 {
		add("channel", c.Channel, nil, nil)
	}
	if c.Consent != nil {
		add("consent", nil, c.Consent.Purpose, c.Consent.State)
	}
}

func jsonList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}
