package rights

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/profile"
)

var ctx = context.Background()

func TestFindByIdEmailAndPhone(t *testing.T) {
	e := newEnv(t, "")
	a := e.ingest(person{name: "Amara Okafor", email: "amara.okafor@example.com", phone: "+447700900101"}, "job_board:indeed", "2026-10-03")
	b := e.ingest(person{name: "Ben Okafor", email: "ben.okafor@example.com", phone: "+447700900101"}, "direct", "2026-10-04") // shared household number
	c := e.ingest(person{name: "Chloe Park", email: "chloe.park@example.com", phone: "+447700900202"}, "direct", "2026-10-05")
	cases := []struct {
		ref, want string
		amb       []string
		err       error
	}{
		{ref: a, want: a},
		{ref: "AMARA.OKAFOR@example.com", want: a},
		{ref: "07700 900202", want: c},
		{ref: "+44 (0)7700-900202", want: c},
		{ref: "07700900101", amb: []string{a, b}},
		{ref: "S0999999", err: ErrUnknownSubject},
		{ref: "nobody@example.com", err: ErrUnknownSubject},
	}
	for _, tc := range cases {
		got, err := Find(ctx, e.st.DB(), tc.ref)
		var amb *AmbiguousError
		switch {
		case tc.amb != nil:
			if !errors.As(err, &amb) || !slices.Equal(amb.Candidates, tc.amb) || !errors.Is(err, ErrRefused) {
				t.Errorf("%s: %q %v, want ambiguous between %v", tc.ref, got, err, tc.amb)
			} else if strings.Contains(err.Error(), "7700") {
				t.Errorf("%s: the error quotes the phone number: %v", tc.ref, err)
			}
		case tc.err != nil:
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: %q %v, want %v", tc.ref, got, err, tc.err)
			}
		case err != nil || got != tc.want:
			t.Errorf("%s: %q %v, want %s", tc.ref, got, err, tc.want)
		}
	}
	if _, err := Find(ctx, e.st.DB(), "Amara Okafor"); err == nil || strings.Contains(err.Error(), "Amara") {
		t.Errorf("a name is not a reference: %v", err)
	}
}

func TestRequestDeadlinesAndExtension(t *testing.T) {
	e := newEnv(t, "121-recruitment")
	s := e.ingest(person{name: "Dana Reyes", email: "dana.reyes@example.com"}, "direct", "2026-10-01")
	r, err := e.svc.Object(ctx, s, "automated_matching")
	if err != nil {
		t.Fatal(err)
	}
	if r.ReceivedOn != "2026-11-26" || r.DueOn != "2026-12-26" || r.Status != Completed {
		t.Errorf("objection request %+v", r)
	}
	// An erasure request stays open until the deletion is applied.
	er, err := e.svc.Erase(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if er.Request.Status != Open {
		t.Fatalf("erasure request %+v", er.Request)
	}
	if _, err := e.svc.Extend(ctx, er.Request.ID, " "); err == nil {
		t.Error("an extension without a reason was accepted")
	}
	if _, err := e.svc.Extend(ctx, r.ID, "complex"); err == nil {
		t.Error("a completed request was extended")
	}
	ext, err := e.svc.Extend(ctx, er.Request.ID, "three linked requests from the same person")
	if err != nil {
		t.Fatal(err)
	}
	if ext.DueOn != "2027-02-26" || ext.ExtendedReason == "" {
		t.Errorf("extended %+v, want due 2027-02-26", ext)
	}
	if _, err := e.svc.Extend(ctx, er.Request.ID, "again"); !errors.Is(err, ErrRefused) {
		t.Error("a request was extended twice")
	}
	overdue, err := Overdue(ctx, e.st.DB(), day("2027-02-26"))
	if err != nil || len(overdue) != 0 {
		t.Errorf("on its extended due day: %v %v", overdue, err)
	}
	overdue, _ = Overdue(ctx, e.st.DB(), day("2027-02-27"))
	if len(overdue) != 1 || overdue[0].ID != er.Request.ID {
		t.Errorf("the day after: %v", overdue)
	}
}

func TestObjectAndWithdrawConsentRecordEvents(t *testing.T) {
	e := newEnv(t, "tophat")
	s := e.ingest(person{name: "Eve Stone", email: "eve.stone@example.com"}, "direct", "2026-10-01")
	if _, err := e.svc.Object(ctx, s, "profiling"); err == nil {
		t.Error("an unknown processing was accepted")
	}
	if _, err := e.svc.Object(ctx, s, "marketing"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.WithdrawConsent(ctx, s, "future_vacancies"); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM events WHERE subject_id = ? AND at = DATE '2026-11-26' AND
		((event = 'objected' AND json_extract_string(detail, '$.processing') = 'marketing') OR (event = 'consent_withdrawn' AND json_extract_string(detail, '$.purpose') = 'future_vacancies'))`, s); n != 2 {
		t.Errorf("%d of the two events recorded", n)
	}
	// The retention jobs honour the withdrawal: TopHat's withdrawn rule is due today.
	e.event(s, "consent_given", "2026-06-01", `{"purpose":"future_vacancies"}`)
	ex, err := jobs.Explain(ctx, e.st.DB(), e.svc.Policy, day("2026-11-26"), s)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Row == nil || ex.Row.RuleID != "withdrawn" || ex.Row.Action != "delete" {
		t.Errorf("after the withdrawal the deletion row is %+v", ex.Row)
	}
}

func TestRestrictAndUnrestrict(t *testing.T) {
	e := newEnv(t, "121-recruitment")
	s := e.ingest(person{name: "Finn Hale", email: "finn.hale@example.com"}, "direct", "2026-10-01")
	if _, err := e.svc.Restrict(ctx, s, "accuracy_contested"); err != nil {
		t.Fatal(err)
	}
	if reason, _ := Restriction(ctx, e.st.DB(), s); reason != "accuracy_contested" {
		t.Errorf("restriction %q", reason)
	}
	if n := e.count(`SELECT count(*) FROM events WHERE subject_id = ? AND event = 'restriction_requested'`, s); n != 1 {
		t.Errorf("%d restriction_requested events", n)
	}
	// A restricted subject's deletion row is flagged "restricted".
	e.event(s, "erasure_requested", "2026-11-20", "")
	rows, err := jobs.Evaluate(ctx, e.st.DB(), e.svc.Policy, day("2026-11-26"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !rows[0].ReviewRequired || !slices.Contains(rows[0].ReviewReasons, "restricted") {
		t.Errorf("deletion rows of a restricted subject: %+v", rows)
	}
	if reason, err := e.svc.Unrestrict(ctx, s); err != nil || reason != "accuracy_contested" {
		t.Errorf("unrestrict: %q %v", reason, err)
	}
	if _, err := e.svc.Unrestrict(ctx, s); err == nil {
		t.Error("lifting a restriction that is not there succeeded")
	}
	rows, _ = jobs.Evaluate(ctx, e.st.DB(), e.svc.Policy, day("2026-11-26"))
	if len(rows) != 1 || slices.Contains(rows[0].ReviewReasons, "restricted") {
		t.Errorf("after unrestrict: %+v", rows)
	}
}

func TestEraseGoesToTheDeletionManifest(t *testing.T) {
	e := newEnv(t, "121-recruitment")
	s := e.ingest(person{name: "Gail Moss", email: "gail.moss@example.com"}, "job_board:indeed", "2026-10-01")
	er, err := e.svc.Erase(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if er.RuleID != "erasure" || er.DueDate != "2026-11-26" || er.Request.Status != Open {
		t.Errorf("erasure %+v", er)
	}
	rows, err := jobs.Evaluate(ctx, e.st.DB(), e.svc.Policy, day("2026-11-26"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].SubjectID != s || rows[0].Action != "delete" || rows[0].RuleID != "erasure" {
		t.Errorf("deletion rows %+v", rows)
	}
	if reason, _ := Restriction(ctx, e.st.DB(), s); reason != "" {
		t.Errorf("an erasure nothing blocks restricted the subject: %q", reason)
	}
}

func TestErasureBlockedByAFloorBecomesARestriction(t *testing.T) {
	e := newEnv(t, "121-recruitment")
	s := e.ingest(person{name: "Hana Ito", email: "hana.ito@example.com"}, "job_board:indeed", "2024-03-01")
	e.event(s, "placed", "2024-05-01", "")
	_, err := e.svc.Erase(ctx, s)
	var blocked *ErasureBlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("erase of a placed candidate: %v, want blocked", err)
	}
	if !slices.Equal(blocked.BlockedBy, []string{"placed-statutory"}) || blocked.Until != "2031-05-01" {
		t.Errorf("blocked %+v", blocked)
	}
	if !strings.Contains(err.Error(), "placed-statutory") || !strings.Contains(err.Error(), "2031-05-01") {
		t.Errorf("the refusal does not name the floor and its end: %v", err)
	}
	if reason, _ := Restriction(ctx, e.st.DB(), s); reason != "erasure_blocked: placed-statutory" {
		t.Errorf("restriction %q", reason)
	}
	reqs, _ := Requests(ctx, e.st.DB(), s, false)
	if len(reqs) != 1 || reqs[0].Status != Refused || !strings.Contains(reqs[0].Outcome, "placed-statutory") {
		t.Errorf("requests %+v", reqs)
	}
}

func TestErasureBlockedByALegalHold(t *testing.T) {
	e := newEnv(t, "it-thread")
	s := e.ingest(person{name: "Ivo Brandt", email: "ivo.brandt@example.com"}, "job_board:indeed", "2026-09-01")
	e.event(s, "legal_hold", "2026-11-01", `{"reason":"anticipated litigation"}`)
	_, err := e.svc.Erase(ctx, s)
	var blocked *ErasureBlockedError
	if !errors.As(err, &blocked) || !slices.Contains(blocked.BlockedBy, "legal_hold") || blocked.Until != "" {
		t.Fatalf("erase under a legal hold: %v", err)
	}
	if !strings.Contains(err.Error(), "legal hold") {
		t.Errorf("message %v", err)
	}
}

func TestDoNotSupply(t *testing.T) {
	e := newEnv(t, "scotnursing")
	s := e.ingest(person{name: "Jo Kerr", email: "jo.kerr@example.com"}, "job_board:indeed", "2026-09-01")
	if err := e.svc.DoNotSupply(ctx, s, "Acme Care", " "); err == nil {
		t.Error("an entry without a reason was accepted")
	}
	err := e.svc.DoNotSupply(ctx, s, "Acme Care", "client worried about her epilepsy")
	var sc *SpecialCategoryReasonError
	if !errors.As(err, &sc) || !slices.Contains(sc.Categories, profile.Health) || !errors.Is(err, ErrRefused) {
		t.Errorf("a health reason: %v", err)
	}
	if err := e.svc.DoNotSupply(ctx, s, "Acme Care", "left two placements without notice"); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM do_not_supply WHERE subject_id = ?`, s); n != 1 {
		t.Errorf("%d entries, want 1 (refused ones are not stored)", n)
	}
}

func TestRectifyKeepsOnlyAPseudonymOfTheOldValue(t *testing.T) {
	e := newEnv(t, "tophat")
	s := e.ingest(person{name: "Kit Lowe", email: "kit.lowe@example.com", postcode: "LS1 4AP"}, "direct", "2026-09-01")
	e.ingest(person{name: "Kit Lowe", email: "kit.lowe@example.com", postcode: "LS1 4AP"}, "job_board:reed", "2026-09-05")
	if _, err := e.svc.Restrict(ctx, s, "accuracy_contested"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Rectify(ctx, s, "postcode", "not a postcode"); err == nil {
		t.Error("an invalid postcode was accepted")
	}
	if _, err := e.svc.Rectify(ctx, s, "skills", "Go"); err == nil {
		t.Error("an unknown field was accepted")
	}
	r, err := e.svc.Rectify(ctx, s, "postcode", "ls2 7hy")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != Completed || !strings.Contains(r.Outcome, "2 profile") {
		t.Errorf("request %+v", r)
	}
	if n := e.count(`SELECT count(*) FROM profiles WHERE subject_id = ? AND postcode = 'LS2 7HY'`, s); n != 2 {
		t.Errorf("%d profiles rectified, want 2", n)
	}
	// The audit trail proves the change without the old value.
	var old, newer string
	if err := e.st.DB().QueryRow(`SELECT old_hmac, new_hmac FROM rectifications WHERE subject_id = ?`, s).Scan(&old, &newer); err != nil {
		t.Fatal(err)
	}
	if len(old) != 64 || old == newer {
		t.Errorf("pseudonyms %q %q", old, newer)
	}
	key, _ := e.keys.DataKey(ctx, s)
	if old != pseudonym(key, "postcode", "LS1 4AP") {
		t.Error("the old value's pseudonym is not the keyed hash of the old value")
	}
	for _, table := range []string{"rectifications", "requests", "events"} {
		if n := e.count(`SELECT count(*) FROM ` + table + ` t WHERE contains(CAST(to_json(t) AS VARCHAR), 'LS1 4AP')`); n != 0 {
			t.Errorf("%s holds the old value", table)
		}
	}
	if reason, _ := Restriction(ctx, e.st.DB(), s); reason != "" {
		t.Errorf("the accuracy restriction stayed after rectification: %q", reason)
	}
}
