package synth

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// DocxSpec describes the content of a DOCX. In paragraph strings "\t" becomes a
// tab (w:tab) and "\n" a line break (w:br); a "# " prefix makes the paragraph bold.
type DocxSpec struct {
	Paragraphs []string   // body paragraphs, in order
	Table      [][]string // rows of cells, written after Paragraphs; nil for none
	// TextBox holds the paragraphs of a floating text box anchored in the first
	// body paragraph. As Word does, it is written twice: as DrawingML inside
	// mc:Choice and as a VML copy inside mc:Fallback.
	TextBox []string
	Header  []string // paragraphs of word/header1.xml; nil for no header
	Footer  []string // paragraphs of word/footer1.xml; nil for no footer
}

// OOXML namespaces and types.
const (
	nsW        = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relOffice  = nsR + "/officeDocument"
	relHeader  = nsR + "/header"
	relFooter  = nsR + "/footer"
	ctMain     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	ctHeader   = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
	ctFooter   = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
	xmlDecl    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	docNS      = `xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"`
	drawingNS  = ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"`
	pkgRelsNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
	pkgTypesNS = "http://schemas.openxmlformats.org/package/2006/content-types"
)

// zipTime is the fixed modification time of every part, for reproducible output.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DOCX writes spec as a minimal valid WordprocessingML package.
func DOCX(spec DocxSpec) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes(spec)},
		{"_rels/.rels", relationships([][2]string{{relOffice, "word/document.xml"}})},
		{"word/document.xml", documentXML(spec)},
		{"word/_rels/document.xml.rels", documentRels(spec)},
	}
	if spec.Header != nil {
		parts = append(parts, struct{ name, body string }{"word/header1.xml", headerFooterXML("hdr", spec.Header)})
	}
	if spec.Footer != nil {
		parts = append(parts, struct{ name, body string }{"word/footer1.xml", headerFooterXML("ftr", spec.Footer)})
	}
	for _, p := range parts {
		w := createPart(zw, p.name)
		io.WriteString(w, p.body)
	}
	zw.Close()
	return buf.Bytes()
}

// ZipBombDOCX writes a DOCX whose word/document.xml inflates to about
// inflatedBytes bytes: one text run of 'A's. Deflate shrinks such a run about
// 1000 times, so 100 MB makes a file of roughly 100 KB; the data is streamed,
// never held in memory whole.
func ZipBombDOCX(inflatedBytes int64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	spec := DocxSpec{}
	io.WriteString(createPart(zw, "[Content_Types].xml"), contentTypes(spec))
	io.WriteString(createPart(zw, "_rels/.rels"), relationships([][2]string{{relOffice, "word/document.xml"}}))
	io.WriteString(createPart(zw, "word/_rels/document.xml.rels"), documentRels(spec))
	w := createPart(zw, "word/document.xml")
	head := xmlDecl + `<w:document ` + docNS + `><w:body><w:p><w:r><w:t>`
	tail := `</w:t></w:r></w:p></w:body></w:document>`
	io.WriteString(w, head)
	chunk := bytes.Repeat([]byte{'A'}, 1<<20)
	for left := inflatedBytes - int64(len(head)+len(tail)); left > 0; left -= int64(len(chunk)) {
		w.Write(chunk[:min(left, int64(len(chunk)))])
	}
	io.WriteString(w, tail)
	zw.Close()
	return buf.Bytes()
}

func createPart(zw *zip.Writer, name string) io.Writer {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		panic(err) // only on a writer misuse: names are constants here
	}
	return w
}

func contentTypes(spec DocxSpec) string {
	var s strings.Builder
	s.WriteString(xmlDecl + `<Types xmlns="` + pkgTypesNS + `">`)
	s.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	s.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	fmt.Fprintf(&s, `<Override PartName="/word/document.xml" ContentType="%s"/>`, ctMain)
	if spec.Header != nil {
		fmt.Fprintf(&s, `<Override PartName="/word/header1.xml" ContentType="%s"/>`, ctHeader)
	}
	if spec.Footer != nil {
		fmt.Fprintf(&s, `<Override PartName="/word/footer1.xml" ContentType="%s"/>`, ctFooter)
	}
	s.WriteString(`</Types>`)
	return s.String()
}

// relationships writes a .rels part; rels are {type, target} pairs, given ids rId1...
func relationships(rels [][2]string) string {
	var s strings.Builder
	s.WriteString(xmlDecl + `<Relationships xmlns="` + pkgRelsNS + `">`)
	for i, r := range rels {
		fmt.Fprintf(&s, `<Relationship Id="rId%d" Type="%s" Target="%s"/>`, i+1, r[0], r[1])
	}
	s.WriteString(`</Relationships>`)
	return s.String()
}

// documentRels always exists, even when empty: Word writes it and readers expect it.
func documentRels(spec DocxSpec) string {
	var rels [][2]string
	if spec.Header != nil {
		rels = append(rels, [2]string{relHeader, "header1.xml"})
	}
	if spec.Footer != nil {
		rels = append(rels, [2]string{relFooter, "footer1.xml"})
	}
	return relationships(rels)
}

func documentXML(spec DocxSpec) string {
	var s strings.Builder
	s.WriteString(xmlDecl + `<w:document ` + docNS + drawingNS + `><w:body>`)
	paras := spec.Paragraphs
	if len(spec.TextBox) > 0 {
		first := ""
		if len(paras) > 0 {
			first, paras = paras[0], paras[1:]
		}
		s.WriteString(`<w:p>` + textBoxRun(spec.TextBox) + runs(first) + `</w:p>`)
	}
	for _, p := range paras {
		s.WriteString(paragraph(p))
	}
	if spec.Table != nil {
		s.WriteString(table(spec.Table))
		s.WriteString(`<w:p/>`) // Word requires a paragraph between a table and sectPr
	}
	s.WriteString(sectPr(spec))
	s.WriteString(`</w:body></w:document>`)
	return s.String()
}

func sectPr(spec DocxSpec) string {
	var s strings.Builder
	s.WriteString(`<w:sectPr>`)
	id := 1
	if spec.Header != nil {
		fmt.Fprintf(&s, `<w:headerReference w:type="default" r:id="rId%d"/>`, id)
		id++
	}
	if spec.Footer != nil {
		fmt.Fprintf(&s, `<w:footerReference w:type="default" r:id="rId%d"/>`, id)
	}
	s.WriteString(`<w:pgSz w:w="11906" w:h="16838"/>`)
	s.WriteString(`<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>`)
	s.WriteString(`</w:sectPr>`)
	return s.String()
}

func headerFooterXML(root string, paras []string) string {
	var s strings.Builder
	s.WriteString(xmlDecl + `<w:` + root + ` ` + docNS + `>`)
	for _, p := range paras {
		s.WriteString(paragraph(p))
	}
	s.WriteString(`</w:` + root + `>`)
	return s.String()
}

func paragraph(text string) string { return `<w:p>` + runs(text) + `</w:p>` }

// runs writes text as one run, turning "\t" into w:tab and "\n" into w:br.
func runs(text string) string {
	if text == "" {
		return ""
	}
	var s strings.Builder
	s.WriteString(`<w:r>`)
	if rest, ok := strings.CutPrefix(text, "# "); ok {
		text = rest
		s.WriteString(`<w:rPr><w:b/></w:rPr>`)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			s.WriteString(`<w:br/>`)
		}
		for j, cell := range strings.Split(line, "\t") {
			if j > 0 {
				s.WriteString(`<w:tab/>`)
			}
			if cell != "" {
				s.WriteString(`<w:t xml:space="preserve">` + escapeXML(cell) + `</w:t>`)
			}
		}
	}
	s.WriteString(`</w:r>`)
	return s.String()
}

func table(rows [][]string) string {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	width := 9000 / max(cols, 1) // twentieths of a point across the text width
	var s strings.Builder
	s.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>`)
	for range cols {
		fmt.Fprintf(&s, `<w:gridCol w:w="%d"/>`, width)
	}
	s.WriteString(`</w:tblGrid>`)
	for _, r := range rows {
		s.WriteString(`<w:tr>`)
		for i := range cols {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			// A cell must hold at least one paragraph, even an empty one.
			fmt.Fprintf(&s, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, width, paragraph(cell))
		}
		s.WriteString(`</w:tr>`)
	}
	s.WriteString(`</w:tbl>`)
	return s.String()
}

// textBoxRun is a run holding a floating text box, written as Word 2010+ does.
func textBoxRun(paras []string) string {
	var content strings.Builder
	content.WriteString(`<w:txbxContent>`)
	for _, p := range paras {
		content.WriteString(paragraph(p))
	}
	content.WriteString(`</w:txbxContent>`)
	const emuW, emuH = 1828800, 914400 // 2 x 1 inches
	return `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>` +
		`<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" ` +
		`behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>` +
		`<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>` +
		`<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>` +
		fmt.Sprintf(`<wp:extent cx="%d" cy="%d"/>`, emuW, emuH) +
		`<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>` +
		`<wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>` +
		`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">` +
		`<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>` +
		fmt.Sprintf(`<a:ext cx="%d" cy="%d"/>`, emuW, emuH) +
		`</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>` +
		`<wps:txbx>` + content.String() + `</wps:txbx><wps:bodyPr/></wps:wsp>` +
		`</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shape id="Text Box 1" style="position:absolute;width:144pt;height:72pt">` +
		`<v:textbox>` + content.String() +
		`</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`
}

func escapeXML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
