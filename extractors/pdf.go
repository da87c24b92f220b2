package extractors

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

func init() { Register(FormatPDF, pdfExtractor{}) }

// pdfExtractor reads the text layer of a PDF in reading order. The library
// parses the file and lexes content streams; glyph decoding and positioning
// (pdf_content.go, pdf_font.go) and layout (pdflayout.go) are our own, so
// that multi-column pages come out column by column.
//
// The PDF library panics on corrupt input, loops forever on cyclic structures
// and allocates whatever sizes a file declares, so the file is checked for
// those hazards first, and the library runs in a goroutine that is abandoned
// when ctx ends and is stopped by its next read.
type pdfExtractor struct{}

// Bounds on what one PDF may make us do.
const (
	maxPDFPages       = 200     // pages read; the rest are reported as a problem
	maxPDFObjects     = 1 << 20 // xref entries: the library allocates its table up front
	maxXrefSections   = 256     // incremental updates
	maxPageTreeDepth  = 32
	maxPageContent    = 8 << 20 // decoded content stream bytes of one page
	maxPageStringData = 1 << 20 // bytes of string operands (about one glyph each) on one page
	maxCMapBytes      = 1 << 20 // a font's ToUnicode CMap
	maxCMapBlock      = 10000   // entries one CMap block may declare; the spec allows 100
	maxPredictorCols  = 1 << 20 // the library allocates a row buffer of this size
	maxResourceKeys   = 256     // fonts or XObjects inspected per page
	maxFormDepth      = 4       // form XObjects drawn inside form XObjects
	maxPageForms      = 256     // form XObjects drawn on one page
)

func (pdfExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	data, err := pdfBody(in.Data)
	if err != nil {
		return nil, err
	}
	encrypted, err := checkPDFStructure(data)
	if err != nil {
		return nil, err
	}
	budget := lim.MaxDecompressedBytes
	if budget <= 0 {
		budget = DefaultLimits.MaxDecompressedBytes
	}
	return runAbandonable(ctx, func() (*Document, error) {
		return extractPDF(ctx, data, encrypted, budget)
	})
}

// pdfBody returns the bytes from the %PDF- header to the last %%EOF. Offsets in
// the file count from the header, and bytes that mailers append after %%EOF
// would hide the trailer from the library.
func pdfBody(data []byte) ([]byte, error) {
	start := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-"))
	if start < 0 {
		return nil, Errorf(ReasonCorrupt, "no %%PDF- header in the first 1024 bytes")
	}
	data = data[start:]
	end := bytes.LastIndex(data, []byte("%%EOF"))
	if end < 0 || !bytes.Contains(data[max(0, end-1024):end], []byte("startxref")) {
		return nil, Errorf(ReasonCorrupt, "truncated: no xref/trailer")
	}
	return data[:end+len("%%EOF")], nil
}

// runAbandonable runs fn in a goroutine and returns its result, or ctx.Err()
// as soon as ctx ends. A panic in fn becomes ReasonCorrupt: the Extract-level
// recover cannot see panics in other goroutines.
func runAbandonable(ctx context.Context, fn func() (*Document, error)) (*Document, error) {
	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned goroutine must not block
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{nil, Errorf(ReasonCorrupt, "PDF parser failed (%T)", r)}
			}
		}()
		doc, err := fn()
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		if err := ctx.Err(); err != nil && r.err != nil {
			return nil, err // the failure was our own abort
		}
		return r.doc, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// pdfSource is the io.ReaderAt the library reads. The library has no
// cancellation, so once ctx ends every read panics and unwinds it. It also
// overlays a header the library accepts when the file's names another version
// (%PDF-2.0): the library refuses anything but 1.0-1.7.
type pdfSource struct {
	ctx  context.Context
	data []byte
	head []byte // replaces data[:len(head)]; nil when the header is fine
}

// pdfAbort is the panic value of a read after ctx ended.
type pdfAbort struct{ err error }

func (a pdfAbort) Error() string { return a.err.Error() }

func newPDFSource(ctx context.Context, data []byte) *pdfSource {
	s := &pdfSource{ctx: ctx, data: data}
	ok := len(data) >= 9 && data[5] == '1' && data[6] == '.' && data[7] >= '0' && data[7] <= '7' &&
		(data[8] == '\r' || data[8] == '\n')
	if !ok {
		s.head = []byte("%PDF-1.7\n")
	}
	return s
}

func (s *pdfSource) ReadAt(p []byte, off int64) (int, error) {
	if err := s.ctx.Err(); err != nil {
		panic(pdfAbort{err})
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(s.data)) {
		return 0, io.EOF
	}
	n := copy(p, s.data[off:])
	if off < int64(len(s.head)) {
		copy(p[:n], s.head[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// checkPDFStructure walks the cross-reference chain before the library does,
// refusing loops (the library follows /Prev forever) and declared sizes the
// library would allocate blindly. It reports whether a trailer has /Encrypt.
func checkPDFStructure(data []byte) (encrypted bool, err error) {
	if err := checkPredictorColumns(data); err != nil {
		return false, err
	}
	off, ok := lastStartxref(data)
	if !ok {
		return false, Errorf(ReasonCorrupt, "truncated: no xref/trailer")
	}
	seen := map[int64]bool{}
	for n := 0; ; n++ {
		switch {
		case off <= 0 || off >= int64(len(data)):
			return false, Errorf(ReasonCorrupt, "cross-reference offset %d is outside the file (%d bytes)", off, len(data))
		case seen[off]:
			return false, Errorf(ReasonCorrupt, "cross-reference sections form a loop")
		case n == maxXrefSections:
			return false, Errorf(ReasonCorrupt, "more than %d cross-reference sections", maxXrefSections)
		}
		seen[off] = true
		dict, err := xrefSection(data[off:])
		if err != nil || dict == nil {
			return encrypted, err // nil dict: unrecognised, the library reports it
		}
		encrypted = encrypted || bytes.Contains(dict, []byte("/Encrypt"))
		prev, ok := prevOffset(dict)
		if !ok {
			return encrypted, nil
		}
		off = prev
	}
}

var startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s*%%EOF$`)

func lastStartxref(data []byte) (int64, bool) {
	m := startxrefRe.FindSubmatch(data[max(0, len(data)-1024):])
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	return n, err == nil
}

var objHeaderRe = regexp.MustCompile(`^\d+\s+\d+\s+obj\b`)

// xrefSection checks the cross-reference section at the start of rest and
// returns its trailer dictionary (or the xref stream's), or nil when rest does
// not start with a recognisable section.
func xrefSection(rest []byte) ([]byte, error) {
	rest = bytes.TrimLeft(rest, "\x00\t\n\f\r ")
	if bytes.HasPrefix(rest, []byte("xref")) {
		t := bytes.Index(rest, []byte("trailer"))
		if t < 0 {
			return nil, nil
		}
		if err := checkXrefTable(rest[len("xref"):t]); err != nil {
			return nil, err
		}
		return dictWindow(rest[t:], "startxref"), nil
	}
	if objHeaderRe.Match(rest[:min(len(rest), 64)]) {
		dict := dictWindow(rest, "stream")
		return dict, checkXrefStreamDict(dict)
	}
	return nil, nil
}

// dictWindow is the start of b up to the keyword stop, at most 8 KB: enough
// for any trailer dictionary.
func dictWindow(b []byte, stop string) []byte {
	b = b[:min(len(b), 8<<10)]
	if i := bytes.Index(b, []byte(stop)); i >= 0 {
		b = b[:i]
	}
	return b
}

// checkXrefTable checks the subsection headers ("first count") of a classic
// table: the library grows its table to first+count whatever the file holds.
func checkXrefTable(section []byte) error {
	f := fieldScanner{b: section}
	for {
		first, ok1 := f.int()
		count, ok2 := f.int()
		if !ok1 || !ok2 {
			return nil // the end, or malformed: the library reports the latter
		}
		if !objectRangeOK(first, count) {
			return Errorf(ReasonCorrupt, "cross-reference table declares objects %d to %d", first, first+count)
		}
		for range 3 * count {
			if !f.skip() {
				return nil
			}
		}
	}
}

var (
	xrefSizeRe  = regexp.MustCompile(`/Size\s+(\d+)`)
	xrefIndexRe = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
	xrefWRe     = regexp.MustCompile(`/W\s*\[([\d\s]*)\]`)
)

// checkXrefStreamDict checks the numbers of an xref stream dictionary that the
// library allocates by.
func checkXrefStreamDict(dict []byte) error {
	if m := xrefSizeRe.FindSubmatch(dict); m != nil {
		if n, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || n > maxPDFObjects {
			return Errorf(ReasonCorrupt, "cross-reference stream declares more than %d objects", maxPDFObjects)
		}
	}
	if m := xrefIndexRe.FindSubmatch(dict); m != nil {
		f := fieldScanner{b: m[1]}
		for {
			first, ok1 := f.int()
			count, ok2 := f.int()
			if !ok1 || !ok2 {
				break
			}
			if !objectRangeOK(first, count) {
				return Errorf(ReasonCorrupt, "cross-reference stream declares objects %d to %d", first, first+count)
			}
		}
	}
	if m := xrefWRe.FindSubmatch(dict); m != nil {
		total, f := int64(0), fieldScanner{b: m[1]}
		for w, ok := f.int(); ok; w, ok = f.int() {
			total += w
			if w > 8 || total > 32 {
				return Errorf(ReasonCorrupt, "cross-reference stream field widths are implausible")
			}
		}
	}
	return nil
}

// checkPredictorColumns refuses PNG predictor parameters whose row buffer the
// library would allocate at any size.
func checkPredictorColumns(data []byte) error {
	key := []byte("/Columns")
	for i := bytes.Index(data, key); i >= 0; {
		f := fieldScanner{b: data[i+len(key) : min(len(data), i+len(key)+32)]}
		if n, ok := f.int(); ok && n > maxPredictorCols {
			return Errorf(ReasonCorrupt, "stream predictor with %d columns", n)
		}
		j := bytes.Index(data[i+len(key):], key)
		if j < 0 {
			break
		}
		i += len(key) + j
	}
	return nil
}

var prevRe = regexp.MustCompile(`/Prev\s+(\d+)`)

// prevOffset returns the /Prev entry of a trailer: the previous xref section.
func prevOffset(dict []byte) (int64, bool) {
	m := prevRe.FindSubmatch(dict)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	return n, err == nil
}

// fieldScanner reads PDF tokens roughly, without allocating: runs of regular
// bytes, or one delimiter byte.
type fieldScanner struct {
	b []byte
	i int
}

func (f *fieldScanner) next() []byte {
	for f.i < len(f.b) && isPDFSpace(f.b[f.i]) {
		f.i++
	}
	start := f.i
	if f.i < len(f.b) && isPDFDelim(f.b[f.i]) {
		f.i++
		return f.b[start:f.i]
	}
	for f.i < len(f.b) && !isPDFSpace(f.b[f.i]) && !isPDFDelim(f.b[f.i]) {
		f.i++
	}
	return f.b[start:f.i]
}

func (f *fieldScanner) skip() bool { return len(f.next()) > 0 }

// int reads a token starting with digits as a non-negative integer; one too
// large for int64 comes back as an absurdly large value.
func (f *fieldScanner) int() (int64, bool) {
	field := f.next()
	n := 0
	for n < len(field) && field[n] >= '0' && field[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(field[:n]), 10, 64)
	if err != nil {
		return 1 << 62, true
	}
	return v, true
}

// objectRangeOK reports whether objects first to first+count-1 fit the
// library's table cap.
func objectRangeOK(first, count int64) bool {
	return first <= maxPDFObjects && count <= maxPDFObjects && first+count <= maxPDFObjects
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// extractPDF does the library work; it runs in runAbandonable's goroutine.
func extractPDF(ctx context.Context, data []byte, encrypted bool, budget int64) (*Document, error) {
	r, err := openPDF(ctx, data)
	if err != nil {
		return nil, pdfOpenError(ctx, err, encrypted)
	}
	pages, more := pdfPages(r.Trailer().Key("Root").Key("Pages"))
	if len(pages) == 0 {
		return nil, Errorf(ReasonCorrupt, "no pages found in the page tree")
	}
	ex := pdfText{budget: budget, fonts: pdfFonts{}}
	for i, pg := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := ex.page(i+1, pdf.Page{V: pg}); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if more {
		total := r.Trailer().Key("Root").Key("Pages").Key("Count").Int64()
		ex.problems = append(ex.problems, Problem{Reason: ReasonTooLarge,
			Detail: fmt.Sprintf("only the first %d of %d pages were read", maxPDFPages, max(total, maxPDFPages+1))})
	}
	return ex.document(len(pages), encrypted)
}

// openPDF opens data with the library, turning its panics into errors.
func openPDF(ctx context.Context, data []byte) (r *pdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("pdf open panicked (%T)", p)
		}
	}()
	return pdf.NewReader(newPDFSource(ctx, data), int64(len(data)))
}

// pdfOpenError classifies a failure to open. The library's message is matched
// but never passed on: it may quote bytes of the file.
func pdfOpenError(ctx context.Context, err error, encrypted bool) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return Errorf(ReasonEncrypted, "a password is needed to open it")
	case strings.Contains(msg, "encryption"):
		return Errorf(ReasonEncrypted, "unsupported encryption, such as AES-256")
	case strings.Contains(msg, "%EOF"), strings.Contains(msg, "startxref"):
		return Errorf(ReasonCorrupt, "truncated: no xref/trailer")
	case strings.Contains(msg, "header"):
		return Errorf(ReasonCorrupt, "invalid %%PDF- header")
	case strings.Contains(msg, "xref") || strings.Contains(msg, "cross-reference"):
		return Errorf(ReasonCorrupt, "cross-reference table does not parse")
	case encrypted:
		return Errorf(ReasonEncrypted, "the encryption dictionary could not be used")
	}
	return Errorf(ReasonCorrupt, "document structure does not parse")
}

// pdfPages lists the page dictionaries under root in order. It walks the tree
// itself, because the library's Reader.Page loops forever on a cyclic tree; a
// node's unresolved dictionary text serves as its identity. more reports pages
// beyond maxPDFPages.
func pdfPages(root pdf.Value) (pages []pdf.Value, more bool) {
	seen := map[string]bool{}
	full := func() bool { return len(pages) > maxPDFPages || len(seen) > 4*maxPDFPages+64 }
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		key := v.String()
		if depth > maxPageTreeDepth || full() || seen[key] {
			return
		}
		seen[key] = true
		kids := v.Key("Kids")
		if kids.Kind() == pdf.Array && v.Key("Type").Name() != "Page" {
			for i := 0; i < kids.Len() && !full(); i++ {
				walk(kids.Index(i), depth+1)
			}
			return
		}
		if v.Kind() == pdf.Dict {
			pages = append(pages, v)
		}
	}
	walk(root, 0)
	if len(pages) > maxPDFPages {
		return pages[:maxPDFPages], true
	}
	return pages, false
}

// pdfText accumulates the text of the pages read so far.
type pdfText struct {
	budget     int64 // decoded content bytes left for the remaining pages
	fonts      pdfFonts
	texts      []string
	imagePages int // pages with images and no text
	failed     int // pages whose content did not parse
	problems   []Problem
}

// page reads one page. Only a decompression bomb fails the document; other
// page failures become problems so the remaining pages are still read.
func (x *pdfText) page(num int, pg pdf.Page) error {
	text, images, err := readPDFPage(num, pg, &x.budget, x.fonts)
	var e *Error
	if errors.As(err, &e) && e.Reason == ReasonZipBomb {
		return err
	}
	origin := fmt.Sprintf("page %d", num)
	switch {
	case err != nil:
		x.failed++
		x.problems = append(x.problems, Problem{Origin: origin, Reason: ReasonCorrupt, Detail: pageFailure(err)})
	case strings.TrimSpace(text) != "":
		x.texts = append(x.texts, text)
	case images:
		x.imagePages++
		x.problems = append(x.problems, Problem{Origin: origin, Reason: ReasonImageOnlyPDF, Detail: "images without a text layer"})
	}
	return nil
}

func pageFailure(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Detail
	}
	return "page content does not parse"
}

// document turns the pages read into a Document, or explains why there is no text.
func (x *pdfText) document(pages int, encrypted bool) (*Document, error) {
	if len(x.texts) > 0 {
		doc, err := textDocument(FormatPDF, strings.Join(x.texts, "\n\n"))
		if doc != nil {
			doc.Problems = x.problems
		}
		return doc, err
	}
	switch {
	case x.imagePages > 0:
		return nil, Errorf(ReasonImageOnlyPDF, "%d of %d pages are images without a text layer", x.imagePages, pages)
	case x.failed > 0 && encrypted:
		return nil, Errorf(ReasonEncrypted, "no page decrypts to readable content")
	case x.failed > 0:
		return nil, Errorf(ReasonCorrupt, "no page content parses (%d of %d pages failed; %s: %s)",
			x.failed, pages, x.problems[0].Origin, x.problems[0].Detail)
	}
	return nil, &Error{Reason: ReasonNoText}
}

// errPageParse is a page whose structure or content the library choked on.
var errPageParse = errors.New("page content does not parse")

// readPDFPage returns one page's text in reading order and whether it draws
// images. Library panics become errPageParse.
func readPDFPage(num int, pg pdf.Page, budget *int64, fonts pdfFonts) (text string, images bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, images, err = "", false, errPageParse
		}
	}()
	if !parentChainEnds(pg.V) {
		return "", false, Errorf(ReasonCorrupt, "page tree parent chain loops")
	}
	content, err := pageContentBytes(num, pg, budget)
	if err != nil {
		return "", false, err
	}
	if openHexAtEOF(content) {
		return "", false, Errorf(ReasonCorrupt, "page content ends inside a hex string")
	}
	if n := stringOperandBytes(content); n > maxPageStringData {
		return "", false, Errorf(ReasonZipBomb, "page %d holds over %d bytes of text operands", num, maxPageStringData)
	}
	if err := checkFonts(pg.Resources().Key("Font")); err != nil {
		return "", false, err
	}
	images = drawsImage(pg, content)
	glyphs, err := pdfPageGlyphs(num, pg, fonts, budget, stringOperandBytes(content))
	if err != nil {
		return "", images, err
	}
	return layoutPDFPage(glyphs), images, nil
}

// parentChainEnds guards the library's inherited-attribute lookup, which
// follows /Parent without a bound.
func parentChainEnds(v pdf.Value) bool {
	for range maxPageTreeDepth {
		v = v.Key("Parent")
		if v.Kind() != pdf.Dict {
			return true
		}
	}
	return false
}

// pageContentBytes decodes the page's content streams, within the per-page cap
// and the document budget, before the library parses them without a cap.
func pageContentBytes(num int, pg pdf.Page, budget *int64) ([]byte, error) {
	c := pg.V.Key("Contents")
	streams := []pdf.Value{c}
	if c.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < c.Len() && i < 4096; i++ {
			streams = append(streams, c.Index(i))
		}
	}
	limit := min(int64(maxPageContent), *budget)
	var buf bytes.Buffer
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		rc := s.Reader()
		_, err := buf.ReadFrom(io.LimitReader(rc, limit-int64(buf.Len())+1))
		rc.Close()
		if int64(buf.Len()) > limit {
			return nil, Errorf(ReasonZipBomb, "page %d content inflates past %d bytes", num, limit)
		}
		if err != nil {
			return nil, Errorf(ReasonCorrupt, "page content stream does not decode")
		}
	}
	*budget -= int64(buf.Len())
	return buf.Bytes(), nil
}

// stringOperandBytes counts the bytes inside string operands, about one glyph
// each: the library keeps a record of every glyph in memory. Inline image data
// is skipped, since it is binary.
func stringOperandBytes(content []byte) int {
	n := 0
	for i := 0; i < len(content); i++ {
		switch c := content[i]; {
		case c == '%':
			for i < len(content) && content[i] != '\n' && content[i] != '\r' {
				i++
			}
		case c == '(':
			end := literalStringEnd(content, i)
			n += end - i
			i = end
		case c == '<' && i+1 < len(content) && content[i+1] != '<':
			end := bytes.IndexByte(content[i:], '>')
			if end < 0 {
				return n
			}
			n += end / 2
			i += end
		case c == 'I' && i+2 < len(content) && content[i+1] == 'D' && isPDFSpace(content[i+2]) && (i == 0 || isPDFSpace(content[i-1])):
			end := bytes.Index(content[i:], []byte("EI"))
			if end < 0 {
				return n
			}
			i += end + 1
		}
	}
	return n
}

// openHexAtEOF reports a hex string left open at the end of a stream, where
// the library's lexer waits for its ">" forever without reading. It mirrors
// that lexer: comments, literal strings and names are skipped as it skips
// them, and hex digits are read in pairs, spaces ignored.
func openHexAtEOF(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case '(':
			i = literalStringEnd(b, i)
		case '/':
			i = nameEnd(b, i+1) - 1
		case '<':
			if i+1 < len(b) && b[i+1] == '<' {
				i++
				continue
			}
			end, closed := hexStringEnd(b, i+1)
			if !closed {
				return true
			}
			i = end
		}
	}
	return false
}

// hexStringEnd follows the library's readHexString from i to the index of its
// last byte: a ">" where a pair would start closes the string, an invalid
// pair makes the lexer give up. closed is false if the stream ends first.
func hexStringEnd(b []byte, i int) (end int, closed bool) {
	next := func() (byte, bool) {
		for i < len(b) && isPDFSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, false
		}
		i++
		return b[i-1], true
	}
	for {
		c, ok := next()
		if !ok {
			return 0, false
		}
		if c == '>' {
			return i - 1, true
		}
		c2, ok := next()
		if !ok {
			return 0, false
		}
		if !isHexDigit(c) || !isHexDigit(c2) {
			return i - 1, true
		}
	}
}

// nameEnd returns the index after the name starting at i; like the library,
// "#" takes the next two bytes whatever they are.
func nameEnd(b []byte, i int) int {
	for i < len(b) && !isPDFSpace(b[i]) && !isPDFDelim(b[i]) {
		if b[i] == '#' {
			i += 2
		}
		i++
	}
	return min(i, len(b))
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isPDFDelim(c byte) bool { return strings.IndexByte("<>()[]{}/%", c) >= 0 }

// literalStringEnd returns the index of the last byte of the literal string
// opening at i, or len(b). Like the library's lexer, it stops early at an
// escape the lexer rejects: the lexer abandons the string there, and when the
// error is swallowed it goes on lexing from that point.
func literalStringEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		case '\\':
			if i++; i < len(b) && !validEscape(b, &i) {
				return i
			}
		}
	}
	return len(b)
}

// validEscape checks the escape whose character is b[*i], advancing *i over
// any further octal digits it takes.
func validEscape(b []byte, i *int) bool {
	switch c := b[*i]; {
	case strings.IndexByte("nrbtf()\\\r\n", c) >= 0:
		return true
	case c >= '0' && c <= '7':
		x := int(c - '0')
		for n := 0; n < 2 && *i+1 < len(b) && b[*i+1] >= '0' && b[*i+1] <= '7'; n++ {
			*i++
			x = x*8 + int(b[*i]-'0')
		}
		return x <= 255
	}
	return false
}

var cmapBlockRe = regexp.MustCompile(`(\d+)\s+begin(?:bfchar|bfrange|codespacerange|cidchar|cidrange|notdefchar|notdefrange)\b`)

// checkFonts refuses fonts the library would spend unbounded time or memory
// on: ToUnicode CMaps declaring huge blocks, which it loops over and allocates
// for whatever the stream holds, or ending in an open hex string.
func checkFonts(fonts pdf.Value) error {
	for i, name := range fonts.Keys() {
		if i == maxResourceKeys {
			break
		}
		font := fonts.Key(name)
		// The library scans the whole Differences array for every glyph.
		if font.Key("Encoding").Key("Differences").Len() > 1024 {
			return Errorf(ReasonCorrupt, "a font's encoding differences are oversized")
		}
		tu := font.Key("ToUnicode")
		if tu.Kind() != pdf.Stream {
			continue
		}
		rc := tu.Reader()
		cmap, err := io.ReadAll(io.LimitReader(rc, maxCMapBytes+1))
		rc.Close()
		if err != nil || len(cmap) > maxCMapBytes || openHexAtEOF(cmap) {
			return Errorf(ReasonCorrupt, "a font's ToUnicode CMap is unreadable, truncated or over %d bytes", maxCMapBytes)
		}
		for _, m := range cmapBlockRe.FindAllSubmatch(cmap, -1) {
			if n, err := strconv.Atoi(string(m[1])); err != nil || n > maxCMapBlock {
				return Errorf(ReasonCorrupt, "a font's ToUnicode CMap declares an oversized block")
			}
		}
	}
	return nil
}

var (
	doOperatorRe  = regexp.MustCompile(`(?:^|[\s\])>])Do(?:[\s/\[(<]|$)`)
	inlineImageRe = regexp.MustCompile(`(?:^|\s)BI\s[\s\S]*?\sID\s`)
)

// drawsImage reports whether the page paints an image: an inline image, or a
// Do operator with an image XObject among the page's resources.
func drawsImage(pg pdf.Page, content []byte) bool {
	// The substring tests skip the slower regexps on most pages.
	if bytes.Contains(content, []byte("BI")) && inlineImageRe.Match(content) {
		return true
	}
	return bytes.Contains(content, []byte("Do")) && doOperatorRe.Match(content) &&
		hasImageXObject(pg.Resources().Key("XObject"), 0)
}

// hasImageXObject looks for an image in an XObject dictionary, descending into
// form XObjects, where scanners often wrap the page image.
func hasImageXObject(xobjects pdf.Value, depth int) bool {
	for i, name := range xobjects.Keys() {
		if i == maxResourceKeys {
			break
		}
		x := xobjects.Key(name)
		switch x.Key("Subtype").Name() {
		case "Image":
			return true
		case "Form":
			if depth < 3 && hasImageXObject(x.Key("Resources").Key("XObject"), depth+1) {
				return true
			}
		}
	}
	return false
}
