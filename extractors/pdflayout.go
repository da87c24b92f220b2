package extractors

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// Layout of positioned glyphs into reading-order text. Content-stream order is
// not reading order: producers may draw two columns row by row, so lines are
// rebuilt from coordinates and columns found from the empty strip between them.

// pdfGlyph is one positioned character, in points, y growing upwards.
type pdfGlyph struct {
	x, y, w, size float64
	adv           float64 // where the pen put the next glyph: w and the character and word spacing
	s             string
	seq           int     // position in content-stream order
	run           int     // glyphs drawn one after another by the same pen share a run
	key           float64 // where the glyph's run starts on its line, for ordering
}

// pdfWord is a run of glyphs with no gap between them.
type pdfWord struct {
	x0, x1 float64
	text   string
}

// pdfLine is the words sharing a baseline, left to right.
type pdfLine struct {
	y, size float64
	words   []pdfWord
}

// Layout thresholds, in em of the font size unless noted.
const (
	baselineTolerance = 0.4  // glyphs this close vertically share a line
	wordGap           = 0.12 // a wider gap than the pen's own advance starts a new word
	runOverlapEm      = 0.5  // a run starting this far back over the last glyph starts a new word
	overprintEm       = 0.1  // the same glyph drawn again this close is an overprint
	tabGap            = 2.0  // a wider gap between words is written as a tab
	minGutterEm       = 1.5  // a column gutter is at least this wide...
	minGutterPt       = 9.0  // ...and at least this many points
	maxCrossingShare  = 0.2  // share of lines that may cross a gutter (spanning headers)
	minColumnShare    = 0.15 // each column spans at least this share of the text width
	paragraphPitch    = 1.5  // a gap over this many typical line pitches is a paragraph break...
	paragraphEm       = 2.2  // ...as is one over this many em, for blocks too short to have a pitch
	maxColumnDepth    = 2    // columns within columns, up to four in all
	gutterBins        = 1024 // horizontal resolution of the gutter search
)

// layoutPDFPage returns a page's text in reading order: lines joined by "\n",
// paragraphs and columns separated by a blank line.
func layoutPDFPage(glyphs []pdfGlyph) string {
	lines := pdfLines(glyphs)
	var b strings.Builder
	for i, block := range pdfReadingOrder(lines, 0) {
		if i > 0 {
			b.WriteString("\n\n")
		}
		writePDFBlock(&b, block)
	}
	return b.String()
}

func pdfFinite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

// pdfLines groups glyphs by baseline, top to bottom, and splits each line
// into words.
func pdfLines(gs []pdfGlyph) []pdfLine {
	sort.SliceStable(gs, func(i, j int) bool {
		if gs[i].y != gs[j].y {
			return gs[i].y > gs[j].y
		}
		return gs[i].x < gs[j].x
	})
	var lines []pdfLine
	for start := 0; start < len(gs); {
		end := start + 1
		for end < len(gs) && gs[start].y-gs[end].y <= baselineTolerance*math.Min(gs[start].size, gs[end].size) {
			end++
		}
		if ln, ok := newPDFLine(gs[start:end]); ok {
			lines = append(lines, ln)
		}
		start = end
	}
	return lines
}

// newPDFLine builds a line from glyphs sharing a baseline.
func newPDFLine(gs []pdfGlyph) (pdfLine, bool) {
	gs = orderPDFLine(gs)
	ln := pdfLine{y: gs[0].y}
	var cur strings.Builder
	var word pdfWord
	var last *pdfGlyph
	flush := func() {
		if cur.Len() > 0 {
			word.text = cur.String()
			ln.words = append(ln.words, word)
			cur.Reset()
		}
		last = nil
	}
	for i := range gs {
		g := &gs[i]
		ln.size = math.Max(ln.size, g.size)
		if g.s == " " {
			flush()
			continue
		}
		// A gap ends a word, and so does a run that starts back over the
		// previous glyph: the two are not one word drawn left to right.
		if last != nil && (g.x-(last.x+last.adv) > wordGap*g.size ||
			g.run != last.run && g.x+runOverlapEm*g.size < last.x+last.w) {
			flush()
		}
		if last == nil {
			word = pdfWord{x0: g.x, x1: g.x + g.w}
		}
		word.x1 = math.Max(word.x1, g.x+g.w)
		cur.WriteString(g.s)
		last = g
	}
	flush()
	return ln, len(ln.words) > 0
}

// orderPDFLine puts a line's glyphs in reading order and drops those drawn
// twice at (almost) the same spot, as for a fake bold. The glyphs of one run
// keep their content-stream order: computed positions need not increase
// along a run when advances are estimated or the producer kerns, and sorting
// such glyphs by x interleaves the letters of neighbouring words. Runs are
// ordered by where they start.
func orderPDFLine(gs []pdfGlyph) []pdfGlyph {
	slices.SortFunc(gs, func(a, b pdfGlyph) int { return cmp.Compare(a.x, b.x) })
	drop := make([]bool, len(gs))
	for i := range gs {
		drop[i] = overprinted(gs, i)
	}
	kept := gs[:0]
	for i := range gs {
		if !drop[i] {
			kept = append(kept, gs[i])
		}
	}
	gs = kept
	slices.SortFunc(gs, func(a, b pdfGlyph) int { return cmp.Compare(a.seq, b.seq) })
	for i := range gs {
		if i == 0 || gs[i].run != gs[i-1].run {
			gs[i].key = gs[i].x
		} else {
			gs[i].key = gs[i-1].key
		}
	}
	slices.SortStableFunc(gs, func(a, b pdfGlyph) int { return cmp.Compare(a.key, b.key) })
	return gs
}

// overprinted reports whether gs[i] repeats a glyph an earlier run drew at
// almost the same place; gs is sorted by x.
func overprinted(gs []pdfGlyph, i int) bool {
	g := gs[i]
	if g.s == " " {
		return false
	}
	near := overprintEm * g.size
	for j := i - 1; j >= 0 && g.x-gs[j].x < near; j-- {
		if gs[j].s == g.s && gs[j].seq < g.seq && gs[j].run != g.run && math.Abs(gs[j].y-g.y) < near {
			return true
		}
	}
	for j := i + 1; j < len(gs) && gs[j].x-g.x < near; j++ {
		if gs[j].s == g.s && gs[j].seq < g.seq && gs[j].run != g.run && math.Abs(gs[j].y-g.y) < near {
			return true
		}
	}
	return false
}

// pdfReadingOrder splits lines into blocks to be read one after another: above,
// between and below lines that span the page, the left column comes whole
// before the right one.
func pdfReadingOrder(lines []pdfLine, depth int) [][]pdfLine {
	lo, hi, ok := findGutter(lines)
	if depth >= maxColumnDepth || !ok {
		return [][]pdfLine{lines}
	}
	var out [][]pdfLine
	var left, right, spanning []pdfLine
	flushColumns := func() {
		for _, col := range [][]pdfLine{left, right} {
			if len(col) > 0 {
				out = append(out, pdfReadingOrder(col, depth+1)...)
			}
		}
		left, right = nil, nil
	}
	for _, ln := range lines {
		if crossesGutter(ln, lo, hi) {
			flushColumns()
			spanning = append(spanning, ln)
			continue
		}
		if len(spanning) > 0 {
			out, spanning = append(out, spanning), nil
		}
		l, r := splitPDFLine(ln, (lo+hi)/2)
		if len(l.words) > 0 {
			left = append(left, l)
		}
		if len(r.words) > 0 {
			right = append(right, r)
		}
	}
	flushColumns()
	if len(spanning) > 0 {
		out = append(out, spanning)
	}
	return out
}

// findGutter finds the strip between two columns: a vertical band that at most
// a few lines cross, with enough text on either side to be columns rather than
// a bullet or a date list. Strips crossed by fewer lines are preferred, then
// wider ones, so a spanning header does not hide the gutter and a line that
// pokes into the gutter does not widen it.
func findGutter(lines []pdfLine) (lo, hi float64, ok bool) {
	if len(lines) < 4 {
		return 0, 0, false
	}
	minX, maxX := pdfTextExtent(lines)
	width := maxX - minX
	if width < 50 || width > 1e5 {
		return 0, 0, false
	}
	cover := gutterCoverage(lines, minX, width)
	minGutter := math.Max(minGutterEm*medianLineSize(lines), minGutterPt)
	binW := width / gutterBins
	for k := 0; k <= int(maxCrossingShare*float64(len(lines))); k++ {
		best := 0.0
		for s := 0; s < gutterBins; s++ {
			if cover[s] > k {
				continue
			}
			e := s
			for e < gutterBins && cover[e] <= k {
				e++
			}
			cLo, cHi := minX+float64(s)*binW, minX+float64(e)*binW
			if cHi-cLo > best && gutterCandidate(lines, cLo, cHi, minX, maxX, minGutter) {
				lo, hi, best, ok = cLo, cHi, cHi-cLo, true
			}
			s = e
		}
		if ok {
			return lo, hi, true
		}
	}
	return 0, 0, false
}

// gutterCandidate checks a strip: wide enough, crossed by few lines, with
// columns of real width and several lines on both sides.
func gutterCandidate(lines []pdfLine, lo, hi, minX, maxX, minGutter float64) bool {
	if hi-lo < minGutter {
		return false
	}
	crossing, leftLines, rightLines := 0, 0, 0
	leftEdge, rightEdge := minX, maxX
	for _, ln := range lines {
		if crossesGutter(ln, lo, hi) {
			crossing++
			continue
		}
		l, r := false, false
		for _, w := range ln.words {
			if w.x1 <= lo {
				l, leftEdge = true, math.Max(leftEdge, w.x1)
			} else {
				r, rightEdge = true, math.Min(rightEdge, w.x0)
			}
		}
		leftLines, rightLines = leftLines+pdfBoolInt(l), rightLines+pdfBoolInt(r)
	}
	minSide := max(2, len(lines)/10)
	minWidth := minColumnShare * (maxX - minX)
	return crossing <= int(maxCrossingShare*float64(len(lines))) &&
		leftLines >= minSide && rightLines >= minSide &&
		leftEdge-minX >= minWidth && maxX-rightEdge >= minWidth
}

// gutterCoverage counts, for each horizontal bin, the lines with a word over it.
func gutterCoverage(lines []pdfLine, minX, width float64) []int {
	diff := make([]int, gutterBins+1)
	bin := func(x float64) int {
		return min(max(int((x-minX)/width*gutterBins), 0), gutterBins-1)
	}
	for _, ln := range lines {
		for _, w := range ln.words {
			diff[bin(w.x0)]++
			diff[bin(w.x1)+1]--
		}
	}
	cover := make([]int, gutterBins)
	run := 0
	for i := range cover {
		run += diff[i]
		cover[i] = run
	}
	return cover
}

func pdfTextExtent(lines []pdfLine) (minX, maxX float64) {
	minX, maxX = math.Inf(1), math.Inf(-1)
	for _, ln := range lines {
		for _, w := range ln.words {
			minX, maxX = math.Min(minX, w.x0), math.Max(maxX, w.x1)
		}
	}
	return minX, maxX
}

func medianLineSize(lines []pdfLine) float64 {
	sizes := make([]float64, len(lines))
	for i, ln := range lines {
		sizes[i] = ln.size
	}
	sort.Float64s(sizes)
	return sizes[len(sizes)/2]
}

// crossesGutter reports whether a word of ln lies over the strip (lo, hi).
func crossesGutter(ln pdfLine, lo, hi float64) bool {
	for _, w := range ln.words {
		if w.x1 > lo && w.x0 < hi {
			return true
		}
	}
	return false
}

// splitPDFLine divides a line's words at x = mid.
func splitPDFLine(ln pdfLine, mid float64) (left, right pdfLine) {
	left, right = pdfLine{y: ln.y, size: ln.size}, pdfLine{y: ln.y, size: ln.size}
	for _, w := range ln.words {
		if (w.x0+w.x1)/2 < mid {
			left.words = append(left.words, w)
		} else {
			right.words = append(right.words, w)
		}
	}
	return left, right
}

// writePDFBlock writes a column's lines, with a blank line where the vertical gap
// is well over the block's usual line pitch.
func writePDFBlock(b *strings.Builder, lines []pdfLine) {
	pitch := typicalLinePitch(lines)
	for i, ln := range lines {
		if i > 0 {
			gap := lines[i-1].y - ln.y
			if pitch > 0 && gap > paragraphPitch*pitch+0.5 || gap > paragraphEm*math.Max(ln.size, lines[i-1].size) {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		writePDFLine(b, ln)
	}
}

// typicalLinePitch is the usual distance between consecutive baselines, or 0 when
// there are too few lines to tell. The lower quartile is used, not the median:
// in a short block, paragraph gaps can be half of all gaps.
func typicalLinePitch(lines []pdfLine) float64 {
	var gaps []float64
	for i := 1; i < len(lines); i++ {
		if g := lines[i-1].y - lines[i].y; g > 0 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) < 2 {
		return 0
	}
	sort.Float64s(gaps)
	return gaps[len(gaps)/4]
}

func writePDFLine(b *strings.Builder, ln pdfLine) {
	for i, w := range ln.words {
		if i > 0 {
			if w.x0-ln.words[i-1].x1 > tabGap*ln.size {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w.text)
	}
}

func pdfBoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
