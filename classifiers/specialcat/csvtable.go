package specialcat

import "strings"

// A CSV export with a header row ("CandidateId,Ethnicity,Religion,Disability")
// and positional values below it ("4471,Mixed White and Asian,Muslim,No"): the
// header names the question of each column, so each value row answers them
// cell by cell, and neither the header nor the rows are free text (h32).

// csvMinColumns: fewer columns is a "field,value" row (csvKey) or prose.
const csvMinColumns = 3

// csvColumn is what one header cell asks.
type csvColumn struct {
	cats, needTerm uint16 // as labelCats returns them
	any            bool
}

// csvCells splits line into its comma-separated cells as [start, end) offsets
// within line, quotes respected ("\"White, Irish\"" is one cell).
func csvCells(line string) [][2]int {
	var cells [][2]int
	start, quoted := 0, false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				cells = append(cells, [2]int{start, i})
				start = i + 1
			}
		}
	}
	return append(cells, [2]int{start, len(line)})
}

// csvHeader is what each cell of the line text[s:e] asks, or nil when the line is
// not an export's header: at least csvMinColumns cells, no space after a comma,
// no quotes or sentence punctuation, each cell short, and one a category's label.
func (d *Doc) csvHeader(s, e int) []csvColumn {
	line := d.Text[s:e]
	if strings.Count(line, ",") < csvMinColumns-1 || strings.Contains(line, ", ") || strings.ContainsAny(line, "\"!?;:") {
		return nil // most lines: checked without allocating
	}
	cells := csvCells(line)
	if len(cells) < csvMinColumns {
		return nil
	}
	cols := make([]csvColumn, len(cells))
	found := false
	for i, c := range cells {
		cs, ce := trimSpaces(d.Text, s+c[0], s+c[1])
		if cs == ce || ce-cs > 40 || strings.Contains(d.Text[cs:ce], ". ") {
			return nil
		}
		cats, any, needTerm := d.labelCats(cs, ce, labelColon)
		cols[i] = csvColumn{cats: cats, needTerm: needTerm, any: any}
		found = found || cats != 0
	}
	if !found {
		return nil
	}
	return cols
}

// csvTable reads the export table whose header is the line text[s:e], its rows
// on the lines from next on (while they have as many cells), and returns where
// reading resumes; ok is false when the line is no header.
func (d *Doc) csvTable(s, e, next int) (resume int, ok bool) {
	cols := d.csvHeader(s, e)
	if cols == nil {
		return 0, false
	}
	text := d.Text
	for ls := next; ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		nl := len(text)
		if le < 0 {
			le = len(text)
		} else {
			le += ls
			nl = le + 1
		}
		rs, re := trimSentence(text, ls, le)
		cells := csvCells(text[rs:re])
		if rs == re || len(cells) != len(cols) {
			break
		}
		for i, c := range cells {
			col := cols[i]
			if col.cats == 0 {
				continue
			}
			vs, ve := trimSpaces(text, rs+c[0], rs+c[1])
			if ve-vs >= 2 && text[vs] == '"' && text[ve-1] == '"' {
				vs, ve = vs+1, ve-1
			}
			// A label that counts only with a term of its category in the answer
			// ("Status") keeps that condition cell by cell.
			if cats := col.cats &^ (col.needTerm &^ d.catsOf(vs, ve, 0)); vs < ve && cats != 0 {
				d.answer(cats, col.any, vs, vs, ve, true)
			}
		}
		d.mask(rs, re)
		ls, resume = nl, nl
	}
	if resume == 0 {
		resume = next // a header with no rows yet: column names, no disclosure
	}
	d.mask(s, e)
	d.csvHeads = append(d.csvHeads, span{s, e})
	return resume, true
}
