package extractors

import (
	"io"
	"math"

	"github.com/ledongthuc/pdf"
)

// A content stream interpreter for text: it positions every glyph with the
// advance its font declares (see pdf_font.go) and records which glyphs were
// drawn one after another by the same pen, so the layout can keep them in
// content-stream order whatever their computed positions.

// pdfAffine is the matrix [a b 0; c d 0; e f 1] of PDF coordinate transforms.
type pdfAffine [6]float64

var pdfIdentity = pdfAffine{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first.
func (m pdfAffine) mul(n pdfAffine) pdfAffine {
	return pdfAffine{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// translate returns translation(tx, ty) × m.
func (m pdfAffine) translate(tx, ty float64) pdfAffine {
	m[4] += tx*m[0] + ty*m[2]
	m[5] += tx*m[1] + ty*m[3]
	return m
}

// pdfGState is the part of the graphics state text depends on; q and Q save
// and restore it.
type pdfGState struct {
	ctm                       pdfAffine
	tc, tw, th, tl, tfs, rise float64
	font                      *pdfFont
}

// maxGStateDepth bounds the q stack; deeper saves are counted, not stored.
const maxGStateDepth = 256

type pdfInterp struct {
	gs        pdfGState
	saved     []pdfGState
	lost      int // q operators beyond maxGStateDepth, undone by the next Qs
	tm, tlm   pdfAffine
	fontRes   pdf.Value
	fonts     pdfFonts
	pageFonts map[string]*pdfFont
	glyphs    []pdfGlyph
	run       int // number of the current pen-continuous run
	args      []pdf.Value
	nums      [6]float64

	// Form XObjects: their resources, and the page's bounds they share.
	xobjRes     pdf.Value
	page        int
	budget      *int64 // the document's decoded-content budget
	stringBytes int    // string operand bytes of the page and its forms so far
	depth       int
	forms       int
	formErr     error // a form the checks refused: the page fails as for bad content
}

// pdfPageGlyphs interprets a page's content streams, and the form XObjects they
// draw, and returns its glyphs. A content stream the library's lexer gives up on
// partway still yields the glyphs drawn before that point; with none, the page does
// not parse. stringBytes is the string operand bytes of the page's own content.
func pdfPageGlyphs(num int, pg pdf.Page, fonts pdfFonts, budget *int64, stringBytes int) (glyphs []pdfGlyph, err error) {
	it := &pdfInterp{
		gs:          pdfGState{ctm: pdfIdentity, th: 1, font: defaultPDFFont},
		tm:          pdfIdentity,
		tlm:         pdfIdentity,
		fontRes:     pg.Resources().Key("Font"),
		fonts:       fonts,
		pageFonts:   map[string]*pdfFont{},
		xobjRes:     pg.Resources().Key("XObject"),
		page:        num,
		budget:      budget,
		stringBytes: stringBytes,
	}
	defer func() {
		if recover() != nil {
			glyphs, err = it.glyphs, nil
			if len(glyphs) == 0 {
				err = errPageParse
			}
		}
	}()
	contents := pg.V.Key("Contents")
	if contents.Kind() != pdf.Stream && contents.Kind() != pdf.Array {
		return nil, nil
	}
	pdf.Interpret(contents, it.do)
	if it.formErr != nil {
		return nil, it.formErr
	}
	return it.glyphs, nil
}

// drawForm draws a form XObject: some producers (templates, "print to PDF" drivers)
// put a CV's whole text in one. Its content passes the checks page content passes,
// within the page's caps, before the library's lexer sees it.
func (it *pdfInterp) drawForm(name string) {
	x := it.xobjRes.Key(name)
	if x.Kind() != pdf.Stream || x.Key("Subtype").Name() != "Form" || it.formErr != nil {
		return
	}
	if it.depth >= maxFormDepth || it.forms >= maxPageForms {
		return // nested or repeated past any layout's need: a loop, or a bomb
	}
	it.forms++
	if it.formErr = it.checkForm(x); it.formErr != nil {
		return
	}
	saved := *it
	it.depth++
	if m := x.Key("Matrix"); m.Len() == 6 {
		var v pdfAffine
		for i := range v {
			v[i] = m.Index(i).Float64()
		}
		if pdfFinite(v[:]...) {
			it.gs.ctm = v.mul(it.gs.ctm)
		}
	}
	if res := x.Key("Resources"); res.Kind() == pdf.Dict {
		it.fontRes, it.xobjRes, it.pageFonts = res.Key("Font"), res.Key("XObject"), map[string]*pdfFont{}
	}
	it.saved, it.lost = nil, 0 // a form runs inside an implicit q ... Q
	pdf.Interpret(x, it.do)
	glyphs, run, forms, stringBytes, formErr, args := it.glyphs, it.run, it.forms, it.stringBytes, it.formErr, it.args
	*it = saved
	it.glyphs, it.run, it.forms, it.stringBytes, it.formErr, it.args = glyphs, run+1, forms, stringBytes, formErr, args
}

// checkForm reads a form's content within the page's budgets and refuses what the
// library would spend unbounded time or memory on, as readPDFPage does for a page.
func (it *pdfInterp) checkForm(x pdf.Value) error {
	limit := min(int64(maxPageContent), *it.budget)
	rc := x.Reader()
	content, err := io.ReadAll(io.LimitReader(rc, limit+1))
	rc.Close()
	switch {
	case int64(len(content)) > limit:
		return Errorf(ReasonZipBomb, "page %d content inflates past %d bytes (in a form XObject)", it.page, limit)
	case err != nil:
		return Errorf(ReasonCorrupt, "page %d: a form XObject's content does not decode", it.page)
	case openHexAtEOF(content):
		return Errorf(ReasonCorrupt, "page content ends inside a hex string (in a form XObject)")
	}
	*it.budget -= int64(len(content))
	if it.stringBytes += stringOperandBytes(content); it.stringBytes > maxPageStringData {
		return Errorf(ReasonZipBomb, "page %d holds over %d bytes of text operands", it.page, maxPageStringData)
	}
	if res := x.Key("Resources"); res.Kind() == pdf.Dict {
		return checkFonts(res.Key("Font"))
	}
	return nil
}

// do executes one operator with the operands on the stack.
func (it *pdfInterp) do(stk *pdf.Stack, op string) {
	n := stk.Len()
	if cap(it.args) < n {
		it.args = make([]pdf.Value, n)
	}
	args := it.args[:n]
	for i := n - 1; i >= 0; i-- {
		args[i] = stk.Pop()
	}
	// Operators take their operands from the top of the stack; stray
	// operands below them are ignored.
	nums := func(k int) ([]float64, bool) {
		if len(args) < k {
			return nil, false
		}
		out := it.nums[:k]
		for i, a := range args[len(args)-k:] {
			if a.Kind() != pdf.Integer && a.Kind() != pdf.Real {
				return nil, false
			}
			out[i] = a.Float64()
		}
		return out, true
	}
	last := func() pdf.Value {
		if len(args) == 0 {
			return pdf.Value{}
		}
		return args[len(args)-1]
	}
	g := &it.gs
	switch op {
	case "q":
		if len(it.saved) < maxGStateDepth {
			it.saved = append(it.saved, it.gs)
		} else {
			it.lost++
		}
	case "Q": // an unbalanced Q, which sloppy producers write, is ignored
		switch {
		case it.lost > 0:
			it.lost--
		case len(it.saved) > 0:
			it.gs = it.saved[len(it.saved)-1]
			it.saved = it.saved[:len(it.saved)-1]
		}
	case "cm":
		if v, ok := nums(6); ok {
			g.ctm = pdfAffine(v).mul(g.ctm)
		}
	case "BT":
		it.tm, it.tlm = pdfIdentity, pdfIdentity
		it.run++
	case "ET":
		it.run++
	case "Tc":
		if v, ok := nums(1); ok {
			g.tc = v[0]
		}
	case "Tw":
		if v, ok := nums(1); ok {
			g.tw = v[0]
		}
	case "Tz":
		if v, ok := nums(1); ok {
			g.th = v[0] / 100
		}
	case "TL":
		if v, ok := nums(1); ok {
			g.tl = v[0]
		}
	case "Ts":
		if v, ok := nums(1); ok {
			g.rise = v[0]
		}
	case "Tf":
		if v, ok := nums(1); ok && len(args) >= 2 {
			g.font = it.font(args[len(args)-2].Name())
			g.tfs = v[0]
		}
	case "Td":
		if v, ok := nums(2); ok {
			it.move(v[0], v[1])
		}
	case "TD":
		if v, ok := nums(2); ok {
			g.tl = -v[1]
			it.move(v[0], v[1])
		}
	case "Tm":
		if v, ok := nums(6); ok {
			it.tm, it.tlm = pdfAffine(v), pdfAffine(v)
			it.run++
		}
	case "T*":
		it.move(0, -g.tl)
	case "'":
		it.move(0, -g.tl)
		it.show(last().RawString())
	case "\"":
		if len(args) >= 3 {
			g.tw, g.tc = args[len(args)-3].Float64(), args[len(args)-2].Float64()
		}
		it.move(0, -g.tl)
		it.show(last().RawString())
	case "Tj":
		it.show(last().RawString())
	case "Do":
		it.drawForm(last().Name())
	case "TJ":
		arr := last()
		for i := 0; i < arr.Len(); i++ {
			switch x := arr.Index(i); x.Kind() {
			case pdf.String:
				it.show(x.RawString())
			case pdf.Integer, pdf.Real:
				it.tm = it.tm.translate(-x.Float64()/1000*g.tfs*g.th, 0)
			}
		}
	}
	clear(args) // let the values go
}

// font returns the decoder of the page font resource name.
func (it *pdfInterp) font(name string) *pdfFont {
	if f, ok := it.pageFonts[name]; ok {
		return f
	}
	f := it.fonts.get(it.fontRes.Key(name))
	if len(it.pageFonts) < maxResourceKeys {
		it.pageFonts[name] = f
	}
	return f
}

// move starts a new line offset from the start of the current one.
func (it *pdfInterp) move(tx, ty float64) {
	it.tlm = it.tlm.translate(tx, ty)
	it.tm = it.tlm
	it.run++
}

// show draws a string operand: one glyph per code, each advancing the pen by
// its width, the character spacing and, for the single-byte code 32, the
// word spacing.
func (it *pdfInterp) show(s string) {
	g := &it.gs
	f := g.font
	for i := 0; i < len(s); {
		code, n := f.next(s[i:])
		i += n
		gl := f.glyph(code)
		adv := gl.width*g.tfs + g.tc
		if n == 1 && code == ' ' {
			adv += g.tw
		}
		if gl.text != "" {
			m := it.tm.mul(g.ctm)
			x, y := m[2]*g.rise+m[4], m[3]*g.rise+m[5]
			size := math.Abs(g.tfs) * math.Hypot(m[2], m[3])
			xScale := math.Abs(g.th) * math.Hypot(m[0], m[1])
			w, a := gl.width*math.Abs(g.tfs)*xScale, adv*xScale
			if pdfFinite(x, y, w, a, size) {
				it.glyphs = append(it.glyphs, pdfGlyph{x: x, y: y, w: w, adv: a, size: math.Max(size, 1), s: gl.text,
					seq: len(it.glyphs), run: it.run})
			}
		}
		it.tm = it.tm.translate(adv*g.th, 0)
	}
}
