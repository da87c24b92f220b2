package policy

import (
	"strings"
	"testing"
	"time"
)

// minimalPolicy is a valid policy with one rule, for tests to extend.
const minimalPolicy = `id: acme
name: Acme Recruitment
controller:
  name: Acme Ltd
  contact: dpo@example.com
rights:
  respond_within: 1 month
  basis: Art. 12(3)
rules:
  - id: stale
    subject: candidate
    anchor: {event: meaningful_contact}
    period: 2 years
    action: delete
    source: "We delete after two years."
`

func TestQuarantineKeepIsSetInEveryPresetAndDefaultsElsewhere(t *testing.T) {
	for _, id := range PresetIDs() {
		raw, _ := PresetYAML(id)
		if !strings.Contains(string(raw), "\nquarantine:\n  keep: ") {
			t.Errorf("%s: the preset does not say how long quarantine copies are kept", id)
		}
		p, err := Preset(id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Quarantine.Keep.String() != "30 days" {
			t.Errorf("%s: quarantine.keep %q", id, p.Quarantine.Keep)
		}
	}
	p, err := Parse("acme.yaml", []byte(minimalPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if p.Quarantine.Keep != DefaultQuarantineKeep {
		t.Errorf("a policy without the section keeps copies %q, want the default %q", p.Quarantine.Keep, DefaultQuarantineKeep)
	}
	p, err = Parse("acme.yaml", []byte(minimalPolicy+"quarantine: {keep: 2 weeks}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Quarantine.Keep.String() != "14 days" {
		t.Errorf("quarantine.keep %q, want 14 days", p.Quarantine.Keep)
	}
	withDefault, _ := Parse("acme.yaml", []byte(minimalPolicy))
	if p.Digest() == withDefault.Digest() {
		t.Error("changing quarantine.keep kept the policy digest")
	}
}

func TestQuarantineKeepExtendsThePreset(t *testing.T) {
	p, err := Parse("x.yaml", []byte("id: x\nname: x\nextends: tophat\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Quarantine.Keep.String() != "30 days" {
		t.Errorf("inherited quarantine.keep %q", p.Quarantine.Keep)
	}
	p, err = Parse("x.yaml", []byte("id: x\nname: x\nextends: tophat\nquarantine:\n  keep: 7 days\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Quarantine.Keep.String() != "7 days" {
		t.Errorf("overridden quarantine.keep %q", p.Quarantine.Keep)
	}
}

func TestQuarantineKeepErrorsNameLineAndReason(t *testing.T) {
	cases := []struct{ name, section, want string }{
		{"zero", "quarantine:\n  keep: 0 days\n", `acme.yaml:17: quarantine.keep: must be longer than 0`},
		{"too long", "quarantine:\n  keep: 13 months\n", `acme.yaml:17: quarantine.keep: 13 months is longer than the 1 year allowed`},
		{"bad unit", "quarantine:\n  keep: 30 sleeps\n", `acme.yaml:17: quarantine.keep: unknown unit "sleeps"`},
		{"missing keep", "quarantine:\n  note: we keep them\n", `acme.yaml:17: quarantine.keep: required`},
		{"unknown key", "quarantine:\n  keep: 30 days\n  forever: true\n", `acme.yaml:18: quarantine.forever: unknown field`},
		{"not a mapping", "quarantine: 30 days\n", `acme.yaml:16: quarantine: want a mapping`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("acme.yaml", []byte(minimalPolicy+c.section))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	if _, err := Parse("acme.yaml", []byte(minimalPolicy+"quarantine: {keep: 1 year}\n")); err != nil {
		t.Errorf("1 year, the longest allowed: %v", err)
	}
}

func TestQuarantineExpiredBeforeCountsWholeDays(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct{ keep, asOf, want string }{
		{"30 days", "2026-03-31", "2026-03-02"},  // 1 March + 30 days = 31 March: gone that day
		{"1 month", "2026-02-28", "2026-02-01"},  // 31 January + 1 month ends on 28 February
		{"1 month", "2026-03-31", "2026-03-01"},  // 28 February + 1 month = 28 March
		{"48 hours", "2026-01-10", "2026-01-09"}, // 8 January + 48 hours = 10 January
	}
	for _, c := range cases {
		keep, err := ParsePeriod(c.keep)
		if err != nil {
			t.Fatal(err)
		}
		got := Quarantine{Keep: keep}.ExpiredBefore(day(c.asOf).Add(15 * time.Hour))
		if !got.Equal(day(c.want)) {
			t.Errorf("%s on %s: expired before %s, want %s", c.keep, c.asOf, got.Format(time.DateOnly), c.want)
		}
		// The day before the cut-off has ended its period; the cut-off day has not.
		if q := (Quarantine{Keep: keep}); q.Keep.AddTo(got.AddDate(0, 0, -1)).After(day(c.asOf)) || !q.Keep.AddTo(got).After(day(c.asOf)) {
			t.Errorf("%s on %s: cut-off %s is not where the period ends", c.keep, c.asOf, got.Format(time.DateOnly))
		}
	}
}
