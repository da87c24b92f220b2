package policy

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Quarantine says how long the copy of a file that failed extraction (a corrupt CV, a
// zip bomb, an e-mail whose attachment could not be read) is kept under
// <out>/quarantine. After that the nightly job deletes the copy and strips the file's
// quarantine rows of what may name the person: where it came from and what went wrong.
type Quarantine struct {
	Keep Period `yaml:"keep,omitempty" json:"keep"`
	// Source quotes the notice, or Note says why this period was chosen.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`

	pos pos
}

// DefaultQuarantineKeep applies to a policy without a quarantine section: long enough
// for an operator to look at a file that failed and fix it or ask the sender again.
var DefaultQuarantineKeep = Period{N: 30, Unit: Days}

// maxQuarantineKeep bounds the setting: a file nobody could read is kept only to be
// looked at, and storage limitation (UK GDPR Art. 5(1)(e)) allows no more.
var maxQuarantineKeep = Period{N: 1, Unit: Years}

// Validate checks the quarantine section.
func (q Quarantine) Validate() error {
	var ps problems
	switch {
	case q.Keep.IsZero():
		ps.add(q.pos.at("keep"), "keep", "required: how long copies of quarantined files are kept, e.g. \"30 days\"")
	case q.Keep.Validate() != nil:
		ps.add(q.pos.at("keep"), "keep", "%v", q.Keep.Validate())
	case q.Keep.N == 0:
		ps.add(q.pos.at("keep"), "keep", "must be longer than 0: an operator needs time to look at a file that failed")
	case longer(q.Keep, maxQuarantineKeep):
		ps.add(q.pos.at("keep"), "keep", "%s is longer than the %s allowed: a file nobody could read is kept only to be looked at", q.Keep, maxQuarantineKeep)
	}
	return ps.err()
}

// longer reports whether a runs past b from the same day (any day: months and years
// are compared as the calendar counts them).
func longer(a, b Period) bool {
	day := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	return a.AddTo(day).After(b.AddTo(day))
}

func (q *Quarantine) UnmarshalYAML(n *yaml.Node) error {
	type plain Quarantine
	if err := decodePlain(n, (*plain)(q)); err != nil {
		return err
	}
	q.pos = posOf(n)
	return nil
}

// ExpiredBefore is the instant before which a file must have been quarantined for its
// copy to have been kept the full period by day asOf: periods count from the start of
// the day, as the retention rules' do, so a copy from 1 March kept "30 days" goes on
// 31 March.
func (q Quarantine) ExpiredBefore(asOf time.Time) time.Time {
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	// AddTo never decreases as the start moves later, so walking back finds the last
	// start whose period has ended; a year takes some 366 steps.
	last := day
	for q.Keep.AddTo(last).After(day) {
		last = last.AddDate(0, 0, -1)
	}
	return last.AddDate(0, 0, 1)
}
