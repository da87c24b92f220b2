package rawedit

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/extractors"
)

// export is a fictional applicant export with the shapes a cut must keep: a BOM, CRLF
// line ends, a quoted field over two lines, a blank line, a malformed row (counted in
// the numbering, never cut) and no line end after the last row.
const export = "\xEF\xBB\xBFName,Email,Phone,Cover Letter\r\n" +
	"Alice Fictional,alice.fictional@example.com,07700 900111,\"Two lines\r\nof letter\"\r\n" +
	"Bruno Madeup,bruno.madeup@example.com,07700 900222,Keen\r\n" +
	"\r\n" +
	"Broken,row\r\n" +
	"Carla Invented,carla.invented@example.com,07700 900333,Nights\r\n" +
	"Dara Unreal,dara.unreal@example.com,07700 900444,Days"

// rowsOf extracts the export as ingest does and returns each part's origin and name.
func rowsOf(t *testing.T, data string) map[string]string {
	t.Helper()
	doc, err := extractors.Extract(context.Background(), extractors.Input{Name: "export.csv", Data: []byte(data)}, extractors.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range doc.Parts {
		if p.Fields.Name != nil {
			out[p.Origin] = *p.Fields.Name
		}
	}
	return out
}

func TestCutRemovesOnlyTheRowsAskedFor(t *testing.T) {
	ctx := context.Background()
	before := rowsOf(t, export)
	if before["row 2"] != "Bruno Madeup" || before["row 4"] != "Carla Invented" || before["row 5"] != "Dara Unreal" {
		t.Fatalf("the extractor numbers the rows differently than this test assumes: %v", before)
	}
	cases := []struct {
		rows []int
		want string
	}{
		{[]int{2}, strings.Replace(export, "Bruno Madeup,bruno.madeup@example.com,07700 900222,Keen\r\n", "", 1)},
		{[]int{1}, strings.Replace(export, "Alice Fictional,alice.fictional@example.com,07700 900111,\"Two lines\r\nof letter\"\r\n", "", 1)},
		{[]int{4}, strings.Replace(export, "Carla Invented,carla.invented@example.com,07700 900333,Nights\r\n", "", 1)},
		{[]int{5}, strings.TrimSuffix(export, "Dara Unreal,dara.unreal@example.com,07700 900444,Days")},
		{[]int{5, 2}, strings.Replace(strings.TrimSuffix(export, "Dara Unreal,dara.unreal@example.com,07700 900444,Days"),
			"Bruno Madeup,bruno.madeup@example.com,07700 900222,Keen\r\n", "", 1)},
	}
	for _, c := range cases {
		got, left, err := Cut(ctx, []byte(export), c.rows)
		if err != nil {
			t.Fatalf("cut %v: %v", c.rows, err)
		}
		if string(got) != c.want {
			t.Errorf("cut %v:\n%q\nwant\n%q", c.rows, got, c.want)
		}
		if left != 5-len(c.rows) {
			t.Errorf("cut %v: %d data rows left, want %d", c.rows, left, 5-len(c.rows))
		}
	}
}

func TestCutRefusesWhatItCannotCutExactly(t *testing.T) {
	ctx := context.Background()
	cp1252 := []byte("Name,Email,Town\nJos\xe9 Fict\xedcio,jose@example.com,Leeds\nAna Irreal,ana@example.com,York\n")
	for name, c := range map[string]struct {
		data string
		rows []int
	}{
		"a malformed row":          {export, []int{3}},
		"a row past the end":       {export, []int{9}},
		"Windows-1252 bytes":       {string(cp1252), []int{1}},
		"not a CSV":                {"Alice Fictional\nalice.fictional@example.com\nPython, SQL\n", []int{1}},
		"a JSON Resume":            {`{"basics":{"name":"Alice Fictional","email":"alice.fictional@example.com"}}`, []int{1}},
		"classic Mac line ends":    {"Name,Email,Town\rA B,a@example.com,Leeds\rC D,c@example.com,York\r", []int{1}},
		"UTF-16 with a byte order": {"\xFF\xFEN\x00,\x00E\x00\n\x00", []int{1}},
		"an empty file":            {"", []int{1}},
	} {
		if _, _, err := Cut(ctx, []byte(c.data), c.rows); !errors.Is(err, ErrNotRecords) {
			t.Errorf("%s: err %v, want ErrNotRecords", name, err)
		}
	}
}

func TestLineageMapsRowsBothWays(t *testing.T) {
	l, err := NewLineage([]string{"row 4", "row 2"})
	if err != nil {
		t.Fatal(err)
	}
	// Ingested rows 1..6 with 2 and 4 cut: the file now holds 1, 3, 5, 6 as rows 1..4.
	for ingested, current := range map[int]int{1: 1, 3: 2, 5: 3, 6: 4} {
		if got, ok := l.Current(ingested); !ok || got != current {
			t.Errorf("Current(%d) = %d, %v; want %d", ingested, got, ok, current)
		}
		if got := l.Ingested(current); got != ingested {
			t.Errorf("Ingested(%d) = %d, want %d", current, got, ingested)
		}
	}
	if _, ok := l.Current(4); ok || !l.Removed(2) || l.Removed(3) {
		t.Error("a cut row is reported present, or a kept one cut")
	}
	if got := l.IngestedOrigin("row 3"); got != "row 5" {
		t.Errorf("IngestedOrigin(row 3) = %q", got)
	}
	if got := l.IngestedOrigin("attachment cv.pdf"); got != "attachment cv.pdf" {
		t.Errorf("IngestedOrigin of a non-row = %q", got)
	}
	if got := l.With(1, 4).Origins(); !slices.Equal(got, []string{"row 1", "row 2", "row 4"}) {
		t.Errorf("With: %v", got)
	}
	if _, err := NewLineage([]string{"attachment a.csv"}); err == nil {
		t.Error("a non-row origin was accepted")
	}
	if _, err := NewLineage([]string{"row 3", "line 4"}); err == nil {
		t.Error("rows and lines were accepted in one lineage")
	}
	if _, ok := RowOrigin("line 3"); ok {
		t.Error("RowOrigin accepted a line")
	}
	for _, o := range []string{"row 0", "row -1", "row 01", "row x", "attachment a.csv row 2", "row 3 "} {
		if _, ok := RowOrigin(o); ok {
			t.Errorf("RowOrigin(%q) accepted", o)
		}
	}
}

// TestCutThenExtractKeepsTheOtherApplicants: what ingest reads from the cut file is the
// other applicants' rows, each at the position the lineage says.
func TestCutThenExtractKeepsTheOtherApplicants(t *testing.T) {
	ctx := context.Background()
	before := rowsOf(t, export)
	out, _, err := Cut(ctx, []byte(export), []int{2})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := NewLineage([]string{"row 2"})
	after := rowsOf(t, string(out))
	if len(after) != len(before)-1 {
		t.Fatalf("after the cut %d parts, before %d", len(after), len(before))
	}
	for origin, name := range after {
		if before[l.IngestedOrigin(origin)] != name {
			t.Errorf("%s of the cut file is %q, but %s was %q", origin, name, l.IngestedOrigin(origin), before[l.IngestedOrigin(origin)])
		}
	}
}
