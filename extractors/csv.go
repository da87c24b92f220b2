package extractors

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/cvetl/cvetl/profile"
)

func init() { Register(FormatCSV, csvExtractor{}) }

// CSV field targets: the values a CSVMapping's Columns may map a header to.
const (
	CSVFieldName        = "name"
	CSVFieldFirstName   = "first_name"
	CSVFieldLastName    = "last_name"
	CSVFieldEmail       = "email"
	CSVFieldPhone       = "phone"
	CSVFieldPostcode    = "postcode"
	CSVFieldTown        = "town"
	CSVFieldLocation    = "location" // free form such as "Leeds, LS1 4AP": split into town and postcode
	CSVFieldJobTitle    = "job_title"
	CSVFieldEmployer    = "employer"
	CSVFieldSkills      = "skills" // comma, semicolon or pipe separated
	CSVFieldDateOfBirth = "date_of_birth"
	CSVFieldNINumber    = "ni_number"
	CSVFieldLinkedIn    = "linkedin"
	CSVFieldURL         = "url"
	CSVFieldText        = "text"   // kept as a "Header: value" line of Part.Text, like FreeText
	CSVFieldIgnore      = "ignore" // dropped: ids, pipeline statuses, the vacancy applied for
)

var csvFieldTargets = map[string]bool{
	CSVFieldName: true, CSVFieldFirstName: true, CSVFieldLastName: true, CSVFieldEmail: true,
	CSVFieldPhone: true, CSVFieldPostcode: true, CSVFieldTown: true, CSVFieldLocation: true,
	CSVFieldJobTitle: true, CSVFieldEmployer: true, CSVFieldSkills: true, CSVFieldDateOfBirth: true,
	CSVFieldNINumber: true, CSVFieldLinkedIn: true, CSVFieldURL: true, CSVFieldText: true,
	CSVFieldIgnore: true,
}

// CSVMapping maps the header row of one source's applicant export to candidate fields.
// Header names match case-insensitively, ignoring surrounding spaces and treating "_"
// and "-" as spaces. Headers that no mapping names are kept as "Header: value" lines
// in Part.Text, so special-category answers in unknown columns still reach the
// classifiers; map a header to CSVFieldIgnore to drop it.
type CSVMapping struct {
	Name     string
	Columns  map[string]string // header → field (one of the CSVField… constants)
	FreeText []string          // headers kept as text: cover letters, screening answers, notes
}

// Validate reports a mapping that has no name or maps a header to an unknown field.
func (m CSVMapping) Validate() error {
	if strings.TrimSpace(m.Name) == "" {
		return errors.New("csv mapping: name is empty")
	}
	for h, f := range m.Columns {
		if csvHeaderKey(h) == "" {
			return fmt.Errorf("csv mapping %q: empty header name", m.Name)
		}
		if !csvFieldTargets[f] {
			return fmt.Errorf("csv mapping %q: header %q maps to unknown field %q", m.Name, h, f)
		}
	}
	return nil
}

// compiledCSVMapping is a mapping with normalised header keys.
type compiledCSVMapping struct {
	name string
	cols map[string]string
}

func compileCSVMapping(m CSVMapping) compiledCSVMapping {
	c := compiledCSVMapping{name: m.Name, cols: map[string]string{}}
	for h, f := range m.Columns {
		c.cols[csvHeaderKey(h)] = f
	}
	for _, h := range m.FreeText {
		if k := csvHeaderKey(h); k != "" {
			c.cols[k] = CSVFieldText
		}
	}
	return c
}

// Built-in applicant export shapes. No public sample of either export exists, so the
// headers follow the boards' documented column names.
var builtinCSVMappings = []CSVMapping{
	{
		// Indeed employer dashboard "Export candidates". "Job Title" there is the
		// vacancy applied for, not the candidate's own title, so it is dropped.
		Name: "indeed",
		Columns: map[string]string{
			"Name": CSVFieldName, "Email": CSVFieldEmail, "Phone": CSVFieldPhone,
			"Location": CSVFieldLocation, "Candidate Location": CSVFieldLocation,
			"Job Title": CSVFieldIgnore, "Job Location": CSVFieldIgnore,
			"Date Applied": CSVFieldIgnore, "Candidate Status": CSVFieldIgnore,
			"Status": CSVFieldIgnore, "Source": CSVFieldIgnore, "Interest Level": CSVFieldIgnore,
			"Resume": CSVFieldText,
		},
		FreeText: []string{"Relevant Experience", "Education", "Screener Questions & Answers",
			"Screener Questions", "Screener Answers", "Cover Letter", "Qualifications"},
	},
	{
		// Reed.co.uk / Totaljobs recruiter "Download applications" export.
		Name: "reed",
		Columns: map[string]string{
			"First Name": CSVFieldFirstName, "Last Name": CSVFieldLastName,
			"Email Address": CSVFieldEmail, "Mobile": CSVFieldPhone, "Telephone": CSVFieldPhone,
			"Home Phone": CSVFieldPhone, "Postcode": CSVFieldPostcode, "Town": CSVFieldTown,
			"Current Job Title": CSVFieldJobTitle, "Current Employer": CSVFieldEmployer,
			"Skills": CSVFieldSkills, "Applied Date": CSVFieldIgnore, "Application Date": CSVFieldIgnore,
			"Vacancy Title": CSVFieldIgnore, "Job Reference": CSVFieldIgnore,
			"Vacancy Reference": CSVFieldIgnore, "Application Status": CSVFieldIgnore,
		},
		FreeText: []string{"Cover Note", "Right to work", "Right To Work In UK", "Desired Job Title",
			"Salary Expectation", "Notice Period", "Screening Answers"},
	},
}

// csvGenericMapping applies to headers the selected mapping does not name, so a
// config mapping only needs the headers that are peculiar to its source.
var csvGenericMapping = compileCSVMapping(CSVMapping{Name: "generic", Columns: map[string]string{
	"name": CSVFieldName, "full name": CSVFieldName, "candidate name": CSVFieldName,
	"applicant name": CSVFieldName, "candidate": CSVFieldName, "applicant": CSVFieldName,
	"first name": CSVFieldFirstName, "forename": CSVFieldFirstName, "given name": CSVFieldFirstName,
	"firstname": CSVFieldFirstName, "last name": CSVFieldLastName, "surname": CSVFieldLastName,
	"family name": CSVFieldLastName, "lastname": CSVFieldLastName,
	"email": CSVFieldEmail, "e mail": CSVFieldEmail, "email address": CSVFieldEmail,
	"e mail address": CSVFieldEmail, "phone": CSVFieldPhone, "telephone": CSVFieldPhone,
	"tel": CSVFieldPhone, "mobile": CSVFieldPhone, "mobile number": CSVFieldPhone,
	"mobile phone": CSVFieldPhone, "phone number": CSVFieldPhone, "contact number": CSVFieldPhone,
	"postcode": CSVFieldPostcode, "post code": CSVFieldPostcode, "postal code": CSVFieldPostcode,
	"zip": CSVFieldPostcode, "zip code": CSVFieldPostcode, "town": CSVFieldTown,
	"city": CSVFieldTown, "location": CSVFieldLocation, "address": CSVFieldLocation,
	"candidate location": CSVFieldLocation, "job title": CSVFieldJobTitle,
	"current job title": CSVFieldJobTitle, "current role": CSVFieldJobTitle,
	"current position": CSVFieldJobTitle, "position": CSVFieldJobTitle,
	"employer": CSVFieldEmployer, "current employer": CSVFieldEmployer,
	"company": CSVFieldEmployer, "current company": CSVFieldEmployer,
	"skills": CSVFieldSkills, "key skills": CSVFieldSkills,
	"date of birth": CSVFieldDateOfBirth, "dob": CSVFieldDateOfBirth, "birth date": CSVFieldDateOfBirth,
	"ni number": CSVFieldNINumber, "national insurance number": CSVFieldNINumber,
	"national insurance no": CSVFieldNINumber, "nino": CSVFieldNINumber, "ni no": CSVFieldNINumber,
	"linkedin": CSVFieldLinkedIn, "linkedin url": CSVFieldLinkedIn, "linkedin profile": CSVFieldLinkedIn,
	"url": CSVFieldURL, "website": CSVFieldURL, "portfolio": CSVFieldURL,
	"cover letter": CSVFieldText, "cover note": CSVFieldText, "notes": CSVFieldText,
	"comments": CSVFieldText, "personal statement": CSVFieldText, "summary": CSVFieldText,
	"id": CSVFieldIgnore, "candidate id": CSVFieldIgnore, "applicant id": CSVFieldIgnore,
	"application id": CSVFieldIgnore, "date applied": CSVFieldIgnore, "applied date": CSVFieldIgnore,
	"application date": CSVFieldIgnore, "status": CSVFieldIgnore, "candidate status": CSVFieldIgnore,
	"stage": CSVFieldIgnore, "source": CSVFieldIgnore,
}})

var csvMappings = struct {
	sync.RWMutex
	builtin []compiledCSVMapping
	config  []compiledCSVMapping
}{}

func init() {
	for _, m := range builtinCSVMappings {
		csvMappings.builtin = append(csvMappings.builtin, compileCSVMapping(m))
	}
}

// RegisterCSVMapping adds a per-source mapping from configuration, replacing a
// configured mapping of the same name. A configured mapping named like a built-in
// one ("indeed", "reed") takes precedence over it. Safe for concurrent use.
func RegisterCSVMapping(m CSVMapping) error {
	if err := m.Validate(); err != nil {
		return err
	}
	c := compileCSVMapping(m)
	csvMappings.Lock()
	defer csvMappings.Unlock()
	for i := range csvMappings.config {
		if csvMappings.config[i].name == c.name {
			csvMappings.config[i] = c
			return nil
		}
	}
	csvMappings.config = append(csvMappings.config, c)
	return nil
}

// SetCSVMappings replaces every configured mapping (built-ins stay); nil clears them.
// Nothing changes if any mapping is invalid.
func SetCSVMappings(ms []CSVMapping) error {
	compiled := make([]compiledCSVMapping, 0, len(ms))
	seen := map[string]bool{}
	for _, m := range ms {
		if err := m.Validate(); err != nil {
			return err
		}
		if seen[m.Name] {
			return fmt.Errorf("csv mapping %q: defined twice", m.Name)
		}
		seen[m.Name] = true
		compiled = append(compiled, compileCSVMapping(m))
	}
	csvMappings.Lock()
	csvMappings.config = compiled
	csvMappings.Unlock()
	return nil
}

// CSVMappingNames lists the selectable mappings: configured ones, then built-ins.
func CSVMappingNames() []string {
	csvMappings.RLock()
	defer csvMappings.RUnlock()
	var names []string
	for _, m := range csvMappings.config {
		names = append(names, m.name)
	}
	for _, m := range csvMappings.builtin {
		names = append(names, m.name)
	}
	return names
}

type csvMappingKey struct{}

// WithCSVMapping forces the named mapping for applicant exports extracted with the
// returned context, instead of choosing by header match. The pipeline sets it from a
// source's configuration; an unknown name fails extraction with ReasonUnsupported.
func WithCSVMapping(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, csvMappingKey{}, name)
}

func lookupCSVMapping(name string) (compiledCSVMapping, bool) {
	csvMappings.RLock()
	defer csvMappings.RUnlock()
	for _, list := range [][]compiledCSVMapping{csvMappings.config, csvMappings.builtin} {
		for _, m := range list {
			if m.name == name {
				return m, true
			}
		}
	}
	return compiledCSVMapping{}, false
}

// selectCSVMapping picks the mapping that best explains the header. Only headers a
// mapping treats differently from the generic table count: a plain
// "Name,Email,Phone,Job Title" export must not be read as Indeed's (where Job Title is
// the vacancy). Ties go to configured mappings, then to registration order.
func selectCSVMapping(header []string) (compiledCSVMapping, int) {
	csvMappings.RLock()
	defer csvMappings.RUnlock()
	var best compiledCSVMapping
	bestScore := 0
	for _, list := range [][]compiledCSVMapping{csvMappings.config, csvMappings.builtin} {
		for _, m := range list {
			if s := csvMappingScore(m, header); s > bestScore {
				best, bestScore = m, s
			}
		}
	}
	if bestScore < 2 {
		return compiledCSVMapping{}, 0
	}
	return best, bestScore
}

func csvMappingScore(m compiledCSVMapping, header []string) int {
	score := 0
	seen := map[string]bool{}
	for _, h := range header {
		k := csvHeaderKey(h)
		if seen[k] {
			continue
		}
		seen[k] = true
		if f, ok := m.cols[k]; ok && f != csvGenericMapping.cols[k] {
			score++
		}
	}
	return score
}

// headerSeparators are read as spaces in a header; a Replacer is safe for concurrent use,
// so one serves every file and record.
var headerSeparators = strings.NewReplacer("_", " ", "-", " ", ".", " ")

// csvHeaderKey normalises a header name for matching.
func csvHeaderKey(h string) string {
	h = strings.TrimPrefix(h, "\uFEFF")
	h = strings.ToLower(strings.Trim(strings.TrimSpace(h), `"'*:`))
	h = headerSeparators.Replace(h)
	return strings.Join(strings.Fields(h), " ")
}

// csvColumnTargets resolves each header to a field: the mapping, then the generic
// table, then text.
func csvColumnTargets(m compiledCSVMapping, header []string) []string {
	targets := make([]string, len(header))
	for i, h := range header {
		k := csvHeaderKey(h)
		switch {
		case k == "":
			targets[i] = CSVFieldText
		case m.cols[k] != "":
			targets[i] = m.cols[k]
		case csvGenericMapping.cols[k] != "":
			targets[i] = csvGenericMapping.cols[k]
		default:
			targets[i] = CSVFieldText
		}
	}
	return targets
}

// delimitedHeaderKind classifies a header row by the columns the applicant and
// vacancy tables know; sniffDelimited asks it when the header has no obvious marker
// or has markers of both kinds. Unknown when too few headers are recognised.
func delimitedHeaderKind(cells []string) Format {
	applicant, vacancy, known := 0, 0, 0
	csvMappings.RLock()
	lists := append(append([]compiledCSVMapping{csvGenericMapping}, csvMappings.config...), csvMappings.builtin...)
	csvMappings.RUnlock()
	for _, c := range cells {
		k := csvHeaderKey(c)
		isApplicant := false
		for _, m := range lists {
			if f, ok := m.cols[k]; ok && f != CSVFieldIgnore && f != CSVFieldText {
				isApplicant = true
				break
			}
		}
		_, isVacancy := vacancyCSVColumns[k]
		if isApplicant {
			applicant++
		}
		if isVacancy {
			vacancy++
		}
		if isApplicant || isVacancy {
			known++
		}
	}
	if known < 3 || known*2 < len(cells) {
		return FormatUnknown
	}
	if vacancy > applicant {
		return FormatVacancyCSV
	}
	return FormatCSV
}

type csvExtractor struct{}

func (csvExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	var mapping compiledCSVMapping
	if name, ok := ctx.Value(csvMappingKey{}).(string); ok && name != "" {
		m, found := lookupCSVMapping(name)
		if !found {
			return nil, Errorf(ReasonUnsupported, "CSV mapping %q is not registered", name)
		}
		mapping = m
	}
	tab, err := readCSVTable(ctx, in.Data)
	if err != nil {
		return nil, err
	}
	if mapping.name == "" {
		mapping, _ = selectCSVMapping(tab.header)
	}
	targets := csvColumnTargets(mapping, tab.header)
	doc := &Document{Format: FormatCSV}
	for _, rec := range tab.rows {
		if p, ok := csvCandidateRow(tab.header, targets, rec); ok {
			doc.Parts = append(doc.Parts, p)
		}
	}
	if err := tab.finish(len(doc.Parts)); err != nil {
		return nil, err
	}
	doc.Problems = tab.problems // after finish: it appends the summary problem
	return doc, nil
}

// csvCandidateRow turns one good data row into a Part; false for a row of blanks.
func csvCandidateRow(header, targets []string, rec csvRecord) (Part, bool) {
	var (
		c                   profile.Candidate
		text                []string
		name, first, last   string
		title, employer     string
		postcode, town, loc string
	)
	addText := func(i int, v string) {
		h := strings.TrimSpace(strings.TrimPrefix(header[i], "\uFEFF"))
		if h == "" {
			h = fmt.Sprintf("Column %d", i+1)
		}
		text = append(text, h+": "+v)
	}
	blank := true
	for i, raw := range rec.fields {
		v := strings.TrimSpace(raw)
		if v == "" {
			continue
		}
		blank = false
		switch targets[i] {
		case CSVFieldIgnore:
		case CSVFieldName:
			name = csvFirstNonEmpty(name, v)
		case CSVFieldFirstName:
			first = csvFirstNonEmpty(first, v)
		case CSVFieldLastName:
			last = csvFirstNonEmpty(last, v)
		case CSVFieldEmail:
			found := false
			for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' }) {
				tok = strings.TrimPrefix(strings.Trim(tok, "<>\"'"), "mailto:")
				if strings.Contains(tok, "@") {
					c.Emails = csvAppendUnique(c.Emails, tok)
					found = true
				}
			}
			if !found {
				addText(i, v)
			}
		case CSVFieldPhone:
			// Raw: the classifiers normalise to E.164 with the source's region.
			for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '/' || r == ',' || r == '\n' }) {
				if tok = strings.TrimSpace(tok); tok != "" {
					c.Phones = csvAppendUnique(c.Phones, tok)
				}
			}
		case CSVFieldPostcode:
			postcode = csvFirstNonEmpty(postcode, csvNormalisePostcode(v))
		case CSVFieldTown:
			town = csvFirstNonEmpty(town, v)
		case CSVFieldLocation:
			loc = csvFirstNonEmpty(loc, v)
		case CSVFieldJobTitle:
			title = csvFirstNonEmpty(title, v)
		case CSVFieldEmployer:
			employer = csvFirstNonEmpty(employer, v)
		case CSVFieldSkills:
			c.Skills = csvAppendSkills(c.Skills, v)
		case CSVFieldDateOfBirth:
			if d, ok := csvNormaliseDate(v); ok && c.DateOfBirth == nil {
				c.DateOfBirth = &d
			} else if !ok {
				addText(i, v) // let the classifiers try a form we do not parse
			}
		case CSVFieldNINumber:
			ni := strings.ToUpper(strings.Join(strings.Fields(v), ""))
			if csvNINumberRE.MatchString(ni) && c.NINumber == nil {
				c.NINumber = &ni
			} else if !csvNINumberRE.MatchString(ni) {
				addText(i, v)
			}
		case CSVFieldLinkedIn, CSVFieldURL:
			for _, u := range strings.Fields(v) {
				c.Links = csvAppendUnique(c.Links, u)
			}
		default:
			addText(i, v)
		}
	}
	if blank {
		return Part{}, false
	}
	if name == "" {
		name = strings.TrimSpace(first + " " + last)
	}
	if loc != "" {
		lt, lp := csvSplitLocation(loc)
		town, postcode = csvFirstNonEmpty(town, lt), csvFirstNonEmpty(postcode, lp)
	}
	c.Name, c.Postcode, c.Town = csvStrPtr(name), csvStrPtr(postcode), csvStrPtr(town)
	if title != "" || employer != "" {
		c.Employment = []profile.Employment{{Title: title, Employer: employer}}
	}
	return Part{Origin: fmt.Sprintf("row %d", rec.n), Text: strings.Join(text, "\n"), Fields: c}, true
}

// ---- delimited table reading, shared with the vacancy CSV extractor ----

// csvMaxProblems caps listed bad rows; a wholly misaligned file would otherwise list
// one problem per line.
const csvMaxProblems = 200

// csvMaxRestarts caps re-reads after an unbalanced quote swallowed the rest of the file.
const csvMaxRestarts = 16

type csvRecord struct {
	n          int // 1-based data row, counting bad rows too so numbers match the file
	fields     []string
	start, end int // the record's bytes in the decoded text, line end included
}

type csvTable struct {
	header     []string
	rows       []csvRecord
	problems   []Problem
	dataRows   int
	badRows    int
	extraLines []int // bad rows beyond csvMaxProblems
	restarts   int   // times reading resumed after a quote ran to the end of the file
}

// finish adds the summary problem and fails the file when nothing usable came out.
func (t *csvTable) finish(good int) error {
	if len(t.extraLines) > 0 {
		t.problems = append(t.problems, Problem{Origin: fmt.Sprintf("line %d", t.extraLines[0]),
			Reason: ReasonBadRows, Detail: fmt.Sprintf("%d more bad rows not listed", len(t.extraLines))})
	}
	switch {
	case good > 0:
		return nil
	case t.badRows > 0:
		return Errorf(ReasonBadRows, "none of %d data rows has the header's %d fields", t.dataRows, len(t.header))
	default:
		return Errorf(ReasonNoText, "no data rows under the header")
	}
}

func (t *csvTable) bad(line int, detail string) {
	t.badRows++
	if len(t.problems) >= csvMaxProblems {
		t.extraLines = append(t.extraLines, line)
		return
	}
	t.problems = append(t.problems, Problem{Origin: fmt.Sprintf("line %d", line), Reason: ReasonBadRows, Detail: detail})
}

// readCSVTable decodes and parses a delimited export. Rows whose field count differs
// from the header's become problems reported by the physical line they start on.
func readCSVTable(ctx context.Context, data []byte) (*csvTable, error) {
	text, err := csvDecodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, Errorf(ReasonNoText, "only blank lines")
	}
	if !strings.Contains(text, "\n") {
		// Classic Mac line ends; encoding/csv only splits on "\n".
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	delim := csvDetectDelimiter(text)
	t := &csvTable{}
	off, lineBase, restarts := 0, 0, 0
	for {
		restartAt := -1
		r := csv.NewReader(strings.NewReader(text[off:]))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = delim, -1, true
		for {
			if t.dataRows%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			before := r.InputOffset()
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var pe *csv.ParseError
				if !errors.As(err, &pe) || r.InputOffset() == before {
					return nil, Errorf(ReasonMalformed, "delimited text does not parse after line %d", lineBase+1)
				}
				t.dataRows++
				t.bad(lineBase+pe.StartLine, "quoting error")
				continue
			}
			line, _ := r.FieldPos(0)
			line += lineBase
			if t.header == nil {
				if len(rec) < 2 {
					return nil, Errorf(ReasonMalformed, "header row at line %d has one column", line)
				}
				t.header = rec
				continue
			}
			t.dataRows++
			if len(rec) == len(t.header) {
				t.rows = append(t.rows, csvRecord{n: t.dataRows, fields: rec,
					start: off + int(before), end: off + int(r.InputOffset())})
				continue
			}
			t.bad(line, fmt.Sprintf("%d fields, header has %d", len(rec), len(t.header)))
			after := r.InputOffset()
			span := strings.TrimRight(text[off+int(before):off+int(after)], "\r\n")
			if int(after) == len(text)-off && strings.Contains(span, "\n") && restarts < csvMaxRestarts {
				// An unbalanced quote ran this row to the end of the file: read on from
				// the next line so the rows it swallowed are not lost.
				restartAt = line
			}
		}
		if restartAt < 0 {
			break
		}
		next := csvLineOffset(text, off, restartAt-lineBase)
		if next < 0 || next >= len(text) {
			break
		}
		off, lineBase = next, restartAt
		restarts++
		t.restarts = restarts
	}
	if t.header == nil {
		return nil, Errorf(ReasonNoText, "no header row")
	}
	return t, nil
}

// csvLineOffset returns the byte offset in text of the start of the line after the
// n-th line counted from off (lines numbered from 1), or -1.
func csvLineOffset(text string, off, n int) int {
	for i := 0; i < n; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
}

// csvDetectDelimiter picks the separator that occurs most often outside quotes in the
// header record; ties prefer tab, comma, semicolon, pipe.
func csvDetectDelimiter(text string) rune {
	cands := []rune{'\t', ',', ';', '|'}
	counts := make([]int, len(cands))
	inQuote := false
	for i, r := range text {
		if i > 64<<10 {
			break
		}
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' {
			break
		}
		for j, c := range cands {
			if r == c {
				counts[j]++
			}
		}
	}
	best := 1 // comma when nothing is found: a one-column file
	for j := range cands {
		if counts[j] > counts[best] {
			best = j
		}
	}
	if counts[best] == counts[0] && counts[0] > 0 {
		best = 0
	}
	return cands[best]
}

// csvDecodeText returns the export as UTF-8: UTF-8 (BOM optional), UTF-16 (BOM
// optional), else Windows-1252, which is what Excel on Windows writes as "CSV".
func csvDecodeText(data []byte) (string, error) {
	if order, ok := bomlessUTF16(data); ok {
		data = append(utf16BOM(order), data...)
	}
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", Errorf(ReasonEncoding, "UTF-16 text does not decode")
		}
		data = out
	}
	if !utf8.Valid(data) {
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", Errorf(ReasonEncoding, "neither UTF-8 nor Windows-1252")
		}
		data = out
	}
	if n := bytes.Count(data, []byte{0}); n > 0 {
		if n > len(data)/100 {
			return "", Errorf(ReasonEncoding, "NUL bytes in text (UTF-16 without a BOM?)")
		}
		data = bytes.ReplaceAll(data, []byte{0}, nil)
	}
	return string(data), nil
}

// ---- value helpers, shared by the structured extractors ----

var (
	csvPostcodeRE = regexp.MustCompile(`(?i)\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b`)
	csvOutwardRE  = regexp.MustCompile(`(?i)^[A-Z]{1,2}[0-9][A-Z0-9]?$`)
	csvNINumberRE = regexp.MustCompile(`^[A-Z]{2}[0-9]{6}[A-D]?$`) // the column says NI number; HMRC examples use QQ
)

// csvNormalisePostcode upper-cases a UK postcode with one space; anything else is kept.
func csvNormalisePostcode(s string) string {
	s = strings.TrimSpace(s)
	compact := strings.Join(strings.Fields(s), " ")
	if m := csvPostcodeRE.FindStringSubmatch(compact); m != nil && len(m[0]) == len(compact) {
		return strings.ToUpper(m[1] + " " + m[2])
	}
	return compact
}

// csvSplitLocation splits "Leeds, LS1 4AP" or "Leeds LS6" into town and full postcode.
// The town is the first comma-separated segment ("Leeds, West Yorkshire" → Leeds).
func csvSplitLocation(loc string) (town, postcode string) {
	if m := csvPostcodeRE.FindStringSubmatchIndex(loc); m != nil {
		postcode = strings.ToUpper(loc[m[2]:m[3]] + " " + loc[m[4]:m[5]])
		loc = loc[:m[0]] + " " + loc[m[1]:]
	}
	for _, seg := range strings.Split(loc, ",") {
		words := strings.Fields(seg)
		if len(words) > 1 && csvOutwardRE.MatchString(words[len(words)-1]) {
			words = words[:len(words)-1] // a district code on its own is not a postcode
		}
		if len(words) == 1 && csvOutwardRE.MatchString(words[0]) {
			continue
		}
		if t := strings.Join(words, " "); t != "" {
			return t, postcode
		}
	}
	return "", postcode
}

// csvDateLayouts are the date forms found in UK exports and feeds; numeric ones are
// read day first.
var csvDateLayouts = []string{
	"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006/01/02", "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006",
	"02/01/2006 15:04", "02/01/2006 15:04:05", "2/1/2006 15:04",
	"2 January 2006", "2 Jan 2006", "02 Jan 2006", "January 2, 2006", "Jan 2, 2006", "2-Jan-2006",
	time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)", time.RFC822, time.RFC822Z, time.RFC850, time.ANSIC,
	"Mon, 02 Jan 2006", "Mon, 2 Jan 2006",
}

// csvNormaliseDate returns s as YYYY-MM-DD when it is a whole date in a known form.
func csvNormaliseDate(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 64 {
		return "", false
	}
	for _, l := range csvDateLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() >= 1900 && t.Year() <= 2100 {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// csvAppendSkills adds a list such as "Go, SQL; Excel | Forklift" without duplicates.
func csvAppendSkills(dst []string, v string) []string {
	for _, s := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ';' || r == '|' || r == '\n' || r == '•'
	}) {
		dst = csvAppendUnique(dst, strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "-*")))
	}
	return dst
}

// csvAppendUnique appends non-empty s unless it is already present (case-insensitively).
func csvAppendUnique(dst []string, s string) []string {
	if s == "" {
		return dst
	}
	for _, d := range dst {
		if strings.EqualFold(d, s) {
			return dst
		}
	}
	return append(dst, s)
}

func csvFirstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// csvStrPtr returns nil for an empty string: absent values stay null.
func csvStrPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
