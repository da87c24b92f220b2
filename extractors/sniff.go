package extractors

import (
	"archive/zip"
	"bytes"
	"encoding/json"
)

// sniffWindow is how much of the start of a file the sniffers look at.
const sniffWindow = 8 << 10

// Sniff decides an input's format from its content alone.
func Sniff(data []byte) Format {
	head := data
	if len(head) > sniffWindow {
		head = head[:sniffWindow]
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return FormatLegacyDoc
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(head, []byte("GIF8")), bytes.HasPrefix(head, []byte("II*\x00")),
		bytes.HasPrefix(head, []byte("MM\x00*")):
		return FormatImage
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(data)
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return FormatPDF
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		// UTF-16 with BOM: an applicant export saved from Excel, or a text CV.
		if f := sniffDelimited(utf16Head(head)); f != FormatUnknown {
			return f
		}
		return FormatText
	}
	if order, ok := bomlessUTF16(data); ok {
		// Sniffed as if it had its BOM; the text and CSV decoders detect it likewise.
		return Sniff(append(utf16BOM(order), head...))
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(trimmed) == 0 {
		return FormatText
	}
	if bytes.HasPrefix(trimmed, []byte(`{\rtf`)) {
		return FormatRTF
	}
	switch trimmed[0] {
	case '{', '[':
		return sniffJSON(data)
	case '<':
		return sniffMarkup(trimmed)
	}
	if looksLikeEmail(trimmed) {
		return FormatEML
	}
	if f := sniffDelimited(trimmed); f != FormatUnknown {
		return f
	}
	if looksBinary(trimmed) {
		return FormatUnknown
	}
	return FormatText
}

func sniffZip(data []byte) Format {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		// A zip signature on a broken archive: let the DOCX extractor report it.
		return FormatDOCX
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return FormatDOCX
		}
	}
	return FormatZip
}

func sniffJSON(data []byte) Format {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(body) > 0 && body[0] == '[' {
		return sniffJSONArray(body)
	}
	if looksLikeJSONLines(body) {
		return FormatJSONLines
	}
	var probe struct {
		Basics json.RawMessage `json:"basics"`
	}
	err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), &probe)
	switch {
	case err == nil && probe.Basics != nil:
		return FormatJSONResume
	case err != nil && bytes.Contains(data[:min(len(data), sniffWindow)], []byte(`"basics"`)):
		// A broken JSON Resume: its extractor reports the line and column.
		return FormatJSONResume
	}
	return FormatJSON
}

// sniffJSONArray calls an array whose first element is an object an export of
// records; only the head is read.
func sniffJSONArray(body []byte) Format {
	dec := json.NewDecoder(bytes.NewReader(body[:min(len(body), sniffWindow)]))
	if _, err := dec.Token(); err != nil {
		return FormatJSON
	}
	if tok, err := dec.Token(); err == nil && tok == json.Delim('{') {
		return FormatJSONArray
	}
	return FormatJSON
}

// jsonLinesProbe is how many non-blank lines looksLikeJSONLines examines.
const jsonLinesProbe = 5

// looksLikeJSONLines reports JSON Lines: the first non-blank line starts with '{' in
// column 1 and does not open a multi-line value, and of the first few non-blank lines at least two do and one is a whole
// JSON object, so one broken record does not hide the export's form. A pretty-printed
// object fails: its first line is a lone "{" and its members are indented. A file of
// one line holding one flat object is a JSON Lines export of one record. A record
// may be longer than the sniff window, so whole lines are read.
func looksLikeJSONLines(body []byte) bool {
	var objectLike [][]byte
	lines := 0
	for rest := body; len(rest) > 0 && lines < jsonLinesProbe; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) == 0 {
			continue
		}
		lines++
		if lines == 1 && (line[0] != '{' || bytes.IndexByte([]byte("{[,:"), line[len(line)-1]) >= 0) {
			return false // "{" alone, or "{ "candidates": [": one multi-line document
		}
		if line[0] == '{' {
			objectLike = append(objectLike, line)
		}
	}
	if lines == 1 && len(objectLike) == 1 {
		return singleFlatRecord(objectLike[0])
	}
	if len(objectLike) < 2 {
		return false // validated only now: a one-line document may be the whole file
	}
	for _, line := range objectLike {
		if line[len(line)-1] == '}' && json.Valid(line) {
			return true
		}
	}
	return false
}

// singleFlatRecord reports a file whose only non-blank line is one whole JSON object
// without a top-level "basics" member: a JSON Lines export of one flat record, read as
// "line 1" like any longer export. A one-line JSON Resume stays a single document.
func singleFlatRecord(line []byte) bool {
	if line[len(line)-1] != '}' {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(line, &probe) != nil {
		return false
	}
	_, resume := probe["basics"]
	return !resume
}

func sniffMarkup(head []byte) Format {
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("<source")) && bytes.Contains(lower, []byte("<job")):
		return FormatVacancyXML
	case bytes.Contains(lower, []byte("<html")), bytes.Contains(lower, []byte("<!doctype html")),
		bytes.Contains(lower, []byte("<body")), bytes.Contains(lower, []byte("<div")),
		bytes.Contains(lower, []byte("<p>")):
		return FormatHTML
	}
	return FormatUnknown
}

// looksLikeEmail reports whether the head is an RFC 5322 header block.
func looksLikeEmail(head []byte) bool {
	end := bytes.Index(head, []byte("\n\n"))
	if e := bytes.Index(head, []byte("\r\n\r\n")); e >= 0 && (end < 0 || e < end) {
		end = e
	}
	if end < 0 {
		return false
	}
	block := bytes.ToLower(head[:end])
	hasFrom := bytes.HasPrefix(block, []byte("from:")) || bytes.Contains(block, []byte("\nfrom:"))
	hasMIME := bytes.Contains(block, []byte("mime-version:")) || bytes.Contains(block, []byte("content-type:"))
	// Every non-continuation line of a header block is "Name: value".
	for _, line := range bytes.Split(block, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || bytes.ContainsAny(line[:colon], " \t") {
			return false
		}
	}
	return hasFrom && hasMIME
}

// sniffDelimited recognises a CSV/TSV export by a header row with several columns
// and header-like names.
func sniffDelimited(head []byte) Format {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	first = bytes.ToLower(bytes.TrimRight(first, "\r"))
	var delim byte
	for _, d := range []byte{'\t', ',', ';'} {
		if bytes.Count(first, []byte{d}) >= 2 {
			delim = d
			break
		}
	}
	if delim == 0 || len(first) > 4096 {
		return FormatUnknown
	}
	cols := bytes.Split(first, []byte{delim})
	hasEmail, hasVacancy := false, false
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = string(c)
		c = bytes.Trim(bytes.TrimSpace(c), `"`)
		if len(c) > 60 {
			return FormatUnknown // prose with commas, not a header row
		}
		if bytes.Contains(c, []byte("mail")) {
			hasEmail = true
		}
		for _, v := range [][]byte{[]byte("vacancy"), []byte("job_id"), []byte("job id"), []byte("salary"), []byte("closing")} {
			if bytes.Contains(c, v) {
				hasVacancy = true
			}
		}
	}
	switch {
	case hasEmail && !hasVacancy:
		return FormatCSV
	case hasVacancy && !hasEmail:
		return FormatVacancyCSV
	}
	// Markers of both kinds (a vacancy feed with a contact e-mail, an applicant
	// export with the vacancy applied for) or of neither (a configured mapping's
	// headers): let the known header tables decide.
	if f := delimitedHeaderKind(cells); f != FormatUnknown {
		return f
	}
	if hasEmail {
		return FormatCSV
	}
	return FormatUnknown
}

// looksBinary reports control bytes that no text format contains.
func looksBinary(head []byte) bool {
	n := 0
	for _, b := range head {
		if b == 0 || (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
			n++
		}
	}
	return n > len(head)/100+1
}

// utf16Head decodes the ASCII of a UTF-16 head, enough to read a header row.
func utf16Head(head []byte) []byte {
	little := head[0] == 0xFF
	out := make([]byte, 0, len(head)/2)
	for i := 2; i+1 < len(head); i += 2 {
		lo, hi := head[i], head[i+1]
		if !little {
			lo, hi = hi, lo
		}
		if hi != 0 {
			out = append(out, '?')
			continue
		}
		out = append(out, lo)
	}
	return out
}
