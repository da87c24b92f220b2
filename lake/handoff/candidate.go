package handoff

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

// candidate turns a lake profiles row back into the parsed candidate the store wrote
// it from (already redacted; its tags come from the handoff).
func candidate(r lake.Row) (pipeline.ParsedCandidate, error) {
	col := func(name string) any { return r[lake.Profiles.Index(name)] }
	str := func(name string) string { s, _ := col(name).(string); return s }
	ptr := func(name string) *string {
		if s, ok := col(name).(string); ok {
			return &s
		}
		return nil
	}
	list := func(name string) []string { l, _ := col(name).([]string); return l }
	c := profile.Candidate{
		Name: ptr("name"), Emails: list("emails"), Phones: list("phones"), Postcode: ptr("postcode"),
		Town: ptr("town"), NINumber: ptr("ni_number"), Skills: list("skills"), Links: list("links"),
	}
	if d, ok := col("date_of_birth").(time.Time); ok {
		s := d.Format(time.DateOnly)
		c.DateOfBirth = &s
	}
	if s := str("employment"); s != "" {
		if err := json.Unmarshal([]byte(s), &c.Employment); err != nil {
			return pipeline.ParsedCandidate{}, fmt.Errorf("employment is not a JSON array of jobs")
		}
	}
	if s := str("education"); s != "" {
		if err := json.Unmarshal([]byte(s), &c.Education); err != nil {
			return pipeline.ParsedCandidate{}, fmt.Errorf("education is not a JSON array of qualifications")
		}
	}
	return pipeline.ParsedCandidate{Origin: str("origin"), Format: extractors.Format(str("format")), Candidate: c}, nil
}
