package jobs

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/policy"
)

// One table per preset: every rule, follow-up, floor and exception of POLICIES.md, with
// due dates worked out by hand (calendar months: 31 Aug + 6 months = 28 Feb; 29 Feb in
// leap years; the as-of day counts).

// want is one expected manifest row. earliest "" means null (a legal hold blocks).
type want struct {
	ref, action, rule, anchor, anchorDate, due, earliest string
	hold                                                 bool
	reasons                                              []string
	rulesDue, blockedBy                                  []string // checked when not nil
	scope                                                string   // checked when set
}

func row(ref, action, rule, anchor, anchorDate, due, earliest string, reasons ...string) want {
	if reasons == nil {
		reasons = []string{}
	}
	return want{ref: ref, action: action, rule: rule, anchor: anchor, anchorDate: anchorDate, due: due, earliest: earliest, reasons: reasons}
}

func (w want) held() want                    { w.hold = true; return w }
func (w want) dueRules(rules ...string) want { w.rulesDue = rules; return w }
func (w want) blocked(by ...string) want     { w.blockedBy = by; return w }
func (w want) scoped(scope string) want      { w.scope = scope; return w }
func none() []want                           { return []want{} }
func rows(ws ...want) []want                 { return ws }

type presetCase struct {
	name   string
	setup  func(s *store)
	asOf   string
	want   []want
	covers []string // exceptions this case exercises
}

func runPreset(t *testing.T, preset string, cases []presetCase) {
	t.Helper()
	pol, err := policy.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			c.setup(s)
			got, err := Evaluate(context.Background(), s.db, pol, day(t, c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, got, c.want)
		})
		for _, w := range c.want {
			covered[w.rule] = true
			for _, r := range append(slices.Clone(w.rulesDue), w.blockedBy...) {
				covered[r] = true
			}
		}
		for _, e := range c.covers {
			covered[e] = true
		}
	}
	// Every rule of the preset is exercised by some case.
	var ids []string
	for _, r := range pol.Rules {
		ids = append(ids, r.ID)
		if r.FollowUp != nil {
			ids = append(ids, r.FollowUp.ID)
		}
	}
	for _, f := range pol.Floors {
		ids = append(ids, f.ID)
	}
	for _, e := range pol.Exceptions {
		ids = append(ids, e.ID)
	}
	for _, id := range ids {
		if !covered[id] {
			t.Errorf("%s: no case exercises %q", preset, id)
		}
	}
}

func checkRows(t *testing.T, got []Row, want []want) {
	t.Helper()
	byRef := map[string]Row{}
	for _, r := range got {
		byRef[r.SubjectRef] = r
	}
	for _, w := range want {
		r, ok := byRef[w.ref]
		if !ok {
			t.Errorf("%s: no row, want %s by %s due %s", w.ref, w.action, w.rule, w.due)
			continue
		}
		delete(byRef, w.ref)
		earliest := ""
		if r.EarliestPermittedDate != nil {
			earliest = *r.EarliestPermittedDate
		}
		gotF := []string{r.Action, r.RuleID, r.AnchorEvent, r.AnchorDate, r.DueDate, earliest}
		wantF := []string{w.action, w.rule, w.anchor, w.anchorDate, w.due, w.earliest}
		names := []string{"action", "rule_id", "anchor_event", "anchor_date", "due_date", "earliest_permitted_date"}
		for i := range gotF {
			if gotF[i] != wantF[i] {
				t.Errorf("%s: %s = %q, want %q", w.ref, names[i], gotF[i], wantF[i])
			}
		}
		if r.LegalHold != w.hold {
			t.Errorf("%s: legal_hold = %v, want %v", w.ref, r.LegalHold, w.hold)
		}
		if !slices.Equal(r.ReviewReasons, w.reasons) {
			t.Errorf("%s: review_reasons = %v, want %v", w.ref, r.ReviewReasons, w.reasons)
		}
		if r.ReviewRequired != (len(w.reasons) > 0) {
			t.Errorf("%s: review_required = %v with reasons %v", w.ref, r.ReviewRequired, r.ReviewReasons)
		}
		if w.rulesDue != nil && !slices.Equal(r.RulesDue, w.rulesDue) {
			t.Errorf("%s: rules_due = %v, want %v", w.ref, r.RulesDue, w.rulesDue)
		}
		if w.blockedBy != nil && !slices.Equal(r.BlockedBy, w.blockedBy) {
			t.Errorf("%s: blocked_by = %v, want %v", w.ref, r.BlockedBy, w.blockedBy)
		}
		if w.scope != "" && r.Scope != w.scope {
			t.Errorf("%s: scope = %q, want %q", w.ref, r.Scope, w.scope)
		}
		if r.Status != "pending" || r.RowID != r.SubjectID+"/"+r.RuleID {
			t.Errorf("%s: status %q, row_id %q", w.ref, r.Status, r.RowID)
		}
	}
	for ref, r := range byRef {
		t.Errorf("%s: unexpected row: %s by %s due %s", ref, r.Action, r.RuleID, r.DueDate)
	}
}

// candidate adds an ingested candidate: a subject with a direct CV received on day.
func (s *store) candidate(ref, received string) string {
	id := s.subject(ref, "candidate", received)
	s.source(id, "direct", received)
	s.exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, run_id) VALUES (?, ?, ?, 'text', 1)`, id+"/cv", id, id)
	return id
}

func TestTopHat(t *testing.T) {
	unsuccessful := func(ref, on string) func(*store) {
		return func(s *store) {
			a := s.candidate(ref, "2023-01-02")
			s.event(a, "applied", "2023-01-02", "vacancy", "TH-1")
			s.event(a, "unsuccessful", on)
		}
	}
	runPreset(t, "tophat", []presetCase{
		{name: "unsuccessful: 31 Aug + 6 months is 28 Feb", setup: unsuccessful("a@example.com", "2024-08-31"), asOf: "2025-02-28",
			want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-08-31", "2025-02-28", "2025-02-28"))},
		{name: "unsuccessful: not due the day before", setup: unsuccessful("a@example.com", "2024-08-31"), asOf: "2025-02-27", want: none()},
		{name: "unsuccessful: leap year, 31 Aug 2023 + 6 months is 29 Feb 2024", setup: unsuccessful("a@example.com", "2023-08-31"), asOf: "2024-02-29",
			want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2023-08-31", "2024-02-29", "2024-02-29"))},
		{name: "a later application ends the unsuccessful status", asOf: "2025-03-31", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-08-31")(s)
			s.event("S0000001", "applied", "2024-10-01", "vacancy", "TH-2")
		}, want: none()},
		{name: "on file: consent for future vacancies suspends the 6-month rule", asOf: "2024-07-15", covers: []string{"future-vacancies-consent"}, setup: func(s *store) {
			unsuccessful("a@example.com", "2024-01-15")(s)
			s.event("S0000001", "consent_given", "2024-01-20", "purpose", "future_vacancies")
		}, want: none()},
		{name: "on file: 12 months from the first consent, never longer", asOf: "2025-01-20", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-01-15")(s)
			s.event("S0000001", "consent_given", "2024-01-20", "purpose", "future_vacancies")
			s.event("S0000001", "consent_given", "2024-06-01", "purpose", "future_vacancies")
		}, want: rows(row("a@example.com", "delete", "on-file", "consent_given(future_vacancies)", "2024-01-20", "2025-01-20", "2025-01-20").dueRules("on-file"))},
		{name: "withdrawn while the 6-month rule runs: not yet", asOf: "2024-09-09", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-03-10")(s)
			s.event("S0000001", "consent_given", "2024-03-10", "purpose", "future_vacancies")
			s.event("S0000001", "consent_withdrawn", "2024-04-01", "purpose", "future_vacancies")
		}, want: none()},
		{name: "withdrawn while the 6-month rule runs: at its end", asOf: "2024-09-10", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-03-10")(s)
			s.event("S0000001", "consent_given", "2024-03-10", "purpose", "future_vacancies")
			s.event("S0000001", "consent_withdrawn", "2024-04-01", "purpose", "future_vacancies")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-03-10", "2024-09-10", "2024-09-10").dueRules("unsuccessful", "withdrawn"))},
		{name: "withdrawn after the 6 months: due on withdrawal, not before", asOf: "2024-08-31", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-01-10")(s)
			s.event("S0000001", "consent_given", "2024-01-10", "purpose", "future_vacancies")
			s.event("S0000001", "consent_withdrawn", "2024-09-01", "purpose", "future_vacancies")
		}, want: none()},
		{name: "speculative application: consent given then withdrawn", asOf: "2024-06-15", setup: func(s *store) {
			a := s.candidate("spec@example.com", "2024-05-01")
			s.event(a, "consent_given", "2024-05-01", "purpose", "future_vacancies")
			s.event(a, "consent_withdrawn", "2024-06-15", "purpose", "future_vacancies")
		}, want: rows(row("spec@example.com", "delete", "withdrawn", "consent_withdrawn(future_vacancies)", "2024-06-15", "2024-06-15", "2024-06-15"))},
		{name: "consent withdrawn and given again the same day counts as withdrawn", asOf: "2024-06-15", setup: func(s *store) {
			a := s.candidate("spec@example.com", "2024-05-01")
			s.event(a, "consent_given", "2024-06-15", "purpose", "future_vacancies")
			s.event(a, "consent_withdrawn", "2024-06-15", "purpose", "future_vacancies")
		}, want: rows(row("spec@example.com", "delete", "withdrawn", "consent_withdrawn(future_vacancies)", "2024-06-15", "2024-06-15", "2024-06-15"))},
		{name: "erasure under a legal hold: keep, no earliest date", asOf: "2025-01-10", setup: func(s *store) {
			a := s.candidate("held@example.com", "2024-01-02")
			s.event(a, "legal_hold", "2024-12-01", "reason", "tribunal claim")
			s.event(a, "erasure_requested", "2025-01-10")
		}, want: rows(row("held@example.com", "keep", "erasure", "erasure_requested", "2025-01-10", "2025-01-10", "",
			"erasure_request", "legal_hold", "open_rights_request").held().blocked("legal_hold"))},
		{name: "hold released 30 days ago: delete, flagged", asOf: "2025-03-31", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-06-01")(s)
			s.event("S0000001", "legal_hold", "2024-01-01", "reason", "claim")
			s.event("S0000001", "legal_hold_released", "2025-03-01")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-06-01", "2024-12-01", "2024-12-01", "legal_hold_released_recently"))},
		{name: "hold released 31 days ago: no longer flagged", asOf: "2025-04-01", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-06-01")(s)
			s.event("S0000001", "legal_hold", "2024-01-01", "reason", "claim")
			s.event("S0000001", "legal_hold_released", "2025-03-01")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-06-01", "2024-12-01", "2024-12-01"))},
		{name: "hold placed again after a release holds", asOf: "2025-04-01", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-06-01")(s)
			s.event("S0000001", "legal_hold", "2024-01-01", "reason", "claim")
			s.event("S0000001", "legal_hold_released", "2025-03-01")
			s.event("S0000001", "legal_hold", "2025-03-20", "reason", "new claim")
		}, want: rows(row("a@example.com", "keep", "unsuccessful", "unsuccessful", "2024-06-01", "2024-12-01", "", "legal_hold").held())},
		{name: "special category without an Art. 9 condition, two sources", asOf: "2025-02-28", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-08-31")(s)
			s.source("S0000001", "job_board:indeed", "2023-01-05")
			s.special("S0000001", "health", "")
			s.special("S0000001", "racial_ethnic_origin", "equal_opportunities_monitoring")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-08-31", "2025-02-28", "2025-02-28",
			"multiple_sources", "no_art9_condition", "special_category_held"))},
		{name: "events after the as-of day are not known yet", asOf: "2025-02-28", setup: func(s *store) {
			unsuccessful("a@example.com", "2024-08-31")(s)
			s.event("S0000001", "erasure_requested", "2025-03-05")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-08-31", "2025-02-28", "2025-02-28").dueRules("unsuccessful"))},
	})
}

func TestITThread(t *testing.T) {
	used := func(ref, event, on string) func(*store) {
		return func(s *store) {
			a := s.candidate(ref, "2020-01-06")
			s.event(a, "registered", "2020-01-06", "subject_type", "candidate")
			if event == "applied" {
				s.event(a, event, on, "vacancy", "IT-1")
			} else {
				s.event(a, event, on)
			}
		}
	}
	runPreset(t, "it-thread", []presetCase{
		{name: "re-confirm 12 months after last use: 29 Feb + 12 months is 28 Feb", setup: used("a@example.com", "applied", "2024-02-29"), asOf: "2025-02-28",
			want: rows(row("a@example.com", "request_consent", "re-confirm", "applied", "2024-02-29", "2025-02-28", "2025-02-28"))},
		{name: "re-confirm: the day before nothing is due", setup: used("a@example.com", "applied", "2024-02-29"), asOf: "2025-02-27", want: none()},
		{name: "latest of applied, meaningful contact and work-finding service", asOf: "2025-06-30", setup: func(s *store) {
			used("a@example.com", "applied", "2024-03-31")(s)
			s.event("S0000001", "meaningful_contact", "2024-06-30")
			s.event("S0000001", "work_finding_service", "2024-05-15")
		}, want: rows(row("a@example.com", "request_consent", "re-confirm", "meaningful_contact", "2024-06-30", "2025-06-30", "2025-06-30"))},
		{name: "no answer within 30 days: archive", setup: used("a@example.com", "work_finding_service", "2024-01-15"), asOf: "2025-02-14",
			want: rows(row("a@example.com", "archive", "re-confirm-no-answer", "work_finding_service", "2024-01-15", "2025-02-14", "2025-02-14").dueRules("re-confirm-no-answer"))},
		{name: "29 days after the request: still asking", setup: used("a@example.com", "work_finding_service", "2024-01-15"), asOf: "2025-02-13",
			want: rows(row("a@example.com", "request_consent", "re-confirm", "work_finding_service", "2024-01-15", "2025-01-15", "2025-01-15"))},
		{name: "request sent 10 days late: the 30 days count from the request", asOf: "2025-02-20", setup: func(s *store) {
			used("a@example.com", "work_finding_service", "2024-01-15")(s)
			s.event("S0000001", "consent_requested", "2025-01-25")
		}, want: rows(row("a@example.com", "request_consent", "re-confirm", "work_finding_service", "2024-01-15", "2025-01-15", "2025-01-15"))},
		{name: "request sent 10 days late: archive 30 days after it", asOf: "2025-02-24", setup: func(s *store) {
			used("a@example.com", "work_finding_service", "2024-01-15")(s)
			s.event("S0000001", "consent_requested", "2025-01-25")
		}, want: rows(row("a@example.com", "archive", "re-confirm-no-answer", "work_finding_service", "2024-01-15", "2025-02-24", "2025-02-24").dueRules("re-confirm-no-answer"))},
		{name: "answered: confirmed retention restarts the 12 months", asOf: "2025-02-14", setup: func(s *store) {
			used("a@example.com", "work_finding_service", "2024-01-15")(s)
			s.event("S0000001", "confirmed_retention", "2025-01-20")
		}, want: none()},
		{name: "stale: two years without meaningful contact, any subject", asOf: "2025-01-31", setup: func(s *store) {
			c := s.subject("client@example.com", "client_contact", "2022-01-10")
			s.event(c, "registered", "2022-01-10", "subject_type", "client_contact")
			s.event(c, "meaningful_contact", "2023-01-31")
		}, want: rows(row("client@example.com", "delete", "stale", "meaningful_contact", "2023-01-31", "2025-01-31", "2025-01-31").dueRules("stale"))},
		{name: "stale supersedes the re-confirmation it outlasts", setup: used("a@example.com", "meaningful_contact", "2022-06-01"), asOf: "2024-06-01",
			want: rows(row("a@example.com", "delete", "stale", "meaningful_contact", "2022-06-01", "2024-06-01", "2024-06-01").dueRules("stale"))},
		{name: "stale under a tax legal hold: keep", asOf: "2024-06-01", setup: func(s *store) {
			used("a@example.com", "meaningful_contact", "2022-06-01")(s)
			s.event("S0000001", "legal_hold", "2024-01-01", "reason", "HMRC enquiry")
		}, want: rows(row("a@example.com", "keep", "stale", "meaningful_contact", "2022-06-01", "2024-06-01", "", "legal_hold").held().blocked("legal_hold"))},
		{name: "never contacted: stale from the day the CV arrived", asOf: "2024-05-01", setup: func(s *store) {
			s.candidate("cv@example.com", "2022-05-01")
		}, want: rows(row("cv@example.com", "delete", "stale", "created", "2022-05-01", "2024-05-01", "2024-05-01").dueRules("stale"))},
		{name: "never contacted: re-confirm from the day the CV arrived", asOf: "2023-05-01", setup: func(s *store) {
			s.candidate("cv@example.com", "2022-05-01")
		}, want: rows(row("cv@example.com", "request_consent", "re-confirm", "created", "2022-05-01", "2023-05-01", "2023-05-01"))},
		{name: "closure: due 48 hours after the request", setup: used("a@example.com", "applied", "2025-01-06"), asOf: "2025-03-11", want: none()},
		{name: "closure: confirmed two days later, always reviewed", asOf: "2025-03-12", setup: func(s *store) {
			used("a@example.com", "applied", "2025-01-06")(s)
			s.event("S0000001", "erasure_requested", "2025-03-10")
		}, want: rows(row("a@example.com", "delete", "closure", "erasure_requested", "2025-03-10", "2025-03-12", "2025-03-12",
			"account_closure", "open_rights_request"))},
		{name: "the rights request window is 30 days", asOf: "2025-04-10", setup: func(s *store) {
			used("a@example.com", "applied", "2025-01-06")(s)
			s.event("S0000001", "erasure_requested", "2025-03-10")
		}, want: rows(row("a@example.com", "delete", "closure", "erasure_requested", "2025-03-10", "2025-03-12", "2025-03-12", "account_closure"))},
	})
}

func TestTotalTen(t *testing.T) {
	rejected := func(ref, on string) func(*store) {
		return func(s *store) {
			a := s.candidate(ref, "2024-01-02")
			s.event(a, "applied", "2024-01-02", "vacancy", "TT-1")
			s.event(a, "unsuccessful", on)
		}
	}
	typed := func(ref, typ, created string) func(*store) string {
		return func(s *store) string {
			id := s.subject(ref, typ, created)
			s.event(id, "registered", created, "subject_type", typ)
			return id
		}
	}
	runPreset(t, "total-ten", []presetCase{
		{name: "unsuccessful, project close not recorded: 31 Dec + 2 months is 28 Feb", setup: rejected("a@example.com", "2024-12-31"), asOf: "2025-02-28",
			want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-12-31", "2025-02-28", "2025-02-28"))},
		{name: "unsuccessful, counted from the project's close", asOf: "2025-03-31", setup: func(s *store) {
			rejected("a@example.com", "2025-01-10")(s)
			s.event("S0000001", "project_closed", "2025-01-31")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "project_closed", "2025-01-31", "2025-03-31", "2025-03-31"))},
		{name: "unsuccessful, project closed: not the day before", asOf: "2025-03-30", setup: func(s *store) {
			rejected("a@example.com", "2025-01-10")(s)
			s.event("S0000001", "project_closed", "2025-01-31")
		}, want: none()},
		{name: "future potential: written consent suspends deletion until its date", asOf: "2025-06-29", covers: []string{"future-potential-consent"}, setup: func(s *store) {
			rejected("a@example.com", "2024-10-01")(s)
			s.event("S0000001", "consent_given", "2024-10-05", "purpose", "future_potential", "until", "2025-06-30")
		}, want: none()},
		{name: "future potential: deleted on the stated date", asOf: "2025-06-30", setup: func(s *store) {
			rejected("a@example.com", "2024-10-01")(s)
			s.event("S0000001", "consent_given", "2024-10-05", "purpose", "future_potential", "until", "2025-06-30")
		}, want: rows(row("a@example.com", "delete", "future-potential", "consent_given(future_potential).until", "2025-06-30", "2025-06-30", "2025-06-30"))},
		{name: "future potential withdrawn: the unsuccessful rule is back, overdue", asOf: "2025-01-15", setup: func(s *store) {
			rejected("a@example.com", "2024-10-01")(s)
			s.event("S0000001", "consent_given", "2024-10-05", "purpose", "future_potential", "until", "2025-06-30")
			s.event("S0000001", "consent_withdrawn", "2025-01-15", "purpose", "future_potential")
		}, want: rows(row("a@example.com", "delete", "unsuccessful", "unsuccessful", "2024-10-01", "2024-12-01", "2024-12-01"))},
		{name: "clients: six years from the last project", asOf: "2025-02-28", setup: func(s *store) {
			c := typed("client@example.com", "client_contact", "2017-03-01")(s)
			s.event(c, "project_closed", "2018-05-01")
			s.event(c, "project_closed", "2019-02-28")
		}, want: rows(row("client@example.com", "delete", "clients", "project_closed", "2019-02-28", "2025-02-28", "2025-02-28"))},
		{name: "marketing: two years from the last check", asOf: "2025-09-01", setup: func(s *store) {
			m := typed("m@example.com", "marketing_contact", "2023-03-15")(s)
			s.event(m, "consent_given", "2023-03-15", "purpose", "marketing")
			s.event(m, "confirmed_retention", "2023-09-01")
		}, want: rows(row("m@example.com", "delete", "marketing", "confirmed_retention", "2023-09-01", "2025-09-01", "2025-09-01"))},
		{name: "marketing: unsubscribed, deleted now", asOf: "2024-05-05", setup: func(s *store) {
			m := typed("m@example.com", "marketing_contact", "2024-01-01")(s)
			s.event(m, "consent_given", "2024-01-01", "purpose", "marketing")
			s.event(m, "consent_withdrawn", "2024-05-05", "purpose", "marketing")
		}, want: rows(row("m@example.com", "delete", "marketing-withdrawn", "consent_withdrawn", "2024-05-05", "2024-05-05", "2024-05-05"))},
		{name: "employees: six years from the end of employment", asOf: "2025-01-31", setup: func(s *store) {
			e := typed("e@example.com", "employee", "2015-01-05")(s)
			s.event(e, "employment_ended", "2019-01-31")
		}, want: rows(row("e@example.com", "delete", "employees", "employment_ended", "2019-01-31", "2025-01-31", "2025-01-31", "placed_or_employed"))},
		{name: "suppliers: three years from the last contact", asOf: "2025-02-28", setup: func(s *store) {
			x := typed("sup@example.com", "supplier_contact", "2020-06-01")(s)
			s.event(x, "meaningful_contact", "2022-02-28")
		}, want: rows(row("sup@example.com", "delete", "suppliers", "meaningful_contact", "2022-02-28", "2025-02-28", "2025-02-28"))},
		{name: "several roles: former employee and rejected candidate", asOf: "2024-07-01", setup: func(s *store) {
			// Registered as an employee after their CV came in: still a candidate too.
			a := s.candidate("both@example.com", "2012-01-02")
			s.exec(`UPDATE subjects SET subject_type = 'employee' WHERE subject_id = ?`, a)
			s.event(a, "registered", "2012-01-02", "subject_type", "employee")
			s.event(a, "employment_ended", "2018-06-30")
			s.event(a, "applied", "2024-04-01", "vacancy", "TT-9")
			s.event(a, "unsuccessful", "2024-05-01")
		}, want: rows(row("both@example.com", "delete", "employees", "employment_ended", "2018-06-30", "2024-06-30", "2024-06-30",
			"multiple_roles", "placed_or_employed").dueRules("unsuccessful", "employees"))},
		{name: "erasure request: due the same day", asOf: "2025-03-03", setup: func(s *store) {
			a := s.candidate("a@example.com", "2025-01-02")
			s.event(a, "erasure_requested", "2025-03-03")
		}, want: rows(row("a@example.com", "delete", "erasure", "erasure_requested", "2025-03-03", "2025-03-03", "2025-03-03", "erasure_request", "open_rights_request"))},
	})
}

func Test121Recruitment(t *testing.T) {
	registered := func(ref, on string) func(*store) string {
		return func(s *store) string {
			a := s.candidate(ref, on)
			s.event(a, "registered", on, "subject_type", "candidate")
			return a
		}
	}
	runPreset(t, "121-recruitment", []presetCase{
		{name: "re-confirm two years after registration", asOf: "2025-02-28", setup: func(s *store) { registered("a@example.com", "2023-02-28")(s) },
			want: rows(row("a@example.com", "request_consent", "re-confirm", "registered", "2023-02-28", "2025-02-28", "2025-02-28"))},
		{name: "re-confirm: confirmation restarts the two years", asOf: "2025-02-28", setup: func(s *store) {
			a := registered("a@example.com", "2023-02-28")(s)
			s.event(a, "confirmed_retention", "2024-01-10")
		}, want: none()},
		{name: "placed: the statutory floor blocks an erasure request", asOf: "2025-03-01", setup: func(s *store) {
			a := s.candidate("p@example.com", "2019-11-04")
			s.event(a, "placed", "2020-03-01")
			s.event(a, "erasure_requested", "2025-03-01")
		}, want: rows(row("p@example.com", "keep", "erasure", "erasure_requested", "2025-03-01", "2025-03-01", "2027-03-01",
			"erasure_request", "open_rights_request", "placed_or_employed", "statutory_floor").blocked("placed-statutory").dueRules("erasure"))},
		{name: "placed: deleted when the 7 years end, flagged as the floor just ended", asOf: "2025-02-28", setup: func(s *store) {
			a := s.candidate("p@example.com", "2017-11-06")
			s.event(a, "placed", "2018-02-28")
		}, want: rows(row("p@example.com", "delete", "placed", "placed", "2018-02-28", "2025-02-28", "2025-02-28",
			"placed_or_employed", "statutory_floor").dueRules("placed"))},
		{name: "employed directly: 7 years from the end of employment", asOf: "2025-06-30", setup: func(s *store) {
			e := s.subject("e@example.com", "employee", "2015-01-05")
			s.event(e, "registered", "2015-01-05", "subject_type", "employee")
			s.event(e, "employment_ended", "2018-06-30")
		}, want: rows(row("e@example.com", "delete", "placed", "employment_ended", "2018-06-30", "2025-06-30", "2025-06-30",
			"placed_or_employed", "statutory_floor"))},
		{name: "complaints: two years from closure", asOf: "2025-03-31", setup: func(s *store) {
			c := s.subject("c@example.com", "complainant", "2022-11-01")
			s.event(c, "registered", "2022-11-01", "subject_type", "complainant")
			s.event(c, "complaint_closed", "2023-03-31")
		}, want: rows(row("c@example.com", "delete", "complaints", "complaint_closed", "2023-03-31", "2025-03-31", "2025-03-31"))},
		{name: "social media message: three months, only those records", asOf: "2025-02-28", setup: func(s *store) {
			a := s.subject("dm@example.com", "candidate", "2024-11-30")
			s.source(a, "social:facebook", "2024-11-30")
		}, want: rows(row("dm@example.com", "delete", "social-media", "received(social)", "2024-11-30", "2025-02-28", "2025-02-28").scoped("channel:social"))},
		{name: "social media message with a CV too: two sources", asOf: "2025-02-28", setup: func(s *store) {
			a := s.subject("dm@example.com", "candidate", "2024-11-30")
			s.source(a, "social:linkedin", "2024-11-30")
			s.source(a, "direct", "2024-12-15")
		}, want: rows(row("dm@example.com", "delete", "social-media", "received(social)", "2024-11-30", "2025-02-28", "2025-02-28", "multiple_sources").scoped("channel:social"))},
		{name: "candidate and complainant: rules disagree", asOf: "2024-01-10", setup: func(s *store) {
			a := registered("two@example.com", "2021-01-10")(s)
			s.event(a, "registered", "2021-06-01", "subject_type", "complainant")
			s.event(a, "complaint_closed", "2022-01-10")
		}, want: rows(row("two@example.com", "delete", "complaints", "complaint_closed", "2022-01-10", "2024-01-10", "2024-01-10",
			"multiple_roles", "rules_disagree").dueRules("re-confirm", "complaints"))},
	})
}

func TestScotNursing(t *testing.T) {
	seeker := func(ref, created string) func(*store) string {
		return func(s *store) string {
			a := s.candidate(ref, created)
			s.event(a, "registered", created, "subject_type", "candidate")
			return a
		}
	}
	runPreset(t, "scotnursing", []presetCase{
		{name: "conduct regulations floor blocks an erasure request", asOf: "2025-03-01", setup: func(s *store) {
			a := seeker("w@example.com", "2024-06-01")(s)
			s.event(a, "work_finding_service", "2024-09-30")
			s.event(a, "erasure_requested", "2025-03-01")
		}, want: rows(row("w@example.com", "keep", "erasure", "erasure_requested", "2025-03-01", "2025-03-01", "2025-09-30",
			"erasure_request", "open_rights_request", "statutory_floor").blocked("conduct-regulations"))},
		{name: "conduct regulations floor ended: delete, flagged", asOf: "2025-09-30", setup: func(s *store) {
			a := seeker("w@example.com", "2024-06-01")(s)
			s.event(a, "work_finding_service", "2024-09-30")
			s.event(a, "erasure_requested", "2025-03-01")
		}, want: rows(row("w@example.com", "delete", "erasure", "erasure_requested", "2025-03-01", "2025-03-01", "2025-03-01",
			"erasure_request", "statutory_floor"))},
		{name: "payroll floor: six years from the end of the placement", asOf: "2025-05-01", setup: func(s *store) {
			a := seeker("p@example.com", "2019-02-04")(s)
			s.event(a, "placed", "2019-03-01")
			s.event(a, "employment_ended", "2020-04-05")
			s.event(a, "erasure_requested", "2025-05-01")
		}, want: rows(row("p@example.com", "keep", "erasure", "erasure_requested", "2025-05-01", "2025-05-01", "2026-04-05",
			"erasure_request", "open_rights_request", "placed_or_employed", "statutory_floor").blocked("payroll"))},
		{name: "consent expiry: ask again on the until date", asOf: "2025-02-28", setup: func(s *store) {
			a := seeker("c@example.com", "2024-02-29")(s)
			s.event(a, "consent_given", "2024-02-29", "purpose", "sensitive_data", "until", "2025-02-28")
		}, want: rows(row("c@example.com", "request_consent", "consent-expiry", "consent_given.until", "2025-02-28", "2025-02-28", "2025-02-28"))},
		{name: "consent not granted within 30 days: stop processing", asOf: "2025-03-30", setup: func(s *store) {
			a := seeker("c@example.com", "2024-02-29")(s)
			s.event(a, "consent_given", "2024-02-29", "purpose", "sensitive_data", "until", "2025-02-28")
		}, want: rows(row("c@example.com", "archive", "consent-not-granted", "consent_given.until", "2025-02-28", "2025-03-30", "2025-03-30"))},
		{name: "consent granted again: nothing due", asOf: "2025-03-30", setup: func(s *store) {
			a := seeker("c@example.com", "2024-02-29")(s)
			s.event(a, "consent_given", "2024-02-29", "purpose", "sensitive_data", "until", "2025-02-28")
			s.event(a, "consent_given", "2025-03-10", "purpose", "sensitive_data", "until", "2026-03-10")
		}, want: none()},
		{name: "consent refused: stop processing, the floor does not block an archive", asOf: "2024-07-01", setup: func(s *store) {
			a := seeker("r@example.com", "2024-01-01")(s)
			s.event(a, "consent_given", "2024-01-01", "purpose", "sensitive_data")
			s.event(a, "consent_withdrawn", "2024-07-01", "purpose", "sensitive_data")
		}, want: rows(row("r@example.com", "archive", "consent-refused", "consent_withdrawn", "2024-07-01", "2024-07-01", "2024-07-01", "consent_refused").blocked())},
		{name: "legal hold set, then released: delete, flagged", asOf: "2025-02-15", setup: func(s *store) {
			a := seeker("h@example.com", "2023-01-02")(s)
			s.event(a, "legal_hold", "2024-12-01", "reason", "PVG enquiry")
			s.event(a, "erasure_requested", "2025-01-10")
			s.event(a, "legal_hold_released", "2025-02-01")
		}, want: rows(row("h@example.com", "delete", "erasure", "erasure_requested", "2025-01-10", "2025-01-10", "2025-01-10",
			"erasure_request", "legal_hold_released_recently"))}, // the request's month ended on 10 Feb
		{name: "special category held without an Art. 9 condition is flagged", asOf: "2024-07-01", setup: func(s *store) {
			a := seeker("r@example.com", "2024-01-01")(s)
			s.event(a, "consent_given", "2024-01-01", "purpose", "sensitive_data")
			s.event(a, "consent_withdrawn", "2024-07-01", "purpose", "sensitive_data")
			s.special(a, "criminal_convictions", "")
		}, want: rows(row("r@example.com", "archive", "consent-refused", "consent_withdrawn", "2024-07-01", "2024-07-01", "2024-07-01",
			"consent_refused", "no_art9_condition", "special_category_held"))},
	})
}

func TestReasonsAreKnown(t *testing.T) {
	for _, id := range policy.PresetIDs() {
		pol, _ := policy.Preset(id)
		for _, r := range pol.Rules {
			if r.Review != "" && slices.Contains(policy.ReviewReasons, r.Review) {
				t.Errorf("%s: rule %s reuses the computed reason %q", id, r.ID, r.Review)
			}
			if strings.Contains(r.Review, " ") {
				t.Errorf("%s: rule %s: reason with a space", id, r.ID)
			}
		}
	}
}
