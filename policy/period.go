package policy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Unit is a calendar unit a period is counted in.
type Unit string

// The units a period may use. Hours exist for promises such as "confirmed within 48
// hours"; on date-only events they count from the start of the anchor day.
const (
	Hours  Unit = "hours"
	Days   Unit = "days"
	Months Unit = "months"
	Years  Unit = "years"
)

// Period is a calendar period such as "6 months": months and years are calendar
// months, so 31 August + 6 months is the last day of February.
type Period struct {
	N    int
	Unit Unit
	line int
}

// ParsePeriod reads "<n> <unit>", where unit is hour(s), day(s), week(s) (counted as
// 7 days), month(s) or year(s).
func ParsePeriod(s string) (Period, error) {
	fields := strings.Fields(s)
	if len(fields) != 2 {
		return Period{}, fmt.Errorf("want \"<n> days|weeks|months|years|hours\", got %q", s)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n < 0 {
		return Period{}, fmt.Errorf("want a whole number ≥ 0 before the unit, got %q", fields[0])
	}
	unit := strings.TrimSuffix(strings.ToLower(fields[1]), "s")
	switch unit {
	case "hour":
		return Period{N: n, Unit: Hours}, nil
	case "day":
		return Period{N: n, Unit: Days}, nil
	case "week":
		return Period{N: 7 * n, Unit: Days}, nil
	case "month":
		return Period{N: n, Unit: Months}, nil
	case "year":
		return Period{N: n, Unit: Years}, nil
	}
	return Period{}, fmt.Errorf("unknown unit %q (want hours, days, weeks, months or years)", fields[1])
}

// String renders the period the way DuckDB reads an INTERVAL literal.
func (p Period) String() string {
	if p.Unit == "" {
		return ""
	}
	if p.N == 1 {
		return "1 " + strings.TrimSuffix(string(p.Unit), "s")
	}
	return fmt.Sprintf("%d %s", p.N, p.Unit)
}

// Validate checks that the period has a known unit and is not negative.
func (p Period) Validate() error {
	switch p.Unit {
	case Hours, Days, Months, Years:
	default:
		return fmt.Errorf("unknown unit %q (want hours, days, months or years)", p.Unit)
	}
	if p.N < 0 {
		return fmt.Errorf("must not be negative")
	}
	return nil
}

// IsZero reports whether the period was not given.
func (p Period) IsZero() bool { return p.Unit == "" }

// Line is the line of the YAML file the period was read from (0 if not read from YAML).
func (p Period) Line() int { return p.line }

// AddTo returns the day the period ends, counted from the start of day d. Months and
// years that land past the end of a month end on its last day, as DuckDB's
// DATE + INTERVAL does: 31 Aug 2024 + 6 months = 28 Feb 2025, 29 Feb 2024 + 1 year =
// 28 Feb 2025. Hours are rounded down to the day they end in.
func (p Period) AddTo(d time.Time) time.Time {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	switch p.Unit {
	case Hours:
		e := d.Add(time.Duration(p.N) * time.Hour)
		return time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	case Days:
		return d.AddDate(0, 0, p.N)
	case Months, Years:
		months := p.N
		if p.Unit == Years {
			months = 12 * p.N
		}
		first := time.Date(d.Year(), d.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
	}
	return d
}

// UnmarshalYAML reads a period from a scalar such as "12 months".
func (p *Period) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return decodeError(n, "want a period such as \"6 months\"")
	}
	v, err := ParsePeriod(n.Value)
	if err != nil {
		return decodeError(n, err.Error())
	}
	v.line = n.Line
	*p = v
	return nil
}

// MarshalYAML writes the period back as "<n> <unit>".
func (p Period) MarshalYAML() (any, error) { return p.String(), nil }
