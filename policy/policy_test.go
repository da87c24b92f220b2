package policy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPresetsLoad(t *testing.T) {
	ids := PresetIDs()
	want := []string{"121-recruitment", "it-thread", "scotnursing", "tophat", "total-ten"}
	if !slices.Equal(ids, want) {
		t.Fatalf("presets %v, want %v", ids, want)
	}
	for _, id := range ids {
		p, err := Preset(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if p.ID != id {
			t.Errorf("%s: id %q", id, p.ID)
		}
		if len(p.Review) != len(ReviewReasons) {
			t.Errorf("%s: %d review triggers, want every one of %v", id, len(p.Review), ReviewReasons)
		}
	}
}

// TestPresetsEncodePolicies checks each preset against the rows of POLICIES.md: the
// subject, anchor, period and action of every rule, follow-up and floor.
func TestPresetsEncodePolicies(t *testing.T) {
	type row struct{ preset, id, subject, anchor, period, action string }
	rows := []row{
		{"it-thread", "re-confirm", "candidate", "latest_of[applied meaningful_contact work_finding_service confirmed_retention] else latest_of[created]", "12 months", "request_consent"},
		{"it-thread", "re-confirm-no-answer", "", "", "30 days", "archive"},
		{"it-thread", "stale", "any", "latest_of[meaningful_contact applied work_finding_service confirmed_retention placed registered created]", "2 years", "delete"},
		{"it-thread", "closure", "any", "latest_of[erasure_requested]", "48 hours", "delete"},
		{"total-ten", "unsuccessful", "candidate", "latest_of[project_closed] else latest_of[unsuccessful]", "2 months", "delete"},
		{"total-ten", "future-potential", "candidate", "latest_of[consent_given(future_potential).until]", "0 days", "delete"},
		{"total-ten", "clients", "client_contact", "latest_of[project_closed]", "6 years", "delete"},
		{"total-ten", "marketing", "marketing_contact", "latest_of[confirmed_retention consent_given] else latest_of[registered created]", "2 years", "delete"},
		{"total-ten", "marketing-withdrawn", "marketing_contact", "latest_of[consent_withdrawn]", "0 days", "delete"},
		{"total-ten", "employees", "employee", "latest_of[employment_ended]", "6 years", "delete"},
		{"total-ten", "suppliers", "supplier_contact", "latest_of[meaningful_contact] else latest_of[registered created]", "3 years", "delete"},
		{"121-recruitment", "re-confirm", "candidate", "latest_of[registered confirmed_retention] else latest_of[created]", "2 years", "request_consent"},
		{"121-recruitment", "placed", "candidate,employee", "latest_of[placed employment_ended]", "7 years", "delete"},
		{"121-recruitment", "placed-statutory", "candidate,employee", "latest_of[placed employment_ended]", "7 years", "floor"},
		{"121-recruitment", "complaints", "complainant", "latest_of[complaint_closed]", "2 years", "delete"},
		{"121-recruitment", "social-media", "any", "latest_of[received(social)]", "3 months", "delete"},
		{"tophat", "unsuccessful", "candidate", "latest_of[unsuccessful]", "6 months", "delete"},
		{"tophat", "on-file", "candidate", "earliest_of[consent_given(future_vacancies)]", "12 months", "delete"},
		{"tophat", "withdrawn", "candidate", "latest_of[consent_withdrawn(future_vacancies)]", "0 days", "delete"},
		{"scotnursing", "conduct-regulations", "candidate", "latest_of[created work_finding_service]", "1 year", "floor"},
		{"scotnursing", "payroll", "candidate,employee", "latest_of[employment_ended] else latest_of[placed]", "6 years", "floor"},
		{"scotnursing", "consent-expiry", "any", "latest_of[consent_given.until]", "0 days", "request_consent"},
		{"scotnursing", "consent-not-granted", "", "", "30 days", "archive"},
		{"scotnursing", "consent-refused", "any", "latest_of[consent_withdrawn]", "0 days", "archive"},
	}
	for _, r := range rows {
		p, err := Preset(r.preset)
		if err != nil {
			t.Fatal(err)
		}
		subject, anchor, period, action, found := describe(p, r.id)
		if !found {
			t.Errorf("%s: no rule %s", r.preset, r.id)
			continue
		}
		if subject != r.subject || anchor != r.anchor || period != r.period || action != r.action {
			t.Errorf("%s/%s:\n got  %q %q %q %q\n want %q %q %q %q", r.preset, r.id, subject, anchor, period, action, r.subject, r.anchor, r.period, r.action)
		}
	}
	// The cross-cutting rights: every preset erases on request (IT Thread: closure).
	for _, id := range PresetIDs() {
		p, _ := Preset(id)
		erasure := false
		for _, r := range p.Rules {
			for _, alt := range r.Anchor.Alternatives() {
				for _, term := range alt.Terms {
					erasure = erasure || (term.Event == "erasure_requested" && r.Action == Delete)
				}
			}
		}
		if !erasure {
			t.Errorf("%s: no rule deletes on an erasure request", id)
		}
	}
	// Exceptions from POLICIES.md.
	for preset, exc := range map[string]string{"tophat": "unsuccessful", "total-ten": "unsuccessful"} {
		p, _ := Preset(preset)
		if len(p.Exceptions) != 1 || !slices.Equal(p.Exceptions[0].Suspends, []string{exc}) {
			t.Errorf("%s: exceptions %+v", preset, p.Exceptions)
		}
	}
}

func describe(p *Policy, id string) (subject, anchor, period, action string, found bool) {
	subj := func(s Subjects) string {
		if s.Any() {
			return "any"
		}
		return strings.Join(s, ",")
	}
	anch := func(a Anchor) string {
		var parts []string
		for _, alt := range a.Alternatives() {
			var labels []string
			for _, t := range alt.Terms {
				labels = append(labels, t.Label())
			}
			kind := "earliest_of"
			if alt.Latest {
				kind = "latest_of"
			}
			parts = append(parts, kind+"["+strings.Join(labels, " ")+"]")
		}
		return strings.Join(parts, " else ")
	}
	for _, r := range p.Rules {
		if r.ID == id {
			return subj(r.Subject), anch(r.Anchor), r.Period.String(), string(r.Action), true
		}
		if f := r.FollowUp; f != nil && f.ID == id {
			return "", "", f.After.String(), string(f.Action), true
		}
	}
	for _, f := range p.Floors {
		if f.ID == id {
			return subj(f.Subject), anch(f.Anchor), f.Period.String(), "floor", true
		}
	}
	return
}

// TestSourcesQuoteTheNotices checks that every source: is a verbatim quote of the
// preset's privacy notice (white space aside).
func TestSourcesQuoteTheNotices(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "seeds")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("the seed notices are not beside the repository")
	}
	space := regexp.MustCompile(`\s+`)
	norm := func(s string) string { return space.ReplaceAllString(strings.TrimSpace(s), " ") }
	for _, id := range PresetIDs() {
		p, _ := Preset(id)
		notice, err := os.ReadFile(filepath.Join(dir, p.Notice))
		if err != nil {
			t.Errorf("%s: notice %s: %v", id, p.Notice, err)
			continue
		}
		text := norm(string(notice))
		check := func(where, quote string) {
			if quote != "" && !strings.Contains(text, norm(quote)) {
				t.Errorf("%s: %s: not in %s: %q", id, where, p.Notice, quote)
			}
		}
		check("controller", p.Controller.Source)
		check("rights", p.Rights.Source)
		if p.Rights.Source == "" && p.Rights.Basis == "" {
			t.Errorf("%s: rights without a source", id)
		}
		for _, r := range p.Rules {
			check("rules."+r.ID, r.Source)
			if r.FollowUp != nil {
				check("rules."+r.FollowUp.ID, r.FollowUp.Source)
			}
		}
		for _, f := range p.Floors {
			check("floors."+f.ID, f.Source)
		}
		for _, e := range p.Exceptions {
			check("exceptions."+e.ID, e.Source)
		}
		for _, tr := range p.Review {
			check("review."+tr.Reason, tr.Source)
		}
		for i, n := range p.Notes {
			check("notes["+string(rune('0'+i))+"]", n)
		}
		if !strings.Contains(text, p.Controller.Contact) {
			t.Errorf("%s: controller contact %s is not in the notice", id, p.Controller.Contact)
		}
	}
}

func TestValidationErrorsNameFileLineAndField(t *testing.T) {
	base := minimalPolicy
	if _, err := Parse("acme.yaml", []byte(base)); err != nil {
		t.Fatalf("base policy: %v", err)
	}
	cases := []struct{ name, from, to, want string }{
		{"bad period", "period: 2 years", "period: 2 fortnights", `acme.yaml:13: rules[0].period: unknown unit "fortnights"`},
		{"bad action", "action: delete", "action: shred", `acme.yaml:14: rules[0].action: want one of`},
		{"unknown key", "action: delete", "action: delete\n    retain: forever", `acme.yaml:15: rules[0].retain: unknown field`},
		{"unknown event", "{event: meaningful_contact}", "{event: met_for_coffee}", `acme.yaml:12: rules[0].anchor.event: unknown event "met_for_coffee"`},
		{"unknown subject type", "subject: candidate", "subject: [candidate, lodger]", `acme.yaml:11: rules[0].subject[1]: unknown subject type "lodger"`},
		{"missing source", `    source: "We delete after two years."`, "", `acme.yaml:10: rules[0].source: required`},
		{"bad contact", "contact: dpo@example.com", "contact: the DPO", `acme.yaml:5: controller.contact:`},
		{"purpose on a non-consent event", "{event: meaningful_contact}", "{event: meaningful_contact, purpose: x}", `acme.yaml:12: rules[0].anchor.purpose:`},
		{"consent state", "anchor: {event: meaningful_contact}", "when: {consent: {purpose: marketing, state: maybe}}\n    anchor: {event: meaningful_contact}", `acme.yaml:12: rules[0].when.consent.state: want one of`},
		{"wrong shape", "subject: candidate", "subject: {type: candidate}", `acme.yaml:11: rules[0].subject: want "any", a subject type`},
		{"list instead of mapping", "rights:\n  respond_within: 1 month\n  basis: Art. 12(3)", "rights: [1 month]", `acme.yaml:6: rights: want a mapping`},
		{"bad id", "id: acme", "id: Acme Inc", `acme.yaml:1: id: want lower-case`},
		{"unknown not_before", "action: delete", "action: delete\n    not_before: [nope]", `acme.yaml:15: rules[0].not_before[0]: "nope" is not a rule`},
		{"yaml syntax", "name: Acme Recruitment", "name: [Acme", `acme.yaml:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			_, err := Parse("acme.yaml", []byte(strings.Replace(base, c.from, c.to, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	// Every malformed value is reported, not only the first.
	twice := strings.Replace(strings.Replace(base, "period: 2 years", "period: 2 moons", 1), "respond_within: 1 month", "respond_within: soon", 1)
	if _, err := Parse("acme.yaml", []byte(twice)); err == nil || len(err.(Errors)) != 2 ||
		!strings.Contains(err.Error(), "acme.yaml:7: rights.respond_within:") || !strings.Contains(err.Error(), "acme.yaml:13: rules[0].period:") {
		t.Errorf("two malformed values: %v", err)
	}
	// Every problem is reported, not only the first.
	bad := strings.Replace(strings.Replace(base, "action: delete", "action: shred", 1), "period: 2 years", "period: 0 years\n    scope: everything", 1)
	_, err := Parse("acme.yaml", []byte(bad))
	if es, ok := err.(Errors); !ok || len(es) != 2 {
		t.Errorf("want two problems, got %v", err)
	}
}

func TestExtendsOverridesPeriods(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acme.yaml")
	os.WriteFile(path, []byte(`id: tophat-acme
name: TopHat with a shorter unsuccessful period
extends: tophat
periods:
  unsuccessful: 3 months
  on-file: 6 months
`), 0o644)
	p, err := Resolve(path)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Rule("unsuccessful")
	o, _ := p.Rule("on-file")
	if p.ID != "tophat-acme" || r.Period.String() != "3 months" || o.Period.String() != "6 months" || p.Controller.Name != "TopHat Corporate Limited" {
		t.Errorf("extended policy: %s %s %s %s", p.ID, r.Period, o.Period, p.Controller.Name)
	}
	base, _ := Preset("tophat")
	if p.Digest() == base.Digest() {
		t.Error("changing a period kept the digest")
	}
	os.WriteFile(path, []byte("id: x\nname: x\nextends: tophat\nperiods:\n  nope: 3 months\n"), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path+":5: periods.nope: no rule") {
		t.Errorf("unknown period id: %v", err)
	}
	if _, err := Resolve("no-such-preset"); err == nil || !strings.Contains(err.Error(), "neither a preset") {
		t.Errorf("unknown preset: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]string{"6 months": "6 months", "1 month": "1 month", "48 hours": "48 hours",
		"2 weeks": "14 days", "1 Year": "1 year", "0 days": "0 days"} {
		p, err := ParsePeriod(in)
		if err != nil || p.String() != want {
			t.Errorf("%q: %v %v, want %s", in, p, err, want)
		}
	}
	for _, bad := range []string{"", "6", "months", "-1 days", "1.5 months", "6 moons"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if (Period{N: 1, Unit: "fortnights"}).Validate() == nil || (Period{N: -1, Unit: Days}).Validate() == nil || (Period{N: 6, Unit: Months}).Validate() != nil {
		t.Error("Period.Validate")
	}
	d := time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC)
	if got := (Period{N: 6, Unit: Months}).AddTo(d); got.Format(time.DateOnly) != "2025-02-28" {
		t.Errorf("31 Aug 2024 + 6 months = %s", got.Format(time.DateOnly))
	}
}

func TestActionOrder(t *testing.T) {
	if !(Delete.Rank() > Anonymise.Rank() && Anonymise.Rank() > Archive.Rank() && Archive.Rank() > RequestConsent.Rank() && RequestConsent.Rank() > Keep.Rank()) {
		t.Error("action ranks out of order")
	}
	if !Delete.Destructive() || !Anonymise.Destructive() || Archive.Destructive() {
		t.Error("destructive actions")
	}
}

// TestMarshalRoundTrips: `cvetl policy show` output loads back as the same policy.
func TestMarshalRoundTrips(t *testing.T) {
	for _, id := range PresetIDs() {
		p, _ := Preset(id)
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(id+".yaml", b)
		if err != nil {
			t.Fatalf("%s: %v\n%s", id, err, b)
		}
		if back.Digest() != p.Digest() {
			t.Errorf("%s: round trip changed the policy", id)
		}
	}
}
