package rawedit

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// jsonlExport is a fictional JSON Lines export with the shapes a cut must keep: a BOM,
// CRLF line ends, a blank line and a broken line (counted in the numbering, never
// cut), a JSON Resume among flat records and no line end after the last record.
const jsonlExport = "\xEF\xBB\xBF{\"name\":\"Alice Fictional\",\"email\":\"alice.fictional@example.com\"}\r\n" +
	"{\"basics\":{\"name\":\"Bruno Madeup\",\"email\":\"bruno.madeup@example.com\"}}\r\n" +
	"\r\n" +
	"{\"name\":\"Broken\",\r\n" +
	"{\"name\":\"Carla Invented\",\"email\":\"carla.invented@example.com\",\"notes\":\"Nights\"}\r\n" +
	"{\"name\":\"Dara Unreal\",\"email\":\"dara.unreal@example.com\"}"

func TestCutJSONLinesRemovesWholeLines(t *testing.T) {
	ctx := context.Background()
	before := rowsOf(t, jsonlExport)
	if before["line 2"] != "Bruno Madeup" || before["line 5"] != "Carla Invented" || before["line 6"] != "Dara Unreal" {
		t.Fatalf("the extractor numbers the lines differently than this test assumes: %v", before)
	}
	line := func(n int) string { return strings.SplitAfter(jsonlExport, "\n")[n-1] }
	cases := []struct {
		lines []int
		want  string
	}{
		{[]int{2}, strings.Replace(jsonlExport, line(2), "", 1)},
		{[]int{1}, "\xEF\xBB\xBF" + strings.TrimPrefix(jsonlExport, line(1))},
		{[]int{6}, strings.TrimSuffix(jsonlExport, line(6))},
		{[]int{6, 2}, strings.Replace(strings.TrimSuffix(jsonlExport, line(6)), line(2), "", 1)},
	}
	for _, c := range cases {
		got, left, err := CutRecords(ctx, []byte(jsonlExport), UnitLine, c.lines)
		if err != nil {
			t.Fatalf("cut %v: %v", c.lines, err)
		}
		if string(got) != c.want {
			t.Errorf("cut %v:\n%q\nwant\n%q", c.lines, got, c.want)
		}
		if left != 4-len(c.lines) {
			t.Errorf("cut %v: %d records left, want %d", c.lines, left, 4-len(c.lines))
		}
		// What ingest reads from the cut file is the others, where the lineage says.
		l, err := NewLineage(nil)
		if err != nil {
			t.Fatal(err)
		}
		l = l.With(c.lines...).In(UnitLine)
		after := rowsOf(t, string(got))
		if len(after) != len(before)-len(c.lines) {
			t.Fatalf("cut %v: %d candidates after, %d before", c.lines, len(after), len(before))
		}
		for origin, name := range after {
			if before[l.IngestedOrigin(origin)] != name {
				t.Errorf("cut %v: %s of the cut file is %q, but %s was %q", c.lines, origin, name, l.IngestedOrigin(origin), before[l.IngestedOrigin(origin)])
			}
		}
	}
}

func TestCutJSONLinesRefusesWhatItCannotCutExactly(t *testing.T) {
	ctx := context.Background()
	two := "{\"name\":\"Alice Fictional\",\"email\":\"a@example.com\"}\n{\"basics\":{\"name\":\"Bruno Madeup\",\"email\":\"b@example.com\"}}\n"
	for name, c := range map[string]struct {
		data  string
		unit  string
		lines []int
	}{
		"a blank line":                      {jsonlExport, UnitLine, []int{3}},
		"a broken line":                     {jsonlExport, UnitLine, []int{4}},
		"a line past the end":               {jsonlExport, UnitLine, []int{9}},
		"one JSON Resume left is not JSONL": {two, UnitLine, []int{1}},
		"a JSON array":                      {`[{"name":"Alice Fictional"},{"name":"Bruno Madeup"}]`, UnitLine, []int{1}},
		"a CSV counted in lines":            {"Name,Email\nA B,a@example.com\nC D,c@example.com\n", UnitLine, []int{2}},
		"JSON Lines counted in rows":        {jsonlExport, UnitRow, []int{2}},
		"JSON Lines counted in records":     {jsonlExport, UnitRecord, []int{2}},
		"an unknown unit":                   {jsonlExport, "element", []int{2}},
	} {
		if _, _, err := CutRecords(ctx, []byte(c.data), c.unit, c.lines); !errors.Is(err, ErrNotRecords) {
			t.Errorf("%s: err %v, want ErrNotRecords", name, err)
		}
	}
}

func TestLineageOfLines(t *testing.T) {
	l, err := NewLineage([]string{"line 4", "line 2"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Unit() != UnitLine || l.IngestedOrigin("line 3") != "line 5" || l.IngestedOrigin("row 3") != "row 3" {
		t.Errorf("unit %q, line 3 -> %q, row 3 -> %q", l.Unit(), l.IngestedOrigin("line 3"), l.IngestedOrigin("row 3"))
	}
	if got := strings.Join(l.With(1).Origins(), ","); got != "line 1,line 2,line 4" {
		t.Errorf("With: %s", got)
	}
}

// TestCutJSONLinesLeavingOneFlatRecord: a JSON Lines export of one flat record reads as
// JSON Lines (origin "line 1"), so a cut that leaves one is made.
func TestCutJSONLinesLeavingOneFlatRecord(t *testing.T) {
	two := "{\"name\":\"Alice Fictional\",\"email\":\"a@example.com\"}\n{\"name\":\"Bruno Madeup\",\"email\":\"b@example.com\"}\n"
	got, left, err := CutRecords(context.Background(), []byte(two), UnitLine, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.SplitAfter(two, "\n")[1]; string(got) != want || left != 1 {
		t.Errorf("cut line 1: %q, %d left; want %q, 1", got, left, want)
	}
	if after := rowsOf(t, string(got)); len(after) != 1 || after["line 1"] != "Bruno Madeup" {
		t.Errorf("the rest reads as %v", after)
	}
}
