package extractors

import (
	"bytes"
	"cmp"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Fonts: how a string operand becomes glyphs, each with its text and advance.
// The library's own decoding is not used: it gives no advance to any glyph of
// a composite (Type0) font, so every glyph of a string lands on one spot; it
// decodes the marker it appends after each TJ through the font, which adds a
// letter to every line when code 10 is a glyph (LibreOffice subsets); it
// prefers /Differences to ToUnicode; and it turns codes it cannot map into
// U+FFFD.

// pdfFont decodes the character codes of one font.
type pdfFont struct {
	twoByte bool     // codes are two bytes: a composite font with a 2-byte CMap
	ucs2    bool     // codes are UCS-2 text (Uni*-UCS2-* CMaps)
	scale   float64  // glyph space units to text space: 1/1000, or a Type3 FontMatrix
	metrics *[95]int // standard font widths for estimating advances

	// Simple fonts: the text and advance of each code, resolved at load.
	text  [256]string
	width [256]float64

	// Composite fonts: ToUnicode, the W array and DW, resolved per code on use.
	toUnicode *pdfCMap
	cidWidths []pdfWidthRange
	dw        float64
	cache     map[uint32]pdfCode
}

// pdfCode is the decoded text and advance (in text space units per point of
// font size) of one code.
type pdfCode struct {
	text  string
	width float64
}

// pdfWidthRange is an entry of a CIDFont's W array: CIDs lo to hi have width
// w, or widths ws[cid-lo].
type pdfWidthRange struct {
	lo, hi uint32
	w      float64
	ws     []float64
}

// Bounds on what one font may make us parse.
const (
	maxWidthEntries  = 1 << 16 // W array elements read
	maxFontProgram   = 64 << 10
	maxFontsPerDoc   = 512
	maxCMapEntries   = 1 << 17
	maxGlyphNameText = 8 // runes a glyph name such as f_f_i may expand to
)

// pdfFonts caches decoded fonts across the pages of one document, keyed by
// the font dictionary's text (which names its streams by reference).
type pdfFonts map[string]*pdfFont

// get returns the decoder of the font dictionary v.
func (c pdfFonts) get(v pdf.Value) *pdfFont {
	if v.Kind() != pdf.Dict {
		return defaultPDFFont
	}
	key := v.String()
	if f, ok := c[key]; ok {
		return f
	}
	f := loadPDFFont(v)
	if len(c) < maxFontsPerDoc {
		c[key] = f
	}
	return f
}

// defaultPDFFont stands in for a missing or unreadable font: WinAnsi text
// with Helvetica advances.
var defaultPDFFont = newSimpleFont(pdf.Value{}, &winAnsiText, nil, nil)

func loadPDFFont(v pdf.Value) *pdfFont {
	toUnicode := parseToUnicode(v.Key("ToUnicode"))
	if v.Key("Subtype").Name() == "Type0" {
		return newCompositeFont(v, toUnicode)
	}
	base, differences := simpleEncoding(v)
	return newSimpleFont(v, base, differences, toUnicode)
}

// newSimpleFont resolves the 256 codes of a single-byte font.
func newSimpleFont(v pdf.Value, base *[256]string, differences map[int]string, toUnicode *pdfCMap) *pdfFont {
	f := &pdfFont{scale: 0.001, metrics: standardMetrics(v.Key("BaseFont").Name())}
	if v.Key("Subtype").Name() == "Type3" {
		if m := v.Key("FontMatrix"); m.Len() == 6 && m.Index(0).Float64() > 0 {
			f.scale = m.Index(0).Float64()
		}
	}
	for c := range 256 {
		text, ok := "", false
		if toUnicode != nil {
			text, ok = toUnicode.lookup(uint32(c))
		}
		if !ok {
			if d, found := differences[c]; found {
				text = d
			} else {
				text = base[c]
			}
		}
		f.text[c] = text
	}
	widths := v.Key("Widths")
	first := int(v.Key("FirstChar").Int64())
	missing := v.Key("FontDescriptor").Key("MissingWidth").Float64()
	for c := range 256 {
		w := missing
		if i := c - first; widths.Kind() == pdf.Array && i >= 0 && i < widths.Len() {
			w = widths.Index(i).Float64()
		}
		f.width[c] = w * f.scale
		if !(w > 0) || w > 1e4 {
			f.width[c] = estimateAdvance(f.text[c], f.metrics)
		}
	}
	return f
}

// newCompositeFont reads a Type0 font: its CMap, its CIDFont's widths.
func newCompositeFont(v pdf.Value, toUnicode *pdfCMap) *pdfFont {
	f := &pdfFont{twoByte: true, scale: 0.001, toUnicode: toUnicode, cache: map[uint32]pdfCode{}}
	if enc := v.Key("Encoding").Name(); strings.HasPrefix(enc, "Uni") && strings.Contains(enc, "UCS2") {
		f.ucs2 = true
	}
	desc := v.Key("DescendantFonts").Index(0)
	f.metrics = standardMetrics(desc.Key("BaseFont").Name())
	f.dw = 1000
	if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		f.dw = dw.Float64()
	}
	f.cidWidths = parseCIDWidths(desc.Key("W"))
	return f
}

// next splits the first code off s, returning it and its length in bytes.
func (f *pdfFont) next(s string) (code uint32, n int) {
	if f.twoByte && len(s) >= 2 {
		return uint32(s[0])<<8 | uint32(s[1]), 2
	}
	return uint32(s[0]), 1
}

// glyph returns the text and advance of a code.
func (f *pdfFont) glyph(code uint32) pdfCode {
	if !f.twoByte {
		return pdfCode{f.text[code&0xff], f.width[code&0xff]}
	}
	if g, ok := f.cache[code]; ok {
		return g
	}
	var g pdfCode
	ok := false
	if f.toUnicode != nil {
		g.text, ok = f.toUnicode.lookup(code)
	}
	if !ok && f.ucs2 {
		g.text = cleanGlyphText(string(rune(code)))
	}
	w := f.dw
	// code = CID with Identity and UCS2 CMaps. The ranges are sorted by lo;
	// the last one starting at or before code is the one that can hold it.
	i := sort.Search(len(f.cidWidths), func(i int) bool { return f.cidWidths[i].lo > code }) - 1
	if i >= 0 && code <= f.cidWidths[i].hi {
		r := f.cidWidths[i]
		w = r.w
		if r.ws != nil {
			w = r.ws[code-r.lo]
		}
	}
	g.width = w * f.scale
	if !(w > 0) || w > 1e4 {
		g.width = estimateAdvance(g.text, f.metrics)
	}
	if len(f.cache) < 1<<16 {
		f.cache[code] = g
	}
	return g
}

// parseCIDWidths reads a W array: "c [w1 w2 ...]" and "c1 c2 w" entries.
func parseCIDWidths(w pdf.Value) []pdfWidthRange {
	var out []pdfWidthRange
	n := min(w.Len(), maxWidthEntries)
	budget := maxWidthEntries
	for i := 0; i+1 < n; {
		lo := w.Index(i)
		if lo.Kind() != pdf.Integer || lo.Int64() < 0 {
			break
		}
		if arr := w.Index(i + 1); arr.Kind() == pdf.Array {
			k := min(arr.Len(), budget)
			budget -= k
			ws := make([]float64, k)
			for j := range ws {
				ws[j] = arr.Index(j).Float64()
			}
			if k > 0 {
				out = append(out, pdfWidthRange{lo: uint32(lo.Int64()), hi: uint32(lo.Int64()) + uint32(k) - 1, ws: ws})
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		hi := w.Index(i + 1).Int64()
		if hi >= lo.Int64() && hi <= 0xffffffff {
			out = append(out, pdfWidthRange{lo: uint32(lo.Int64()), hi: uint32(hi), w: w.Index(i + 2).Float64()})
		}
		i += 3
	}
	slices.SortStableFunc(out, func(a, b pdfWidthRange) int { return cmp.Compare(a.lo, b.lo) })
	return out
}

// simpleEncoding returns the base encoding of a single-byte font and the
// text of the codes its /Differences rename.
func simpleEncoding(v pdf.Value) (*[256]string, map[int]string) {
	enc := v.Key("Encoding")
	baseName := enc.Name()
	var diffs pdf.Value
	if enc.Kind() == pdf.Dict {
		baseName = enc.Key("BaseEncoding").Name()
		diffs = enc.Key("Differences")
	}
	var base *[256]string
	switch baseName {
	case "WinAnsiEncoding":
		base = &winAnsiText
	case "MacRomanEncoding":
		base = &macRomanText
	case "StandardEncoding":
		base = &standardText
	default:
		// The font's built-in encoding: for an embedded Type1 font, the one
		// its program declares (TeX fonts put ligatures at low codes);
		// otherwise WinAnsi, which agrees with Standard on letters and digits.
		base = &winAnsiText
		if v.Key("Subtype").Name() == "Type1" && baseName == "" {
			if builtin := type1BuiltinEncoding(v.Key("FontDescriptor").Key("FontFile")); builtin != nil {
				if diffs.Kind() != pdf.Array {
					return &standardText, builtin
				}
				for c, t := range differencesText(diffs) {
					builtin[c] = t
				}
				return &standardText, builtin
			}
			switch name := v.Key("BaseFont").Name(); {
			case strings.Contains(name, "Symbol"):
				base = &symbolText
			case strings.Contains(name, "Dingbats"):
				base = &dingbatsText
			}
		}
	}
	if diffs.Kind() != pdf.Array {
		return base, nil
	}
	return base, differencesText(diffs)
}

// differencesText maps the codes of a /Differences array to text.
func differencesText(diffs pdf.Value) map[int]string {
	out := map[int]string{}
	code := -1
	for i := 0; i < min(diffs.Len(), 1024); i++ {
		x := diffs.Index(i)
		switch x.Kind() {
		case pdf.Integer:
			code = int(x.Int64())
		case pdf.Name:
			if code >= 0 && code < 256 {
				out[code] = glyphNameText(x.Name())
			}
			code++
		}
	}
	return out
}

var type1EncodingRe = regexp.MustCompile(`dup\s+(\d{1,3})\s*/([^\s/\[\]{}()<>%]+)\s+put`)

// type1BuiltinEncoding reads the encoding vector in the clear-text part of an
// embedded Type1 font program, or nil when it uses StandardEncoding.
func type1BuiltinEncoding(file pdf.Value) map[int]string {
	if file.Kind() != pdf.Stream {
		return nil
	}
	n := file.Key("Length1").Int64()
	if n <= 0 || n > maxFontProgram {
		n = maxFontProgram
	}
	rc := file.Reader()
	head, _ := io.ReadAll(io.LimitReader(rc, n))
	rc.Close()
	i := bytes.Index(head, []byte("/Encoding"))
	if i < 0 || bytes.HasPrefix(bytes.TrimLeft(head[i+len("/Encoding"):], " \t\r\n"), []byte("StandardEncoding")) {
		return nil
	}
	out := map[int]string{}
	for _, m := range type1EncodingRe.FindAllSubmatch(head[i:], 256) {
		if c, err := strconv.Atoi(string(m[1])); err == nil && c < 256 {
			out[c] = glyphNameText(string(m[2]))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// pdfCMap is a parsed ToUnicode CMap: code to text.
type pdfCMap struct {
	chars  map[uint32]string
	ranges []pdfCMapRange // sorted by lo
}

// pdfCMapRange is a bfrange: codes lo to hi map to start with its last rune
// incremented, or to arr[code-lo].
type pdfCMapRange struct {
	lo, hi uint32
	start  []rune
	arr    []string
}

func (m *pdfCMap) lookup(code uint32) (string, bool) {
	if s, ok := m.chars[code]; ok {
		return s, true
	}
	// Ranges are sorted by lo: look back from the last one starting at or
	// before code, a few ranges far, since ranges may nest.
	end := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].lo > code })
	for i := end - 1; i >= max(0, end-8); i-- {
		r := m.ranges[i]
		if code > r.hi {
			continue
		}
		off := code - r.lo
		if r.arr != nil {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", false
		}
		if len(r.start) == 0 {
			return "", false
		}
		rs := slices.Clone(r.start)
		rs[len(rs)-1] += rune(off)
		return cleanGlyphText(string(rs)), true
	}
	return "", false
}

// parseToUnicode reads a ToUnicode CMap; nil when there is none or it does
// not parse. Entries mapping to nothing usable (U+FFFD, controls) are kept
// out, so the font's encoding can supply the text instead.
func parseToUnicode(v pdf.Value) *pdfCMap {
	if v.Kind() != pdf.Stream {
		return nil
	}
	rc := v.Reader()
	data, err := io.ReadAll(io.LimitReader(rc, maxCMapBytes+1))
	rc.Close()
	if err != nil || len(data) > maxCMapBytes {
		return nil
	}
	return parseCMap(data)
}

// cmapOperand is a token of a CMap block: a string, a name, or an array of
// strings.
type cmapOperand struct {
	kind byte // 's' string, 'n' name, 'a' array, 0 anything else
	s    string
	arr  []string
}

// parseCMap reads the bfchar and bfrange blocks of a CMap with its own
// tokenizer: the library's PostScript interpreter gives up on CMaps it could
// read (and without these mappings every glyph is lost). The counts before
// the blocks, which producers get wrong, are ignored: the operands are what
// counts.
func parseCMap(data []byte) *pdfCMap {
	m := &pdfCMap{chars: map[uint32]string{}}
	var ops []cmapOperand
	inArray, block := false, ""
	entries := 0
	for i := 0; i < len(data) && entries < maxCMapEntries; {
		c := data[i]
		switch {
		case isPDFSpace(c):
			i++
		case c == '%':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(data) && data[i+1] == '<', c == '>' && i+1 < len(data) && data[i+1] == '>':
			i += 2
		case c == '<':
			end := bytes.IndexByte(data[i:], '>')
			if end < 0 {
				end = len(data) - i
			}
			ops = appendCMapString(ops, inArray, hexBytes(data[i+1:i+end]))
			i += end + 1
		case c == '(':
			end := literalStringEnd(data, i)
			ops = appendCMapString(ops, inArray, literalBytes(data[i+1:min(end, len(data))]))
			i = end + 1
		case c == '[':
			inArray = true
			ops = append(ops, cmapOperand{kind: 'a'})
			i++
		case c == ']':
			inArray = false
			i++
		case c == '/':
			end := nameEnd(data, i+1)
			if !inArray {
				ops = append(ops, cmapOperand{kind: 'n', s: string(data[i+1 : end])})
			}
			i = end
		case isPDFDelim(c): // a stray ) > { }
			i++
		default:
			end := i
			for end < len(data) && !isPDFSpace(data[end]) && !isPDFDelim(data[end]) {
				end++
			}
			switch kw := string(data[i:end]); kw {
			case "beginbfchar", "beginbfrange":
				block, ops, inArray = kw, ops[:0], false
			case "endbfchar":
				if block == "beginbfchar" {
					entries += m.addChars(ops)
				}
				block, ops = "", ops[:0]
			case "endbfrange":
				if block == "beginbfrange" {
					entries += m.addRanges(ops)
				}
				block, ops = "", ops[:0]
			default:
				if !inArray {
					ops = append(ops, cmapOperand{})
				}
			}
			if block == "" {
				ops = ops[:0] // only block operands are kept
			}
			i = end
		}
		if len(ops) > maxCMapEntries {
			return nil
		}
	}
	slices.SortStableFunc(m.ranges, func(a, b pdfCMapRange) int { return cmp.Compare(a.lo, b.lo) })
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	return m
}

// appendCMapString adds a string operand, or an element of the open array.
func appendCMapString(ops []cmapOperand, inArray bool, s string) []cmapOperand {
	if inArray && len(ops) > 0 && ops[len(ops)-1].kind == 'a' {
		last := &ops[len(ops)-1]
		if len(last.arr) < 1<<16 {
			last.arr = append(last.arr, s)
		}
		return ops
	}
	return append(ops, cmapOperand{kind: 's', s: s})
}

// addChars adds bfchar pairs: source code, destination.
func (m *pdfCMap) addChars(ops []cmapOperand) int {
	n := 0
	for i := 0; i+1 < len(ops); i += 2 {
		code, ok := cmapCode(ops[i])
		if !ok {
			continue
		}
		if t := cmapText(ops[i+1]); t != "" {
			m.chars[code] = t
			n++
		}
	}
	return n
}

// addRanges adds bfrange triples: low code, high code, destination.
func (m *pdfCMap) addRanges(ops []cmapOperand) int {
	n := 0
	for i := 0; i+2 < len(ops); i += 3 {
		lo, ok1 := cmapCode(ops[i])
		hi, ok2 := cmapCode(ops[i+1])
		if !ok1 || !ok2 || hi < lo {
			continue
		}
		r := pdfCMapRange{lo: lo, hi: hi}
		switch dst := ops[i+2]; dst.kind {
		case 's':
			r.start = []rune(utf16Text(dst.s))
		case 'a':
			for j := 0; j < len(dst.arr) && j <= int(hi-lo); j++ {
				r.arr = append(r.arr, cleanGlyphText(utf16Text(dst.arr[j])))
			}
		default:
			continue
		}
		m.ranges = append(m.ranges, r)
		n++
	}
	return n
}

// cmapCode is the value of a source code string, up to four bytes.
func cmapCode(op cmapOperand) (uint32, bool) {
	if op.kind != 's' || len(op.s) == 0 || len(op.s) > 4 {
		return 0, false
	}
	var c uint32
	for i := 0; i < len(op.s); i++ {
		c = c<<8 | uint32(op.s[i])
	}
	return c, true
}

// cmapText is the text of a destination: UTF-16BE, or a glyph name.
func cmapText(op cmapOperand) string {
	switch op.kind {
	case 's':
		return cleanGlyphText(utf16Text(op.s))
	case 'n':
		return glyphNameText(op.s)
	}
	return ""
}

// hexBytes decodes the digits of a hex string; white space is skipped, other
// bytes end it, and an odd last digit is followed by 0.
func hexBytes(b []byte) string {
	out := make([]byte, 0, len(b)/2)
	var hi byte
	half := false
	for _, c := range b {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case isPDFSpace(c):
			continue
		default:
			return string(out)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

// literalBytes decodes the body of a literal string.
func literalBytes(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 == len(b) {
			out = append(out, c)
			continue
		}
		i++
		switch e := b[i]; e {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '\r', '\n':
		default:
			if e >= '0' && e <= '7' {
				v := int(e - '0')
				for k := 0; k < 2 && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '7'; k++ {
					i++
					v = v*8 + int(b[i]-'0')
				}
				out = append(out, byte(v))
			} else {
				out = append(out, e)
			}
		}
	}
	return string(out)
}

// utf16Text decodes UTF-16BE; a lone trailing byte is taken as a code point.
func utf16Text(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	out := string(utf16.Decode(u))
	if len(s)%2 == 1 {
		out += string(rune(s[len(s)-1]))
	}
	return out
}

// cleanGlyphText makes a glyph's text safe for the layout: U+FFFD, controls
// and zero-width characters are dropped (a glyph that maps to nothing
// readable is no text); white space and private-use icons become a space,
// which separates words; a soft hyphen, drawn, is a hyphen.
func cleanGlyphText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && (r <= 0xa0 || r == 0xad || r == utf8.RuneError || unicode.IsSpace(r) ||
			unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cs, r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == 0xa0 || unicode.IsSpace(r) || unicode.Is(unicode.Co, r):
			b.WriteByte(' ')
		case r == 0xad:
			b.WriteByte('-')
		case r < 0x20 || r >= 0x7f && r < 0xa0 || r == utf8.RuneError || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cs, r):
		default:
			b.WriteRune(r)
		}
	}
	if t := b.String(); strings.TrimSpace(t) == "" && t != "" {
		return " "
	}
	return b.String()
}

// estimateAdvance guesses the advance of text, in em, for fonts that declare
// no width: standard font metrics for ASCII, typical widths otherwise.
func estimateAdvance(text string, metrics *[95]int) float64 {
	if metrics == nil {
		metrics = &helveticaWidths
	}
	w := 0
	for _, r := range text {
		switch {
		case r >= 32 && r < 127:
			w += metrics[r-32]
		case unicode.Is(unicode.Mn, r):
		case unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana):
			w += 1000
		default:
			w += 556
		}
	}
	return float64(w) / 1000
}

// standardMetrics picks the metrics of the standard font a font name is
// closest to, for estimating advances.
func standardMetrics(name string) *[95]int {
	if i := strings.IndexByte(name, '+'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToLower(name)
	bold := strings.Contains(name, "bold") || strings.Contains(name, "black") || strings.Contains(name, "heavy")
	switch {
	case strings.Contains(name, "courier") || strings.Contains(name, "mono"):
		return &courierWidths
	case strings.Contains(name, "times") || strings.Contains(name, "serif") && !strings.Contains(name, "sans") ||
		strings.Contains(name, "georgia") || strings.Contains(name, "garamond") || strings.Contains(name, "cambria"):
		if bold {
			return &timesBoldWidths
		}
		return &timesWidths
	case bold:
		return &helveticaBoldWidths
	}
	return &helveticaWidths
}

// glyphNameText is the text of a glyph name (Adobe Glyph List conventions):
// "uni0041", "u1F600", ligatures "f_f_i", suffixed variants "a.sc", names of
// letters, accented letters and common symbols. Unknown names, such as the
// "g123" of subset fonts, have no text.
func glyphNameText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for part := range strings.SplitSeq(name, "_") {
			b.WriteString(glyphNameText(part))
		}
		return cleanGlyphText(b.String())
	}
	if s, ok := glyphNames[name]; ok {
		return s
	}
	if len(name) == 1 && (name[0] >= 'A' && name[0] <= 'Z' || name[0] >= 'a' && name[0] <= 'z') {
		return name
	}
	if hex, ok := strings.CutPrefix(name, "uni"); ok && len(hex) >= 4 && len(hex)%4 == 0 && len(hex) <= 4*maxGlyphNameText {
		var u []uint16
		for i := 0; i < len(hex); i += 4 {
			v, err := strconv.ParseUint(hex[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			u = append(u, uint16(v))
		}
		return cleanGlyphText(string(utf16.Decode(u)))
	}
	if hex, ok := strings.CutPrefix(name, "u"); ok && len(hex) >= 4 && len(hex) <= 6 {
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil && v <= unicode.MaxRune {
			return cleanGlyphText(string(rune(v)))
		}
		return ""
	}
	// An accented letter: a base letter and the name of its accent.
	for suffix, mark := range glyphAccents {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok || len(base) != 1 {
			continue
		}
		if suffix == "commaaccent" && !strings.Contains("SsTt", base) {
			mark = '\u0327' // Gcommaaccent is G with cedilla in Unicode
		}
		if s := norm.NFC.String(base + string(mark)); utf8.RuneCountInString(s) == 1 {
			return s
		}
	}
	return ""
}

var glyphAccents = map[string]rune{
	"grave": '\u0300', "acute": '\u0301', "circumflex": '\u0302', "tilde": '\u0303', "macron": '\u0304',
	"breve": '\u0306', "dotaccent": '\u0307', "dieresis": '\u0308', "ring": '\u030a', "hungarumlaut": '\u030b',
	"caron": '\u030c', "commaaccent": '\u0326', "cedilla": '\u0327', "ogonek": '\u0328',
}

// glyphNames maps the glyph names found in /Differences and Type1 encodings
// that are not single letters or accented letters.
var glyphNames = map[string]string{
	"space": " ", "nbspace": " ", "nonbreakingspace": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#",
	"dollar": "$", "percent": "%", "ampersand": "&", "quotesingle": "'", "quoteright": "’", "parenleft": "(",
	"parenright": ")", "asterisk": "*", "plus": "+", "comma": ",", "hyphen": "-", "sfthyphen": "-", "softhyphen": "-",
	"period": ".", "slash": "/", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "colon": ":", "semicolon": ";", "less": "<", "equal": "=",
	"greater": ">", "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\", "bracketright": "]",
	"asciicircum": "^", "underscore": "_", "grave": "`", "quoteleft": "‘", "braceleft": "{", "bar": "|",
	"braceright": "}", "asciitilde": "~", "exclamdown": "¡", "cent": "¢", "sterling": "£", "fraction": "⁄",
	"yen": "¥", "florin": "ƒ", "section": "§", "currency": "¤", "quotedblleft": "“", "guillemotleft": "«",
	"guillemetleft": "«", "guilsinglleft": "‹", "guilsinglright": "›", "fi": "fi", "fl": "fl", "ff": "ff",
	"ffi": "ffi", "ffl": "ffl", "endash": "–", "emdash": "—", "dagger": "†", "daggerdbl": "‡",
	"periodcentered": "·", "middot": "·", "paragraph": "¶", "bullet": "•", "quotesinglbase": "‚",
	"quotedblbase": "„", "quotedblright": "”", "guillemotright": "»", "guillemetright": "»", "ellipsis": "…",
	"perthousand": "‰", "questiondown": "¿", "acute": "´", "circumflex": "ˆ", "tilde": "˜", "macron": "¯",
	"breve": "˘", "dotaccent": "˙", "dieresis": "¨", "ring": "˚", "cedilla": "¸", "hungarumlaut": "˝",
	"ogonek": "˛", "caron": "ˇ", "AE": "Æ", "ae": "æ", "OE": "Œ", "oe": "œ", "Oslash": "Ø", "oslash": "ø",
	"ordfeminine": "ª", "ordmasculine": "º", "Lslash": "Ł", "lslash": "ł", "dotlessi": "ı", "germandbls": "ß",
	"Eth": "Ð", "eth": "ð", "Thorn": "Þ", "thorn": "þ", "Euro": "€", "trademark": "™", "copyright": "©",
	"registered": "®", "degree": "°", "plusminus": "±", "multiply": "×", "divide": "÷", "minus": "−",
	"logicalnot": "¬", "brokenbar": "¦", "mu": "µ", "onesuperior": "¹", "twosuperior": "²",
	"threesuperior": "³", "onehalf": "½", "onequarter": "¼", "threequarters": "¾", "dcroat": "đ",
	"Dcroat": "Đ", "arrowright": "→", "arrowleft": "←", "arrowup": "↑", "arrowdown": "↓", "checkmark": "✓",
	"lozenge": "◊", "heart": "♥", "star": "★", "filledbox": "■", "H18533": "●", "H18543": "▪", "H18551": "▫",
	"H22073": "□", "circle": "○", "triagrt": "►", "openbullet": "◦", "dotlessj": "ȷ", "ij": "ĳ", "IJ": "Ĳ",
	"napostrophe": "ŉ", "Eng": "Ŋ", "eng": "ŋ", "kgreenlandic": "ĸ", "longs": "ſ", "estimated": "℮",
	"numero": "№", "afii61352": "№", "infinity": "∞", "notequal": "≠", "lessequal": "≤", "greaterequal": "≥",
	"approxequal": "≈", "summation": "∑", "product": "∏", "radical": "√", "partialdiff": "∂", "integral": "∫",
	"Delta": "∆", "Omega": "Ω", "pi": "π", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
	"epsilon": "ε", "lambda": "λ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "commaaccent": "",
}

// Base encodings of simple fonts, as the text of each code.
var (
	winAnsiText  = charmapText(charmap.Windows1252, map[int]string{0xa0: " ", 0xad: "-"})
	macRomanText = charmapText(charmap.Macintosh, map[int]string{0xca: " "})
	standardText = standardEncodingText()
	symbolText   = symbolEncodingText()
	dingbatsText = dingbatsEncodingText()
)

func charmapText(cm *charmap.Charmap, override map[int]string) [256]string {
	var t [256]string
	for c := 32; c < 256; c++ {
		t[c] = cleanGlyphText(string(cm.DecodeByte(byte(c))))
	}
	for c, s := range override {
		t[c] = s
	}
	return t
}

// standardEncodingText is Adobe StandardEncoding: ASCII with curly single
// quotes, and its own upper half.
func standardEncodingText() [256]string {
	var t [256]string
	for c := 32; c < 127; c++ {
		t[c] = string(rune(c))
	}
	t['\''], t['`'] = "’", "‘"
	high := map[int]string{
		0xa1: "¡", 0xa2: "¢", 0xa3: "£", 0xa4: "⁄", 0xa5: "¥", 0xa6: "ƒ", 0xa7: "§", 0xa8: "¤", 0xa9: "'",
		0xaa: "“", 0xab: "«", 0xac: "‹", 0xad: "›", 0xae: "fi", 0xaf: "fl", 0xb1: "–", 0xb2: "†", 0xb3: "‡",
		0xb4: "·", 0xb6: "¶", 0xb7: "•", 0xb8: "‚", 0xb9: "„", 0xba: "”", 0xbb: "»", 0xbc: "…", 0xbd: "‰",
		0xbf: "¿", 0xc1: "`", 0xc2: "´", 0xc3: "ˆ", 0xc4: "˜", 0xc5: "¯", 0xc6: "˘", 0xc7: "˙", 0xc8: "¨",
		0xca: "˚", 0xcb: "¸", 0xcd: "˝", 0xce: "˛", 0xcf: "ˇ", 0xd0: "—", 0xe1: "Æ", 0xe3: "ª", 0xe8: "Ł",
		0xe9: "Ø", 0xea: "Œ", 0xeb: "º", 0xf1: "æ", 0xf5: "ı", 0xf8: "ł", 0xf9: "ø", 0xfa: "œ", 0xfb: "ß",
	}
	for c, s := range high {
		t[c] = s
	}
	return t
}

// symbolEncodingText covers the Symbol font codes CVs use: bullets and
// arrows, ASCII punctuation and digits. Greek letters are left out.
func symbolEncodingText() [256]string {
	var t [256]string
	for _, c := range " !#%&()+,./0123456789:;<=>?[]_{|}" {
		t[c] = string(c)
	}
	t['-'] = "−"
	for c, s := range map[int]string{0xb7: "•", 0xae: "→", 0xac: "←", 0xad: "↑", 0xaf: "↓", 0xb0: "°",
		0xb1: "±", 0xb4: "×", 0xb8: "÷", 0xa3: "≤", 0xb3: "≥", 0xa5: "∞", 0xd7: "⋅", 0xe0: "◊", 0xbc: "…"} {
		t[c] = s
	}
	return t
}

// dingbatsEncodingText covers the ZapfDingbats codes used as bullets and
// ticks; other codes, which would read as stray letters, have no text.
func dingbatsEncodingText() [256]string {
	var t [256]string
	t[' '] = " "
	for c, s := range map[int]string{'l': "●", 'n': "■", 's': "▲", 't': "▼", 'u': "◆", 'v': "❖", '3': "✓", '4': "✔"} {
		t[c] = s
	}
	return t
}

// Advance widths of the standard fonts for ASCII 32-126, in 1/1000 em, from
// Adobe's AFM files.
var (
	helveticaWidths = [95]int{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
		556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
		722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
		278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
		556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584}
	helveticaBoldWidths = [95]int{
		278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
		556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778,
		722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
		278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
		611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584}
	timesWidths = [95]int{
		250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
		500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
		722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
		278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
		500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541}
	timesBoldWidths = [95]int{
		250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
		500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
		778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
		278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
		556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520}
	courierWidths = [95]int{
		600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600,
		600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600,
		600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600,
		600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600,
		600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600}
)
