package extractors

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readJSONRecordsFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "jsonrecords", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// partSummary is one part as "origin|name|emails|town|postcode|employment|skills".
func partSummary(p Part) string {
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	var jobs []string
	for _, e := range p.Fields.Employment {
		jobs = append(jobs, e.Title+" at "+e.Employer)
	}
	return strings.Join([]string{p.Origin, str(p.Fields.Name), strings.Join(p.Fields.Emails, ","),
		str(p.Fields.Town), str(p.Fields.Postcode), strings.Join(jobs, ";"), strings.Join(p.Fields.Skills, ",")}, "|")
}

func TestJSONRecordsExtract(t *testing.T) {
	cases := []struct {
		file     string
		format   Format
		parts    []string
		problems []string // "origin reason"
	}{
		{"resumes.jsonl", FormatJSONLines, []string{
			"line 1|Tobias Wren|tobias.wren@example.com|Leeds|LS1 4AP|Warehouse Supervisor at Northgate Logistics|Forklift,Counterbalance,Reach truck",
			"line 2|Marisol Quint|marisol.quint@example.org|Bristol|BS1 5TR|Payroll Officer at Avonmere Council|Sage Payroll",
			"line 3|Deklan Forsythe|deklan.forsythe@example.net|Glasgow||Junior Developer at Clydebank Digital|Go,PostgreSQL,Docker",
		}, nil},
		{"applicants.json", FormatJSONArray, []string{
			"record 1|Rowena Blackwood|rowena.blackwood@example.com|Sheffield|S1 2HE|Care Assistant at Hallam Care Homes|Manual handling,Medication administration",
			"record 2|Idris Pemberton|idris.pemberton@example.org|Cardiff||Electrician at |18th Edition,PAT testing",
			"record 3|Saoirse Lindqvist|saoirse.lindqvist@example.net|Newcastle|NE1 7RU|Bookkeeper at |",
		}, nil},
		{"broken-line.jsonl", FormatJSONLines, []string{
			"line 1|Anwen Gallagher|anwen.gallagher@example.com|Swansea||Receptionist at |",
			"line 3|Lysander Pike|lysander.pike@example.com|Exeter||Chef de Partie at |",
		}, []string{"line 2 malformed"}},
		// A JSON Lines export of one flat record is read like a longer one.
		{"one-record.jsonl", FormatJSONLines, []string{
			"line 1|Ottilie Marchbank|ottilie.marchbank@example.com|Lincoln|LN1 3DY|Warehouse Operative at |Picking,Packing",
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data := readJSONRecordsFixture(t, c.file)
			if f := Sniff(data); f != c.format {
				t.Fatalf("sniffed as %s, want %s", f, c.format)
			}
			doc, err := Extract(context.Background(), Input{Name: c.file, Data: data}, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != c.format {
				t.Errorf("format %s", doc.Format)
			}
			var got []string
			for _, p := range doc.Parts {
				got = append(got, partSummary(p))
			}
			if strings.Join(got, "\n") != strings.Join(c.parts, "\n") {
				t.Errorf("parts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.parts, "\n"))
			}
			var probs []string
			for _, p := range doc.Problems {
				probs = append(probs, p.Origin+" "+string(p.Reason))
				if strings.Contains(p.Detail, "Fergus") || strings.Contains(p.Detail, "@") {
					t.Errorf("problem detail quotes the record: %q", p.Detail)
				}
			}
			if strings.Join(probs, ";") != strings.Join(c.problems, ";") {
				t.Errorf("problems %q, want %q", probs, c.problems)
			}
		})
	}
}

// Free-text values reach Part.Text with their key as heading, nested keys dotted, and
// the text is the same however often the record is read (key order is the file's).
func TestJSONRecordsFlatText(t *testing.T) {
	data := readJSONRecordsFixture(t, "applicants.json")
	doc, err := Extract(context.Background(), Input{Name: "a.json", Data: data}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Parts[0].Text; got != "cover_letter: I have five years of residential care experience and hold NVQ Level 3." {
		t.Errorf("record 1 text %q", got)
	}
	if got := doc.Parts[2].Text; got != "notes: Available from January.\naddress.line1: 12 Grey Street\naddress.city: Newcastle" {
		t.Errorf("record 3 text %q", got)
	}
	for i := 0; i < 5; i++ {
		again, _ := Extract(context.Background(), Input{Name: "a.json", Data: data}, DefaultLimits)
		if again.Parts[2].Text != doc.Parts[2].Text {
			t.Fatal("the text of a record changes between reads")
		}
	}
}

func TestJSONRecordsBadRecords(t *testing.T) {
	good := `{"name":"Ada Lin","email":"ada.lin@example.com"}`
	cases := []struct {
		name, data string
		origins    string // parts
		problems   string // "origin reason: detail"
		err        Reason // whole file refused
	}{
		{"syntax error placed by column", good + "\n{\"name\": x}\n", "line 1", "line 2 malformed: JSON syntax error at column 10", ""},
		{"not an object", good + "\n[1,2]\n\"text\"\n", "line 1", "line 2 malformed: a JSON array, not an object;line 3 malformed: a JSON string, not an object", ""},
		{"empty object", good + "\n{}\n{\"id\": 7, \"note\": \"  \"}\n", "line 1", "line 2 no_text: the record has no values;line 3 no_text: the record has no values", ""},
		{"two values on a line", good + "\n" + good + " " + good + "\n", "line 1", fmt.Sprintf("line 2 malformed: JSON syntax error at column %d", len(good)+2), ""},
		{"blank lines and CRLF keep physical numbering", "\r\n" + good + "\r\n\r\n" + good + "\r\n", "line 2,line 4", "", ""},
		{"an empty key after an empty object", "{}\n{\"\":\"x\"}\n", "line 2", "line 1 no_text: the record has no values", ""},
		{"no good record", "{\"a\": x}\n{\"b\": y}\n{}\n", "", "", ReasonBadRows},
		{"array: records after a syntax error are not read", "[" + good + ",\n {\"name\": x}, " + good + "]", "record 1",
			"record 2 malformed: JSON syntax error at line 2, column 11; the records after it are not read", ""},
		{"array: broken first record", `[{"name": x}, ` + good + `]`, "", "", ReasonMalformed},
		{"array: non-object element", "[" + good + ", 42, null]", "record 1", "record 2 malformed: a JSON number, not an object;record 3 malformed: a JSON null, not an object", ""},
		{"array: JSON Resume with a mistyped property", `[{"basics":{"name":"Bo Ek"},"work":"none"}, ` + good + `]`, "record 1,record 2",
			"record 1, property work malformed: JSON string where the schema expects an array", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := jsonRecordsExtractor{}.Extract(context.Background(), Input{Name: "x", Data: []byte(c.data)}, DefaultLimits)
			if c.err != "" {
				if ReasonOf(err) != c.err || doc != nil {
					t.Fatalf("err %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var origins, probs []string
			for _, p := range doc.Parts {
				origins = append(origins, p.Origin)
			}
			for _, p := range doc.Problems {
				probs = append(probs, fmt.Sprintf("%s %s: %s", p.Origin, p.Reason, p.Detail))
			}
			if strings.Join(origins, ",") != c.origins || strings.Join(probs, ";") != c.problems {
				t.Errorf("parts %q problems %q\nwant %q %q", origins, probs, c.origins, c.problems)
			}
		})
	}
}

// A configured CSV mapping applies to flat JSON records by key, as to CSV headers.
func TestJSONRecordsUseCSVMapping(t *testing.T) {
	defer SetCSVMappings(nil)
	if err := RegisterCSVMapping(CSVMapping{Name: "acme-ats", Columns: map[string]string{
		"Applicant": CSVFieldName, "Contact Mail": CSVFieldEmail, "Home Town": CSVFieldTown}}); err != nil {
		t.Fatal(err)
	}
	data := []byte("{\"applicant\":\"Ada Lin\",\"contact_mail\":\"ada.lin@example.com\",\"home_town\":\"York\"}\n" +
		"{\"applicant\":\"Bo Ek\",\"contact_mail\":\"bo.ek@example.com\",\"home_town\":\"Hull\"}\n")
	doc, err := Extract(WithCSVMapping(context.Background(), "acme-ats"), Input{Name: "x.jsonl", Data: data}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := partSummary(doc.Parts[1]); got != "line 2|Bo Ek|bo.ek@example.com|Hull|||" {
		t.Errorf("part %q", got)
	}
	if _, err := Extract(WithCSVMapping(context.Background(), "nope"), Input{Name: "x.jsonl", Data: data}, DefaultLimits); ReasonOf(err) != ReasonUnsupported {
		t.Errorf("unknown mapping: %v", err)
	}
}

func TestJSONRecordsProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"name":"Ada Lin","email":"ada.lin@example.com"}` + "\n")
	for i := 0; i < csvMaxProblems+7; i++ {
		b.WriteString("{\"broken\": \n")
	}
	doc, err := Extract(context.Background(), Input{Name: "x.jsonl", Data: []byte(b.String())}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	last := doc.Problems[len(doc.Problems)-1]
	if len(doc.Problems) != csvMaxProblems+1 || last.Detail != "7 more bad records not listed" || last.Origin != fmt.Sprintf("line %d", csvMaxProblems+2) {
		t.Errorf("%d problems, last %+v", len(doc.Problems), last)
	}
}

func TestJSONRecordsSniff(t *testing.T) {
	cases := map[string]Format{
		`{"basics":{"name":"Ada"}}`:                           FormatJSONResume,
		"{\n  \"basics\": {\"name\": \"Ada\"}\n}\n":           FormatJSONResume,
		`{"basics":{"name":"Ada"}}` + "\n":                    FormatJSONResume, // one line is one object
		`{"a":1}` + "\n" + `{"b":2}` + "\n":                   FormatJSONLines,
		"{\"a\": x}\n{\"b\":2}\n":                             FormatJSONLines, // a broken first record
		"\xEF\xBB\xBF[\n {\"name\":\"Ada\"}]":                 FormatJSONArray,
		`[{"basics":{"name":"Ada"}}]`:                         FormatJSONArray,
		`[1, 2]`:                                              FormatJSON,
		`[]`:                                                  FormatJSON,
		"{\n\"candidates\": [\n{\"a\":1},\n{\"b\":2}\n]\n}\n": FormatJSON,
		// One line holding one flat object: a JSON Lines export of one record, blank
		// lines and a BOM around it or not.
		`{"name":"Ada","email":"ada@example.com"}`:                       FormatJSONLines,
		"\xEF\xBB\xBF\n{\"name\":\"Ada\"}\r\n\n":                         FormatJSONLines,
		`{"basics":1,"name":"Ada"}`:                                      FormatJSONResume, // a broken resume, reported as one
		`{"name":"Ada"} {"name":"Bo"}`:                                   FormatJSON,
		`{"name": x}`:                                                    FormatJSON,
		"{\n  \"name\": \"Ada\",\n  \"email\": \"ada@example.com\"\n}\n": FormatJSON, // pretty-printed: not a record
	}
	for in, want := range cases {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzJSONRecords feeds the multi-record extractor directly (a panic fails the test
// rather than being recovered) and through Extract.
func FuzzJSONRecords(f *testing.F) {
	structuredSeeds(f, "jsonrecords")
	f.Add([]byte("[{\"a\":{\"b\":[{\"c\":[[1]]}]}}, \"x\", {\"basics\":null}]"))
	f.Add([]byte("{\"basics\":{}}\n{\"basics\":1}\n\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		in := Input{Name: "fuzz.jsonl", Data: data}
		doc, err := jsonRecordsExtractor{}.Extract(ctx, in, DefaultLimits)
		fuzzCheckDoc(t, doc, err)
		if err == nil {
			for _, p := range doc.Parts {
				if !strings.HasPrefix(p.Origin, "line ") && !strings.HasPrefix(p.Origin, "record ") {
					t.Fatalf("origin %q", p.Origin)
				}
			}
		}
		if f := Sniff(data); f == FormatJSONLines || f == FormatJSONArray {
			doc, err = Extract(ctx, in, DefaultLimits)
			fuzzCheckDoc(t, doc, err)
		}
	})
}

// BenchmarkJSONLinesExtract reads a 5,000-record JSON Lines export of flat records;
// bytes/op against the file size shows the file is not copied or parsed whole.
func BenchmarkJSONLinesExtract(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&sb, `{"candidate_id":%d,"first_name":"Test","last_name":"Person%d","email":"p%d@example.com","mobile":"07700 900%03d","location":"Leeds, LS1 4AP","skills":["Go","SQL"],"cover_letter":"Keen to work in logistics."}`+"\n", i, i, i, i%1000)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Extract(context.Background(), Input{Name: "bench.jsonl", Data: data}, DefaultLimits)
		if err != nil || len(doc.Parts) != 5000 {
			b.Fatalf("%v, %d parts", err, len(doc.Parts))
		}
	}
}
