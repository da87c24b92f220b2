package samplegen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/synth"
)

// Entry is one file of the sample inbox and what cvetl should make of it.
type Entry struct {
	Path    string // relative to the inbox, slash-separated
	Channel string // provenance channel testdata/cvetl.yaml gives the path
	Sniff   string // format extractors.Sniff reports for the content
	// Reason is the quarantine reason for a file that must not parse; "" when it
	// parses.
	Reason     string
	Candidates int      // candidate records a parse yields
	Vacancies  int      // vacancies a feed yields
	Problems   []string // recoverable defects: "origin: reason"
	Special    []string // special categories to tag, "origin: category" for multi-record files
	Tests      string   // what the file exercises
	data       func() []byte
	people     func() []Candidate
}

// Data returns the file's content.
func (e Entry) Data() []byte { return e.data() }

// People are the candidates the file was made from, in the order a parse should
// yield them (rows that must be skipped are left out). Fields hold values as the
// file writes them; a file may show only some of them: exports carry no history
// beyond the current job, and a CV omits empty fields.
func (e Entry) People() []Candidate {
	if e.people == nil {
		return nil
	}
	return e.people()
}

func one(f func() Candidate) func() []Candidate {
	return func() []Candidate { return []Candidate{f()} }
}

// IdentityCase is a set of records that identity resolution must merge, or keep
// apart.
type IdentityCase struct {
	Name    string
	Records []string // "path" or "path row N"
	Merge   bool
	Why     string
}

// IdentityCases lists the inbox's deliberate identity tests.
var IdentityCases = []IdentityCase{
	{Name: "Amara Okafor", Merge: true,
		Records: []string{"direct/amara-okafor-cv.pdf", "indeed/applicants-2026-11-20.csv row 3"},
		Why:     "same e-mail amara.okafor@example.com; phone written 07700 900123 and +447700900123"},
	{Name: "Daniel Kowalczyk", Merge: true,
		Records: []string{"reed/reed-applicants-2026-11-19.csv row 2",
			"agency-brightstaff/2026-11-19 BrightStaff candidates.eml#Daniel Kowalczyk - BrightStaff profile.docx"},
		Why: "same name and phone (07700900456 / +44 (0)7700 900456); the agency profile has no e-mail and carries the agency's own number 0113 496 0000 in its footer"},
	{Name: "James Smith", Merge: false,
		Records: []string{"direct/james-smith-cv.txt", "indeed/applicants-2026-11-20.csv row 8"},
		Why:     "two different people with a common name: IT support in Sheffield (james.smith@example.com, 07700 900311) and a delivery driver in Bristol (james.smith84@example.net, 07700 900688)"},
}

// Channels maps each top-level inbox folder to its provenance channel, as
// testdata/cvetl.yaml does; folders not listed get the default, direct.
var Channels = map[string]string{
	"indeed/": "job_board:indeed", "reed/": "job_board:reed", "totaljobs/": "job_board:totaljobs",
	"linkedin/": "linkedin", "agency-brightstaff/": "agency:brightstaff", "referrals/": "referee",
	"feeds/": "job_board:indeed",
}

func channelOf(path string) string {
	for prefix, ch := range Channels {
		if strings.HasPrefix(path, prefix) {
			return ch
		}
	}
	return "direct"
}

// Manifest lists every file of the sample inbox, in path order. Content is built
// only when Data is called.
func Manifest() []Entry {
	es := []Entry{
		// direct/: CVs candidates sent themselves.
		{Path: "direct/amara-okafor-cv.pdf", people: one(amara), Sniff: "pdf", Candidates: 1, Special: []string{"health"},
			Tests: "single-column PDF; Date of Birth and NI number; type 1 diabetes volunteered; identity: same e-mail as an Indeed row",
			data:  func() []byte { return PDF(amara(), false) }},
		{Path: "direct/tomasz-nowak-cv.pdf", people: one(tomasz), Sniff: "pdf", Candidates: 1,
			Tests: "two-column PDF (contact and skills in a left sidebar, columns interleaved in the content stream)",
			data:  func() []byte { return PDF(tomasz(), true) }},
		{Path: "direct/priya-raman-cv.docx", people: one(priya), Sniff: "docx", Candidates: 1,
			Tests: "DOCX with name and contact details only in the page header, and key skills in a table",
			data:  func() []byte { return DOCXWith(priya(), DocxOptions{HeaderContact: true, SkillsTable: true}) }},
		{Path: "direct/sian-hughes-cv.docx", people: one(sian), Sniff: "docx", Candidates: 1, Special: []string{"religious_beliefs"},
			Tests: "DOCX with contact details in a floating text box (DrawingML and VML copies); church attendance volunteered; trap: employer \"St Teilo's Church in Wales Primary School\"",
			data:  func() []byte { return DOCXWith(sian(), DocxOptions{TextBoxContact: true}) }},
		{Path: "direct/CV Final v2.docx", people: one(oliver), Sniff: "docx", Candidates: 1,
			Tests: "plain DOCX, file name with spaces; Date of Birth",
			data:  func() []byte { return DOCX(oliver()) }},
		{Path: "direct/james-smith-cv.txt", people: one(jamesIT), Sniff: "text", Candidates: 1,
			Tests: "UTF-8 plain text; identity: one of two different James Smiths",
			data:  func() []byte { return []byte(Text(jamesIT())) }},
		{Path: "direct/renee-ashworth-cv.txt", people: one(renee), Sniff: "text", Candidates: 1,
			Tests: "Windows-1252 text: £, é (Renée, Café, sautéed), curly quotes and en dashes; must decode, not be quarantined",
			data:  func() []byte { return windows1252(Text(renee())) }},
		{Path: "direct/Mohammed Iqbal CV.txt", people: one(mohammed), Sniff: "text", Candidates: 1,
			Tests: "UTF-16 LE with BOM and CRLF (Notepad \"Unicode\"); NI number; trap: \"conviction in delivering results\"",
			data:  func() []byte { return utf16LE(Text(mohammed())) }},
		{Path: "direct/zofia-szymanska-cv.txt", people: one(zofia), Sniff: "text", Candidates: 1,
			Tests: "UTF-8 text with CRLF line ends and a non-Latin-1 name (ń)",
			data:  func() []byte { return []byte(strings.ReplaceAll(Text(zofia()), "\n", "\r\n")) }},
		{Path: "direct/grace-adeyemi.html", people: one(grace), Sniff: "html", Candidates: 1,
			Tests: "HTML CV; trap: \"Mental Health Nurse\" title and patients' illnesses are not her health data",
			data:  func() []byte { return []byte(HTML(grace())) }},
		{Path: "direct/eilidh-macleod.json", people: one(eilidh), Sniff: "jsonresume", Candidates: 1, Special: []string{"trade_union_membership"},
			Tests: "JSON Resume v1.0.0; UNISON membership volunteered in basics.summary",
			data:  func() []byte { return JSONResume(eilidh()) }},
		{Path: "direct/yusuf-ali.resume.json", people: one(yusuf), Sniff: "jsonresume", Candidates: 1,
			Tests: "JSON Resume v1.0.0 with an ongoing job (no endDate)",
			data:  func() []byte { return JSONResume(yusuf()) }},
		{Path: "direct/hannah-clarke-cv.pdf", people: one(hannah), Sniff: "pdf", Candidates: 1,
			Tests: "two-page single-column PDF; trap: a grandmother's Parkinson's is a relative's health",
			data:  func() []byte { return PDF(hannah(), false) }},
		{Path: "direct/arjun-sharma-cv-protected.pdf", people: one(arjun), Sniff: "pdf", Candidates: 1,
			Tests: "PDF with RC4 encryption and an EMPTY user password (permissions only): anyone can open it, so it should parse; quarantining it as encrypted_pdf is the fallback",
			data: func() []byte {
				return synth.PDFWithOptions(synth.TextPages(arjun().Lines()), synth.PDFOptions{Encryption: synth.EncryptRC4NoUserPassword})
			}},

		// indeed/: Indeed applicant exports and résumés.
		{Path: "indeed/applicants-2026-11-20.csv", people: indeedApplicants, Sniff: "csv", Candidates: 20,
			Special: []string{"row 11: trade_union_membership"},
			Tests:   "Indeed-style applicant export, 20 rows, UTF-8 BOM, CRLF, quoted multi-line cover letters; identity: row 3 is Amara Okafor, row 8 the second James Smith",
			data:    indeedExport},
		{Path: "indeed/applicants-2026-11-24.csv", people: raggedGood, Sniff: "csv", Candidates: 6,
			Problems: []string{"row 3 (line 4): bad_rows, 12 fields for 11 columns", "row 6 (line 7): bad_rows, 9 fields for 11 columns"},
			Tests:    "ragged Indeed export: 8 rows, two with the wrong number of fields; the 6 good rows are kept",
			data:     raggedExport},
		{Path: "indeed/Kwame_Mensah_Resume.pdf", people: one(kwame), Sniff: "pdf", Candidates: 1,
			Tests: "two-column PDF from a job board",
			data:  func() []byte { return PDF(kwame(), true) }},

		// reed/ and totaljobs/: the other job boards' exports.
		{Path: "reed/reed-applicants-2026-11-19.csv", people: reedApplicants, Sniff: "csv", Candidates: 6,
			Tests: "Reed/TotalJobs-style export (First Name, Last Name, Email Address, Mobile, Postcode, Town, ...); identity: row 2 is Daniel Kowalczyk; row 5's postcode is written \"le1 5ww\"",
			data:  reedExport},
		{Path: "reed/Sofia_Taylor_CV.docx", people: one(sofia), Sniff: "docx", Candidates: 1,
			Tests: "DOCX with the work history in a Dates | Role | Employer table",
			data:  func() []byte { return DOCXWith(sofia(), DocxOptions{HistoryTable: true}) }},
		{Path: "totaljobs/totaljobs-export-2026-11-21.tsv", people: totaljobsApplicants, Sniff: "csv", Candidates: 5,
			Tests: "tab-separated export in the Reed/TotalJobs shape",
			data:  totaljobsExport},

		// linkedin/: LinkedIn "Save to PDF" profiles.
		{Path: "linkedin/Profile.pdf", people: one(callum), Sniff: "pdf", Candidates: 1,
			Tests: "LinkedIn-style two-column profile PDF; trap: \"Health and Safety Officer\"",
			data:  func() []byte { return linkedInPDF(callum()) }},
		{Path: "linkedin/Profile (1).pdf", people: one(mei), Sniff: "pdf", Candidates: 1,
			Tests: "second LinkedIn profile: the browser's \"(1)\" duplicate-download name",
			data:  func() []byte { return linkedInPDF(mei()) }},

		// agency-brightstaff/: CVs an agency forwarded.
		{Path: "agency-brightstaff/2026-11-19 BrightStaff candidates.eml", people: func() []Candidate { return []Candidate{fatima(), daniel(false)} }, Sniff: "eml", Candidates: 2,
			Tests: "e-mail, multipart/mixed, two base64 CV attachments (PDF and DOCX); identity: the DOCX is Daniel Kowalczyk without an e-mail",
			data:  agencyEmail},
		{Path: "agency-brightstaff/BrightStaff - Rhys Evans.docx", people: one(rhys), Sniff: "docx", Candidates: 1, Special: []string{"criminal_convictions"},
			Tests: "agency-branded DOCX: agency header and footer with the agency's own phone; spent conviction declared; trap: lives on Church Street",
			data: func() []byte {
				return DOCXWith(rhys(), DocxOptions{Header: []string{"BrightStaff Recruitment – Candidate Profile"},
					Footer: []string{"BrightStaff Recruitment Ltd · 0113 496 0000 · www.brightstaff.example.com"}})
			}},

		// referrals/: CVs someone passed on.
		{Path: "referrals/Fwd CV for Niamh Murphy.eml", people: one(niamh), Sniff: "eml", Candidates: 1,
			Problems: []string{"attachment Niamh_Murphy_CV.pdf: corrupt (base64 of a truncated PDF)"},
			Tests:    "e-mail from a referrer: the PDF attachment is truncated, the quoted-printable text attachment of the same CV is good",
			data:     referralEmail},
		{Path: "referrals/aisha-khan-cv.txt", people: one(aisha), Sniff: "text", Candidates: 1, Special: []string{"health"},
			Tests: "UTF-8 text CV passed on by a referee; Date of Birth; dyslexia volunteered",
			data:  func() []byte { return []byte(Text(aisha())) }},
		{Path: "referrals/harpreet-kaur-cv.htm", people: one(harpreet), Sniff: "html", Candidates: 1, Special: []string{"political_opinions"},
			Tests: "Word \"Save as Web Page\" HTML: MsoNormal paragraphs, inline styles, `&nbsp;` and `&pound;` entities; party membership volunteered",
			data:  func() []byte { return []byte(wordHTML(harpreet())) }},

		// feeds/: vacancy feeds.
		{Path: "feeds/brightstaff-indeed-feed.xml", Sniff: "vacancy_xml", Vacancies: len(xmlVacancies),
			Tests: "Indeed-style XML feed `<source><job>…</job></source>` with CDATA fields and RFC 1123 dates",
			data:  vacancyXML},
		{Path: "feeds/vacancies-2026-11.csv", Sniff: "vacancy_csv", Vacancies: len(csvVacancies),
			Tests: "vacancy CSV feed (Job ID, Job Title, Company, Location, Postcode, Salary, Job Type, Date Posted, Description), UK dates",
			data:  vacancyCSV},

		// bad/: inputs that must be quarantined whole, each with its reason.
		{Path: "bad/truncated.pdf", Sniff: "pdf", Reason: "corrupt",
			Tests: "a valid PDF cut in half: no xref, no trailer (the PDF library may panic: extractor_panic is acceptable)",
			data:  func() []byte { p := PDF(liam(), false); return p[:len(p)/2] }},
		{Path: "bad/encrypted.pdf", Sniff: "pdf", Reason: "encrypted_pdf",
			Tests: "RC4 128-bit with a user password (\"cvetl\"); the PDF library is known to panic on some RC4 files",
			data: func() []byte {
				return synth.PDFWithOptions(synth.TextPages(newCandidate(129, Options{}).Lines()), synth.PDFOptions{Encryption: synth.EncryptRC4})
			}},
		{Path: "bad/encrypted-aes256.pdf", Sniff: "pdf", Reason: "encrypted_pdf",
			Tests: "AES-256 (PDF 2.0 style) with a user password",
			data: func() []byte {
				return synth.PDFWithOptions(synth.TextPages(newCandidate(130, Options{}).Lines()), synth.PDFOptions{Encryption: synth.EncryptAES256})
			}},
		{Path: "bad/scanned-cv.pdf", Sniff: "pdf", Reason: "image_only_pdf",
			Tests: "two pages holding only images: a scan with no text layer",
			data:  func() []byte { return synth.PDF([]synth.Page{synth.ImagePage(), synth.ImagePage()}) }},
		{Path: "bad/empty.pdf", Sniff: "text", Reason: "empty_file",
			Tests: "0 bytes",
			data:  func() []byte { return []byte{} }},
		{Path: "bad/cv-photo.pdf", Sniff: "image", Reason: "image_file",
			Tests: "a PNG renamed .pdf: the extension must not be trusted",
			data:  pngScan},
		{Path: "bad/zip-bomb.docx", Sniff: "docx", Reason: "decompression_cap",
			Tests: "word/document.xml inflates to 80 MiB (past the 64 MiB default cap) from a small file",
			data:  func() []byte { return synth.ZipBombDOCX(80 << 20) }},
		{Path: "bad/not-a-zip.docx", Sniff: "docx", Reason: "corrupt",
			Tests: "a zip local-file signature followed by garbage: no central directory",
			data:  notAZip},
		{Path: "bad/portfolio.docx", Sniff: "zip", Reason: "unsupported_format",
			Tests: "a real zip named .docx with no word/document.xml",
			data: func() []byte {
				return plainZip([][2]string{{"portfolio/README.txt", "Photos of my work, see attached.\n"}, {"portfolio/kitchen.txt", "Kitchen refit, 2025.\n"}})
			}},
		{Path: "bad/mixed-encoding.txt", Sniff: "text", Reason: "invalid_encoding",
			Tests: "UTF-8 text (é, –) with stray 0xFF/0xFE bytes and a Windows-1252 fragment (0xA3 £, 0x93/0x94 quotes, undefined 0x81) spliced in: valid in no single encoding",
			data:  mixedEncoding},
		{Path: "bad/truncated-resume.json", Sniff: "jsonresume", Reason: "malformed",
			Tests: "a JSON Resume cut off mid-object (sniffed as a JSON Resume by its \"basics\" key, then fails to parse)",
			data:  func() []byte { j := JSONResume(ewan()); return j[:len(j)*3/5] }},
		{Path: "bad/ats-export.json", Sniff: "json", Reason: "malformed",
			Tests: "valid JSON that is not a JSON Resume (an ATS API dump with no \"basics\")",
			data:  atsExport},
		{Path: "bad/old-cv.doc", Sniff: "doc", Reason: "legacy_doc",
			Tests: "Word 97-2003 OLE2 compound file header (D0 CF 11 E0 A1 B1 1A E1) and padding",
			data:  legacyDoc},
	}
	for i := range es {
		es[i].Channel = channelOf(es[i].Path)
	}
	return es
}

// WriteInbox writes every Manifest file under dir, creating folders as needed.
// Files already there are overwritten; other files are left alone.
func WriteInbox(dir string) error {
	for _, e := range Manifest() {
		path := filepath.Join(dir, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, e.Data(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func parseYM(ym string, y, m *int) { fmt.Sscanf(ym, "%d-%d", y, m) }

func itoa(n int) string { return strconv.Itoa(n) }

// linkedInPDF writes a LinkedIn-style profile PDF.
func linkedInPDF(c Candidate) []byte {
	left, right := linkedInLines(c)
	return synth.PDF(twoColumnPages(left, right))
}

// applicant is a random job seeker for the exports, with a phone number from a block
// no persona uses so no two inbox people share one by accident.
func applicant(seed uint64, sector Sector, phone int) Candidate {
	c := newCandidate(seed, Options{Sector: sector, Phone: FormatPhone(900000+phone, int(seed%5))})
	return c
}

// atsExport is an applicant-tracking system's JSON: valid JSON, not a JSON Resume.
func atsExport() []byte {
	return []byte(`{
  "candidates": [
    {
      "id": 48213907,
      "first_name": "Imogen",
      "last_name": "Hartley",
      "email_addresses": [{"value": "imogen.hartley@example.org", "type": "personal"}],
      "phone_numbers": [{"value": "07700 900997", "type": "mobile"}],
      "applications": [{"id": 99120331, "job": "Bookkeeper", "status": "active"}],
      "created_at": "2026-11-17T10:42:00Z"
    }
  ],
  "next_page": null
}
`)
}

func notAZip() []byte {
	r := newRand(404)
	b := []byte("PK\x03\x04\x14\x00\x06\x00")
	for range 3000 {
		b = append(b, byte(r.IntN(256)))
	}
	return b
}

func mixedEncoding() []byte {
	text := Text(chloe())
	var b bytes.Buffer
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		b.WriteString(l)
		switch i {
		case 3:
			b.WriteString("Expected salary \xA324,000 \x93negotiable\x94\n") // Windows-1252 pasted into UTF-8
		case 6:
			b.Write([]byte{0xFF, 0xFE, 0x81})
			b.WriteString(" corrupted paste\n")
		}
	}
	return b.Bytes()
}

// wordHTML writes the CV as Word's "Save as Web Page" does.
func wordHTML(c Candidate) string {
	var b strings.Builder
	esc := func(s string) string {
		s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "£", "&pound;", "–", "&#8211;").Replace(s)
		return s
	}
	p := func(style, text string) {
		fmt.Fprintf(&b, "<p class=MsoNormal%s><span style='font-family:\"Calibri\",sans-serif'>%s<o:p></o:p></span></p>\n", style, text)
	}
	b.WriteString("<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\nxmlns:o=\"urn:schemas-microsoft-com:office:office\"\nxmlns:w=\"urn:schemas-microsoft-com:office:word\"\nxmlns=\"http://www.w3.org/TR/REC-html40\">\n\n")
	b.WriteString("<head>\n<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\n<meta name=Generator content=\"Microsoft Word 15 (filtered)\">\n")
	b.WriteString("<style>\n<!--\np.MsoNormal {margin:0cm; font-size:11.0pt;}\n-->\n</style>\n</head>\n\n<body lang=EN-GB style='word-wrap:break-word'>\n<div class=WordSection1>\n\n")
	fmt.Fprintf(&b, "<p class=MsoTitle><b><span style='font-size:20.0pt'>%s</span></b></p>\n", esc(c.Name()))
	for _, l := range c.contactLines() {
		p("", esc(l))
	}
	p("", "&nbsp;")
	for _, l := range c.mainLines(true) {
		switch {
		case strings.HasPrefix(l, "# "):
			fmt.Fprintf(&b, "<p class=MsoNormal><b><span style='font-size:13.0pt;color:#2F5496'>%s</span></b></p>\n", esc(strings.ToUpper(l[2:])))
		case l == "":
			p("", "&nbsp;")
		case strings.HasPrefix(l, c.bullet()):
			fmt.Fprintf(&b, "<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt'><span style='font-family:Symbol'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span>%s</p>\n", esc(strings.TrimPrefix(l, c.bullet())))
		default:
			p("", esc(l))
		}
	}
	b.WriteString("\n</div>\n\n</body>\n\n</html>\n")
	return b.String()
}

// The exports' time stamps: fixed, so regeneration is byte-identical.
var (
	exportDay = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
)

// Oversize returns a plain-text CV padded to exactly n bytes, for the too_large
// case: tests write it next to a config whose limits.max_file_bytes is below n,
// so no huge file is committed.
func Oversize(n int) []byte {
	b := []byte(Text(liam()))
	pad := []byte("Additional notes: references, certificates and training records available on request.\n")
	for len(b) < n {
		b = append(b, pad...)
	}
	return b[:n]
}
