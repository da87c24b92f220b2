package extractors

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/nguyenthenguyen/docx"
)

func init() { Register(FormatDOCX, docxExtractor{}) }

// docxExtractor reads the body, text boxes, tables, footnotes, endnotes, headers
// and footers of a Word document.
type docxExtractor struct{}

const (
	docxBody = "word/document.xml"
	docxRels = "word/_rels/document.xml.rels"
	nsWord   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMC     = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// headerFooterPart matches the parts holding page headers and footers.
var headerFooterPart = regexp.MustCompile(`^word/(header|footer)(\d*)\.xml$`)

// notesParts hold footnotes and endnotes, which CVs use for asides ("¹ available
// from March", "² reasonable adjustments: …") that the tagger must see.
var notesParts = []string{"word/footnotes.xml", "word/endnotes.xml"}

func (docxExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(in.Data), int64(len(in.Data)))
	if err != nil {
		return nil, Errorf(ReasonCorrupt, "not a zip archive")
	}
	limit := lim.MaxDecompressedBytes
	if limit <= 0 {
		limit = DefaultLimits.MaxDecompressedBytes // the docx library has no cap of its own
	}
	if err := checkDocxSizes(zr, limit); err != nil {
		return nil, err
	}
	body, err := docxBodyXML(in.Data)
	if err != nil {
		return nil, err
	}
	headers, footers, err := docxHeadersFooters(ctx, zr, limit)
	if err != nil {
		return nil, err
	}
	bodyText, err := wordXMLText(ctx, strings.NewReader(body))
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, Errorf(ReasonCorrupt, "%s is not well-formed XML", docxBody)
	}
	notes, err := docxNotes(ctx, zr, limit)
	if err != nil {
		return nil, err
	}
	parts := append(append(append(headers, bodyText), notes...), footers...)
	return textDocument(FormatDOCX, strings.Join(parts, "\n\n"))
}

// docxLibraryReads reports the parts the docx library inflates into memory, whole
// and without any limit, when it opens a package.
func docxLibraryReads(name string) bool {
	return name == docxBody || name == docxRels || strings.Contains(name, "header") || strings.Contains(name, "footer")
}

// checkDocxSizes refuses a package before the docx library inflates it if the
// parts it reads declare more than limit bytes, alone or together. Declared
// sizes can lie; archive/zip then fails the read once it passes the declared
// size, and our own reads are bounded too.
func checkDocxSizes(zr *zip.Reader, limit int64) error {
	var total uint64
	found := false
	for _, f := range zr.File {
		if !docxLibraryReads(f.Name) {
			continue
		}
		found = found || f.Name == docxBody
		if f.UncompressedSize64 > uint64(limit) {
			return Errorf(ReasonZipBomb, "%s inflates past cap (%d bytes declared, cap %d)", docxPartName(f.Name), f.UncompressedSize64, limit)
		}
		total += f.UncompressedSize64
	}
	if !found {
		return Errorf(ReasonCorrupt, "no %s in the archive", docxBody)
	}
	if total > uint64(limit) {
		return Errorf(ReasonZipBomb, "document parts inflate past cap together (%d bytes declared, cap %d)", total, limit)
	}
	return nil
}

// docxPartName is a zip entry name safe for an error message: the standard part
// names pass, anything else (which might carry a person's name) does not.
func docxPartName(name string) string {
	if name == docxBody || name == docxRels || headerFooterPart.MatchString(name) || slices.Contains(notesParts, name) {
		return name
	}
	return "a header or footer part"
}

// docxBodyXML opens the package with the docx library and returns the raw XML
// of word/document.xml.
func docxBodyXML(data []byte) (body string, err error) {
	defer func() {
		if r := recover(); r != nil {
			body, err = "", Errorf(ReasonCorrupt, "docx reader failed (%T)", r)
		}
	}()
	r, err := docx.ReadDocxFromMemory(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", docxOpenError(err)
	}
	defer r.Close()
	return r.Editable().GetContent(), nil
}

// docxOpenError maps a docx library error to a reason; its text is not passed
// on, since library errors are not vetted for content.
func docxOpenError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return Errorf(ReasonCorrupt, "a document part fails its checksum")
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(ReasonCorrupt, "a document part is truncated or does not match its zip header")
	case strings.Contains(msg, "document.xml.rels"):
		return Errorf(ReasonCorrupt, "no %s in the archive", docxRels)
	case strings.Contains(msg, "flate"):
		return Errorf(ReasonCorrupt, "a document part does not inflate")
	}
	return Errorf(ReasonCorrupt, "the docx reader could not open the package")
}

// docxHeadersFooters returns the text of the header and footer parts, in part
// order, with duplicates (first-page and even-page copies) dropped.
func docxHeadersFooters(ctx context.Context, zr *zip.Reader, limit int64) (headers, footers []string, err error) {
	files := make([]*zip.File, 0, 4)
	for _, f := range zr.File {
		if headerFooterPart.MatchString(f.Name) {
			files = append(files, f)
		}
	}
	// header2.xml before header10.xml.
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		return len(a) < len(b) || len(a) == len(b) && a < b
	})
	seen := map[string]bool{}
	for _, f := range files {
		text, err := readWordPart(ctx, f, limit)
		if err != nil {
			return nil, nil, err
		}
		text = strings.TrimSpace(text)
		if text == "" || seen[text] {
			continue
		}
		seen[text] = true
		if strings.HasPrefix(f.Name, "word/header") {
			headers = append(headers, text)
		} else {
			footers = append(footers, text)
		}
	}
	return headers, footers, nil
}

// docxNotes returns the text of the footnotes and endnotes parts that have any (their
// separator entries have none).
func docxNotes(ctx context.Context, zr *zip.Reader, limit int64) ([]string, error) {
	var out []string
	for _, f := range zr.File {
		if !slices.Contains(notesParts, f.Name) {
			continue
		}
		text, err := readWordPart(ctx, f, limit)
		if err != nil {
			return nil, err
		}
		if text = strings.TrimSpace(text); text != "" {
			out = append(out, text)
		}
	}
	return out, nil
}

// readWordPart extracts the text of one WordprocessingML part, reading at most
// limit bytes however large the part claims to be.
func readWordPart(ctx context.Context, f *zip.File, limit int64) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", Errorf(ReasonCorrupt, "%s does not open", docxPartName(f.Name))
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: limit + 1}
	text, err := wordXMLText(ctx, lr)
	switch {
	case lr.N <= 0:
		return "", Errorf(ReasonZipBomb, "%s inflates past cap %d", docxPartName(f.Name), limit)
	case ctx.Err() != nil:
		return "", ctx.Err()
	case err != nil:
		return "", Errorf(ReasonCorrupt, "%s is not well-formed XML or does not inflate", docxPartName(f.Name))
	}
	return text, nil
}

// wordXMLText walks WordprocessingML and returns its text: paragraphs as lines,
// tabs and breaks kept, table rows as " | "-joined lines, and each text box
// after the paragraph that anchors it.
func wordXMLText(ctx context.Context, r io.Reader) (string, error) {
	w := newWordWalker()
	d := xml.NewDecoder(r)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return "", err
			}
		}
		tok, err := d.Token()
		if err == io.EOF {
			return w.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t)
		case xml.EndElement:
			w.end(t.Name)
		case xml.CharData:
			w.chars(t)
		}
	}
}

// wordWalker is the state of wordXMLText. Output goes to the builder on top of
// out: table cells and text boxes collect their text separately.
type wordWalker struct {
	out    []*strings.Builder
	rows   [][]string // cells of the open row of each open table
	boxes  []string   // closed text boxes waiting for their anchor paragraph to end
	inText int        // inside w:t
	inRun  int        // inside w:r: w:tab elsewhere defines tab stops
	skip   int        // inside mc:Fallback (a duplicate) or w:moveFrom (moved-away text)
}

func newWordWalker() *wordWalker {
	return &wordWalker{out: []*strings.Builder{{}}}
}

func (w *wordWalker) cur() *strings.Builder { return w.out[len(w.out)-1] }

func (w *wordWalker) push() { w.out = append(w.out, &strings.Builder{}) }

func (w *wordWalker) pop() string {
	s := w.cur().String()
	w.out = w.out[:len(w.out)-1]
	return s
}

func (w *wordWalker) start(t xml.StartElement) {
	if t.Name.Space == nsMC && t.Name.Local == "Fallback" || t.Name.Space == nsWord && t.Name.Local == "moveFrom" {
		w.skip++
		return
	}
	if t.Name.Space != nsWord || w.skip > 0 {
		return
	}
	switch t.Name.Local {
	case "t":
		w.inText++
	case "r":
		w.inRun++
	case "tab", "ptab":
		w.inRunWrite("\t")
	case "br", "cr":
		w.inRunWrite("\n")
	case "noBreakHyphen":
		w.inRunWrite("-")
	case "txbxContent":
		w.push()
	case "tbl":
		w.rows = append(w.rows, nil)
	case "tr":
		if len(w.rows) > 0 {
			w.rows[len(w.rows)-1] = w.rows[len(w.rows)-1][:0]
		}
	case "tc":
		if len(w.rows) > 0 {
			w.push()
		}
	}
}

func (w *wordWalker) end(name xml.Name) {
	if name.Space == nsMC && name.Local == "Fallback" || name.Space == nsWord && name.Local == "moveFrom" {
		w.skip = max(w.skip-1, 0)
		return
	}
	if name.Space != nsWord || w.skip > 0 {
		return
	}
	switch name.Local {
	case "t":
		w.inText = max(w.inText-1, 0)
	case "r":
		w.inRun = max(w.inRun-1, 0)
	case "p":
		w.endParagraph()
	case "txbxContent":
		if len(w.out) > 1 {
			w.boxes = append(w.boxes, strings.TrimSpace(w.pop()))
		}
	case "tc":
		w.endCell()
	case "tr":
		w.endRow()
	case "tbl":
		if len(w.rows) > 0 {
			w.rows = w.rows[:len(w.rows)-1]
		}
	}
}

func (w *wordWalker) chars(c xml.CharData) {
	if w.inText > 0 && w.skip == 0 {
		w.cur().Write(c)
	}
}

func (w *wordWalker) inRunWrite(s string) {
	if w.inRun > 0 {
		w.cur().WriteString(s)
	}
}

// endParagraph ends the line, then writes the text boxes the paragraph anchors.
func (w *wordWalker) endParagraph() {
	out := w.cur()
	out.WriteByte('\n')
	for _, b := range w.boxes {
		if b != "" {
			out.WriteString(b)
			out.WriteString("\n\n")
		}
	}
	w.boxes = w.boxes[:0]
}

func (w *wordWalker) endCell() {
	if len(w.rows) == 0 || len(w.out) < 2 {
		return // a cell outside a table writes in place
	}
	cell := strings.Join(strings.Fields(w.pop()), " ")
	if cell != "" { // merged-away and empty cells would only add separators
		w.rows[len(w.rows)-1] = append(w.rows[len(w.rows)-1], cell)
	}
}

func (w *wordWalker) endRow() {
	if len(w.rows) == 0 {
		return
	}
	if cells := w.rows[len(w.rows)-1]; len(cells) > 0 {
		fmt.Fprintf(w.cur(), "%s\n", strings.Join(cells, " | "))
	}
}

func (w *wordWalker) String() string {
	for len(w.out) > 1 { // unbalanced input: keep what was collected
		s := w.pop()
		w.cur().WriteString(s)
	}
	return w.cur().String()
}
