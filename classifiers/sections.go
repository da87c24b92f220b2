package classifiers

// Section is one part of a CV found by its heading. Start and End are byte offsets of
// the section's body (the text after the heading up to the next heading), so
// text[Start:End] is the content and detectors can ask which section a span is in.
// The header before the first heading, where CVs put name and contact details, is
// returned as Kind "contact" with an empty Heading.
type Section struct {
	Kind    string `json:"kind"` // profile|experience|education|skills|references|additional|contact|other
	Heading string `json:"heading"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// Section kinds.
const (
	KindProfile    = "profile"
	KindExperience = "experience"
	KindEducation  = "education"
	KindSkills     = "skills"
	KindReferences = "references"
	KindAdditional = "additional"
	KindContact    = "contact"
	KindOther      = "other"
)

// Sections splits text into sections by recognised headings (data/headings.tsv).
func Sections(text string) []Section {
	return newDocument(text).sections
}

// headingAt is a heading found on line idx.
type headingAt struct {
	idx       int
	info      headingInfo
	heading   string
	bodyStart int  // offset where the section body starts
	inline    bool // "Key Skills: Python, SQL": body starts on the same line
}

// findSections detects headings, merges sub-headings back into the job history
// they interrupt, and labels every line with its section kind.
func findSections(d *document) []Section {
	var hs []headingAt
	cur := KindContact
	for i := range d.lines {
		l := &d.lines[i]
		if l.blank {
			continue
		}
		info, heading, off, ok := detectHeading(l.text)
		if !ok || (off > 0 && inlineSubHeading(cur, info, heading)) {
			continue
		}
		cur = info.kind
		h := headingAt{idx: i, info: info, heading: heading, bodyStart: l.end}
		if off > 0 {
			h.inline = true
			h.bodyStart = l.start + off
		} else if i+1 < len(d.lines) {
			h.bodyStart = d.lines[i+1].start
		}
		hs = append(hs, h)
	}
	hs = mergeWeakHeadings(d, hs)

	var secs []Section
	kinds := make([]string, len(d.lines))
	first := len(d.lines)
	if len(hs) > 0 {
		first = hs[0].idx
	}
	// The header before the first heading holds the name and contact details.
	if hasBody(d, 0, first) {
		end := len(d.text)
		if len(hs) > 0 {
			end = d.lines[first].start
		}
		secs = append(secs, Section{Kind: KindContact, Start: 0, End: end})
	}
	for i := 0; i < first; i++ {
		kinds[i] = KindContact
	}
	for k, h := range hs {
		stop, end := len(d.lines), len(d.text)
		if k+1 < len(hs) {
			stop, end = hs[k+1].idx, d.lines[hs[k+1].idx].start
		}
		start := min(h.bodyStart, end)
		secs = append(secs, Section{Kind: h.info.kind, Heading: h.heading, Start: start, End: end})
		for i := h.idx; i < stop; i++ {
			kinds[i] = h.info.kind
		}
		l := &d.lines[h.idx]
		if h.inline {
			l.start = h.bodyStart
			l.text = d.text[l.start:l.end]
		} else {
			l.heading = true
		}
	}
	for i := range d.lines {
		d.lines[i].kind = kinds[i]
	}
	return secs
}

// hasBody reports a non-blank line among lines [from, to).
func hasBody(d *document, from, to int) bool {
	for i := from; i < to; i++ {
		if !d.lines[i].blank {
			return true
		}
	}
	return false
}

// mergeWeakHeadings drops a weak heading ("Key achievements") that sits inside the
// job history: one that follows an experience section and is itself followed by
// another dated job before the next real heading.
func mergeWeakHeadings(d *document, hs []headingAt) []headingAt {
	out := hs[:0]
	for k, h := range hs {
		if h.info.weak && len(out) > 0 && out[len(out)-1].info.kind == KindExperience {
			stop := len(d.lines)
			if k+1 < len(hs) {
				stop = hs[k+1].idx
			}
			if hasDateRange(d, h.idx+1, stop) {
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

// hasDateRange reports a line with an employment date range among lines [from, to).
func hasDateRange(d *document, from, to int) bool {
	for i := from; i < to; i++ {
		if !d.lines[i].blank && findDateRange(d.lines[i].text).ok {
			return true
		}
	}
	return false
}
