package stats

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
)

// palette is colour-blind-safe (Okabe–Ito, then greys) for up to ten column values.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#666666"}

// WriteReport renders the release as one self-contained HTML page: a stacked bar chart
// (SVG drawn here, no scripts, no network) and the table of figures for each aggregate.
// It reads only the release, so it can show nothing the analyst file does not.
func (r *Release) WriteReport(w io.Writer) error {
	type section struct {
		Title, Name, Unit, RowDim, ColDim string
		Chart                             template.HTML
		Head                              []string
		Rows                              [][]string
		Withheld                          int
	}
	var sections []section
	for _, t := range r.Tables {
		s := section{Title: t.Title, Name: t.Name, Unit: t.Unit, RowDim: t.RowDim, ColDim: t.ColDim,
			Chart: template.HTML(barChart(t)), Withheld: t.SuppressedCells()}
		s.Head = append([]string{t.RowDim}, t.Cols...)
		s.Head = append(s.Head, Total)
		for i := range t.Count {
			row := []string{t.RowLabel(i)}
			for j := range t.Count[i] {
				row = append(row, cellText(t, i, j))
			}
			s.Rows = append(s.Rows, row)
		}
		sections = append(sections, s)
	}
	return reportTemplate.Execute(w, map[string]any{
		"AsOf": r.AsOf.Format("2006-01-02"), "K": r.K, "Policy": r.Policy(), "Retention": r.RetentionPolicy,
		"Skipped": strings.Join(r.Skipped, ", "), "Sections": sections,
	})
}

func cellText(t *Table, i, j int) string {
	if t.Suppressed[i][j] {
		return "·"
	}
	return fmt.Sprint(t.Count[i][j])
}

// barChart draws one stacked bar per row value, a segment per released cell. Withheld
// cells are not drawn (their value is unknown to the reader too); a bar with any
// withheld cell carries a dot. Bars scale to the largest released row total, or the sum
// of its released cells when the total is withheld.
func barChart(t *Table) string {
	const width, height, left, bottom, top = 900.0, 300.0, 48.0, 70.0, 16.0
	R, C := t.R(), t.C()
	if R == 0 {
		return `<p class="empty">No data for this table yet.</p>`
	}
	var maxBar int64 = 1
	for i := 0; i < R; i++ {
		maxBar = max(maxBar, releasedSum(t, i))
		if !t.Suppressed[i][C] {
			maxBar = max(maxBar, t.Count[i][C])
		}
	}
	plotW, plotH := width-left-10, height-bottom-top
	slot := plotW / float64(R)
	barW := max(slot*0.8, 1)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString(t.Title))
	// gridlines and value axis
	for k := 0; k <= 4; k++ {
		v := float64(maxBar) * float64(k) / 4
		y := top + plotH - plotH*float64(k)/4
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, left, y, width-10, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end">%.0f</text>`, left-4, y+3, v)
	}
	labelEvery := max(1, R/30)
	for i := 0; i < R; i++ {
		x := left + slot*float64(i) + (slot-barW)/2
		y := top + plotH
		for j := 0; j < C; j++ {
			if t.Suppressed[i][j] || t.Count[i][j] == 0 {
				continue
			}
			h := plotH * float64(t.Count[i][j]) / float64(maxBar)
			y -= h
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %d</title></rect>`,
				x, y, barW, h, palette[j%len(palette)], html.EscapeString(t.Rows[i]), html.EscapeString(t.Cols[j]), t.Count[i][j])
		}
		if rowHasWithheld(t, i) {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="#444"><title>%s: some cells withheld</title></circle>`,
				x+barW/2, y-6, html.EscapeString(t.Rows[i]))
		}
		if i%labelEvery == 0 {
			lx, ly := x+barW/2, top+plotH+10
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end" transform="rotate(-45 %.1f %.1f)">%s</text>`,
				lx, ly, lx, ly, html.EscapeString(t.Rows[i]))
		}
	}
	b.WriteString(`</svg>`)
	b.WriteString(`<div class="legend">`)
	for j := 0; j < C; j++ {
		fmt.Fprintf(&b, `<span><i style="background:%s"></i>%s</span>`, palette[j%len(palette)], html.EscapeString(t.Cols[j]))
	}
	b.WriteString(`<span><b>●</b> cells withheld</span></div>`)
	return b.String()
}

func releasedSum(t *Table, i int) int64 {
	var s int64
	for j := 0; j < t.C(); j++ {
		if !t.Suppressed[i][j] {
			s += t.Count[i][j]
		}
	}
	return s
}

func rowHasWithheld(t *Table, i int) bool {
	for j := 0; j < t.C(); j++ {
		if t.Suppressed[i][j] {
			return true
		}
	}
	return false
}

var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>cvetl statistics as of {{.AsOf}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:960px;color:#222;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}
.meta{background:#f5f5f5;padding:.75rem 1rem;font-size:.9rem}
table{border-collapse:collapse;font-size:.8rem;margin-top:.5rem}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}
th:first-child,td:first-child{text-align:left}tr:last-child td,td:last-child{font-weight:600}
.legend{font-size:.8rem}.legend span{margin-right:1rem;white-space:nowrap}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
details{margin-top:.5rem}.empty{color:#777}
</style></head><body>
<h1>Recruitment statistics as of {{.AsOf}}</h1>
<div class="meta"><p>Anonymised aggregates: every figure counts at least <b>{{.K}}</b> distinct people.
A “·” is a withheld figure: too few people, or a figure that would let a withheld one be worked out from the totals.
Withheld figures are left out of the bars, so bars with a dot are lower than the true totals.</p>
<p>Disclosure control: {{.Policy}}.</p>
{{if .Retention}}<p>Retention policy of the manifests counted: {{.Retention}}.</p>{{end}}
{{if .Skipped}}<p>Not computed (the store does not hold them yet): {{.Skipped}}.</p>{{end}}</div>
{{range .Sections}}
<h2>{{.Title}}</h2>
<p>{{.Unit}} by {{.RowDim}} and {{.ColDim}}; {{.Withheld}} figures withheld. Table <code>{{.Name}}</code> in the analyst file.</p>
{{.Chart}}
<details><summary>Figures</summary><table><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table></details>
{{end}}
</body></html>
`))
