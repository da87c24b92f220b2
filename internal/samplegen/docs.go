package samplegen

import (
	"sort"
	"strings"

	"github.com/cvetl/cvetl/internal/synth"
)

// PDF renders the CV as a text PDF. A two-column CV has the contact details and
// skills in a left sidebar and the work history in the right main column on its
// first page; what does not fit continues in one column on the following pages, as
// sidebar templates do.
func PDF(c Candidate, twoColumn bool) []byte {
	if !twoColumn {
		return synth.PDF(synth.TextPages(c.Lines()))
	}
	return synth.PDF(twoColumnPages(c.sidebarLines(), c.mainColumnLines()))
}

// sidebarLines is the left column of a two-column CV.
func (c Candidate) sidebarLines() []string {
	out := []string{"# Contact"}
	if c.Phone != "" {
		out = append(out, c.Phone)
	}
	if c.Email != "" {
		out = append(out, c.Email)
	}
	out = append(out, nonEmpty(c.Address, strings.TrimSpace(c.Town+" "+c.Postcode))...)
	if c.LinkedIn != "" {
		out = append(out, c.LinkedIn)
	}
	if c.DateOfBirth != "" {
		out = append(out, "Date of Birth: "+c.DateOfBirth)
	}
	if c.NINumber != "" {
		out = append(out, "NI: "+c.NINumber)
	}
	out = append(out, "", "# "+c.headings().Skills)
	out = append(out, c.Skills...)
	return out
}

// mainColumnLines is the right column: name, headline and everything but skills.
func (c Candidate) mainColumnLines() []string {
	out := []string{"# " + c.Name(), c.Headline, ""}
	return append(out, c.mainLines(false)...)
}

// twoColumnPages lays the first page out in two columns and flows the rest of the
// main column over single-column pages. synth.TwoColumnPage cuts off what does not
// fit, so the longest prefix of the main column it places whole is found by
// comparing the lines it placed with the lines each input line wraps to.
func twoColumnPages(left, right []string) []synth.Page {
	rightLines := func(p synth.Page) int {
		n := 0
		for _, l := range p.Lines {
			if l.X > synth.PageWidth/2 {
				n++
			}
		}
		return n
	}
	need := make([]int, len(right)+1) // need[k]: placed lines prefix k takes
	for i, l := range right {
		need[i+1] = need[i] + rightLines(synth.TwoColumnPage(nil, []string{l}))
	}
	fits := func(k int) bool { return rightLines(synth.TwoColumnPage(left, right[:k])) == need[k] }
	// Fitting is monotone in k, so binary-search the longest prefix that fits.
	k := sort.Search(len(right)+1, func(k int) bool { return !fits(k) }) - 1
	pages := []synth.Page{synth.TwoColumnPage(left, right[:k])}
	if rest := trimBlank(right[k:]); len(rest) > 0 {
		pages = append(pages, synth.TextPages(rest)...)
	}
	return pages
}

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	return lines
}

// DocxOptions choose the Word features a DOCX CV uses, each of which a naive
// extractor misses.
type DocxOptions struct {
	HeaderContact  bool     // name and contact details in the page header, not the body
	TextBoxContact bool     // contact details in a floating text box
	SkillsTable    bool     // key skills as a three-column table closing the document
	HistoryTable   bool     // work history as a Dates | Role | Employer table closing the document
	Header         []string // extra header paragraphs, e.g. an agency's branding
	Footer         []string // footer paragraphs
}

// DOCX renders the CV as a plain Word document: one paragraph a line.
func DOCX(c Candidate) []byte { return DOCXWith(c, DocxOptions{}) }

// DOCXWith renders the CV as a Word document with the given features. synth writes
// a table only after all body paragraphs, so a tabled section closes the document.
func DOCXWith(c Candidate, o DocxOptions) []byte {
	spec := synth.DocxSpec{Header: o.Header, Footer: o.Footer}
	head := append([]string{"# " + c.Name()}, c.contactLines()...)
	var body []string
	switch {
	case o.HeaderContact:
		spec.Header = append(append([]string{}, o.Header...), head...)
	case o.TextBoxContact:
		spec.TextBox = head[1:]
		body = append(body, head[0])
	default:
		body = append(body, head...)
	}
	h := c.headings()
	body = append(body, "", "# "+h.Profile, c.Statement)
	if !o.HistoryTable {
		body = append(body, "", "# "+h.Experience)
		for i, j := range c.Jobs {
			if i > 0 {
				body = append(body, "")
			}
			body = append(body, c.jobLines(j)...)
		}
	}
	body = append(body, "", "# "+h.Education)
	for _, e := range c.Education {
		body = append(body, c.educationLine(e))
	}
	if !o.SkillsTable || o.HistoryTable { // one table only: history wins
		body = append(body, "", "# "+h.Skills)
		body = append(body, c.skillLines()...)
	}
	if len(c.Extras) > 0 {
		body = append(body, "", "# "+h.Additional)
		body = append(body, c.Extras...)
	}
	body = append(body, "", "# "+h.References, "Available on request.")
	switch {
	case o.HistoryTable:
		body = append(body, "", "# "+h.Experience)
		spec.Table = [][]string{{"Dates", "Role", "Employer"}}
		for _, j := range c.Jobs {
			spec.Table = append(spec.Table, []string{c.Period(j), j.Title, j.Employer + ", " + j.Town})
		}
	case o.SkillsTable:
		body = append(body, "", "# "+h.Skills)
		for i := 0; i < len(c.Skills); i += 3 {
			spec.Table = append(spec.Table, c.Skills[i:min(i+3, len(c.Skills))])
		}
	}
	spec.Paragraphs = body
	return synth.DOCX(spec)
}
