package profile

import "strings"

// Redacted returns a copy of the candidate with every special-category evidence string
// replaced by "[special category: <category>]" in every field, and no tags. This is
// what ordinary tables may hold; the evidence itself lives only in restricted storage.
func (c Candidate) Redacted() Candidate {
	if len(c.SpecialCategories) == 0 {
		return c
	}
	pairs := make([]string, 0, 2*len(c.SpecialCategories))
	for _, t := range c.SpecialCategories {
		if strings.TrimSpace(t.Evidence) != "" {
			pairs = append(pairs, t.Evidence, "[special category: "+string(t.Category)+"]")
		}
	}
	r := strings.NewReplacer(pairs...)
	red := func(s string) string { return r.Replace(s) }
	redPtr := func(p *string) *string {
		if p == nil {
			return nil
		}
		v := red(*p)
		return &v
	}
	redAll := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = red(s)
		}
		return out
	}
	out := c
	out.Name, out.Postcode, out.Town = redPtr(c.Name), redPtr(c.Postcode), redPtr(c.Town)
	out.NINumber, out.DateOfBirth = redPtr(c.NINumber), redPtr(c.DateOfBirth)
	out.Emails, out.Phones, out.Skills, out.Links = redAll(c.Emails), redAll(c.Phones), redAll(c.Skills), redAll(c.Links)
	out.Employment = make([]Employment, len(c.Employment))
	for i, e := range c.Employment {
		out.Employment[i] = Employment{Title: red(e.Title), Employer: red(e.Employer), Start: e.Start, End: e.End}
	}
	out.Education = make([]Education, len(c.Education))
	for i, e := range c.Education {
		out.Education[i] = Education{Institution: red(e.Institution), Qualification: red(e.Qualification), Year: e.Year}
	}
	out.SpecialCategories = nil
	return out
}
