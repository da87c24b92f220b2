package rawedit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// Fictional records for the array tests: a flat record, a JSON Resume, a bad element
// (a number: counted in the numbering, never cut), and flat records with nested values.
var (
	recAlice = `{"name": "Alice Fictional", "email": "alice.fictional@example.com", "skills": ["Go", "SQL"]}`
	recBruno = `{"basics": {"name": "Bruno Madeup", "email": "bruno.madeup@example.com"}}`
	recCarla = `{"name": "Carla Invented", "email": "carla.invented@example.com", "address": {"city": "York"}}`
	recDara  = `{"name":"Dara Unreal","email":"dara.unreal@example.com"}`
)

// arrayLayouts are the same four candidates (and one bad element) laid out as exports
// write them: pretty-printed with CRLF and a BOM, compact on one line, and with odd
// spacing around the commas.
var arrayLayouts = map[string][]string{
	"pretty":  {"\xEF\xBB\xBF[\r\n  ", ",\r\n  ", "\r\n]\r\n"},
	"compact": {"[", ",", "]"},
	"spaced":  {"  [ ", " ,\n\t", " ]\n"},
}

// layout joins elems as the layout writes an array: open, separator, close.
func layout(l []string, elems ...string) string {
	return l[0] + strings.Join(elems, l[1]) + l[2]
}

func TestCutJSONArrayRemovesWholeElements(t *testing.T) {
	ctx := context.Background()
	all := []string{recAlice, recBruno, "42", recCarla, recDara}
	for name, l := range arrayLayouts {
		data := layout(l, all...)
		before := rowsOf(t, data)
		if before["record 2"] != "Bruno Madeup" || before["record 4"] != "Carla Invented" || before["record 5"] != "Dara Unreal" {
			t.Fatalf("%s: the extractor numbers the records differently than this test assumes: %v", name, before)
		}
		cases := []struct {
			cut  []int
			want string
		}{
			{[]int{1}, layout(l, recBruno, "42", recCarla, recDara)},  // first
			{[]int{2}, layout(l, recAlice, "42", recCarla, recDara)},  // middle
			{[]int{5}, layout(l, recAlice, recBruno, "42", recCarla)}, // last
			{[]int{5, 1}, layout(l, recBruno, "42", recCarla)},        // both ends
			{[]int{4, 5}, layout(l, recAlice, recBruno, "42")},        // the last two
			{[]int{1, 2, 4, 5}, layout(l, "42")},                      // all but a bad one
		}
		for _, c := range cases {
			got, left, err := CutRecords(ctx, []byte(data), UnitRecord, c.cut)
			if len(c.cut) == 4 {
				// Only a bad element would be left: no candidate reads back, so refused.
				if !errors.Is(err, ErrNotRecords) {
					t.Errorf("%s: cut %v: err %v, want ErrNotRecords", name, c.cut, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: cut %v: %v", name, c.cut, err)
			}
			if string(got) != c.want {
				t.Errorf("%s: cut %v:\n%q\nwant\n%q", name, c.cut, got, c.want)
			}
			if left != 4-len(c.cut) {
				t.Errorf("%s: cut %v: %d records left, want %d", name, c.cut, left, 4-len(c.cut))
			}
			l := Lineage{}.With(c.cut...).In(UnitRecord)
			after := rowsOf(t, string(got))
			if len(after) != len(before)-len(c.cut) {
				t.Fatalf("%s: cut %v: %d candidates after, %d before", name, c.cut, len(after), len(before))
			}
			for origin, who := range after {
				if before[l.IngestedOrigin(origin)] != who {
					t.Errorf("%s: cut %v: %s of the cut file is %q, but %s was %q", name, c.cut, origin, who, l.IngestedOrigin(origin), before[l.IngestedOrigin(origin)])
				}
			}
		}
	}
}

// TestCutJSONArrayOnlyElement: the only element cut leaves an empty array, still valid
// JSON, with the file's own brackets and whitespace.
func TestCutJSONArrayOnlyElement(t *testing.T) {
	for name, l := range arrayLayouts {
		got, left, err := CutRecords(context.Background(), []byte(layout(l, recAlice)), UnitRecord, []int{1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := l[0] + l[2]; string(got) != want || left != 0 {
			t.Errorf("%s: %q, %d left; want %q, 0", name, got, left, want)
		}
		if !json.Valid(bytes.TrimPrefix(got, []byte("\xEF\xBB\xBF"))) {
			t.Errorf("%s: %q is not valid JSON", name, got)
		}
	}
}

func TestCutJSONArrayRefusesWhatItCannotCutExactly(t *testing.T) {
	ctx := context.Background()
	good := layout(arrayLayouts["pretty"], recAlice, recBruno, "42", recCarla)
	for name, c := range map[string]struct {
		data    string
		records []int
	}{
		"a bad element":                   {good, []int{3}},
		"a record past the end":           {good, []int{9}},
		"record 0":                        {good, []int{0}},
		"broken after the records":        {`[` + recAlice + `,` + recCarla + `, {"name": x}]`, []int{1}},
		"text after the array":            {`[` + recAlice + `,` + recCarla + `] trailing`, []int{1}},
		"JSON Lines counted in records":   {recDara + "\n" + recDara + "\n", []int{1}},
		"an array that is not of records": {`[1, 2]`, []int{1}},
		"an object holding an array":      {`{"candidates": [` + recAlice + `,` + recCarla + `]}`, []int{1}},
		"a CSV counted in records":        {"Name,Email\nA B,a@example.com\nC D,c@example.com\n", []int{1}},
	} {
		if _, _, err := CutRecords(ctx, []byte(c.data), UnitRecord, c.records); !errors.Is(err, ErrNotRecords) {
			t.Errorf("%s: err %v, want ErrNotRecords", name, err)
		}
	}
}

func TestLineageOfRecords(t *testing.T) {
	l, err := NewLineage([]string{"record 3", "record 1"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Unit() != UnitRecord || l.IngestedOrigin("record 1") != "record 2" || l.IngestedOrigin("record 2") != "record 4" ||
		l.IngestedOrigin("line 1") != "line 1" {
		t.Errorf("unit %q, record 1 -> %q, record 2 -> %q, line 1 -> %q", l.Unit(),
			l.IngestedOrigin("record 1"), l.IngestedOrigin("record 2"), l.IngestedOrigin("line 1"))
	}
	if _, err := NewLineage([]string{"record 2", "line 2"}); err == nil {
		t.Error("a lineage of records and lines was accepted")
	}
	if u, n, ok := RecordOrigin("record 3, property work"); ok {
		t.Errorf("a problem's origin read as %s %d", u, n)
	}
}

// FuzzCutJSONArray cuts each element of arbitrary input in turn. A cut that succeeds
// must leave valid JSON that holds every kept element's bytes in order and none of the
// cut one's (when its bytes appear once), and report how many candidates are left.
func FuzzCutJSONArray(f *testing.F) {
	for _, l := range arrayLayouts {
		f.Add([]byte(layout(l, recAlice, recBruno, "42", recCarla, recDara)))
	}
	f.Add([]byte(`[{"a":"b"}]`))
	f.Add([]byte("[{\"a\":\"\\u005d,\"},{\"b\":\"[{\"} ]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		for n := 1; n <= 4; n++ {
			got, left, err := CutRecords(ctx, data, UnitRecord, []int{n})
			if err != nil {
				if !errors.Is(err, ErrNotRecords) {
					t.Fatalf("cut record %d: %v is not ErrNotRecords", n, err)
				}
				continue
			}
			body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
			elems, err := arrayElements(body)
			if err != nil {
				t.Fatalf("cut record %d of a file whose elements cannot be listed: %v", n, err)
			}
			rest := bytes.TrimPrefix(got, []byte("\xEF\xBB\xBF"))
			if !json.Valid(rest) {
				t.Fatalf("cut record %d: %q is not valid JSON", n, got)
			}
			var kept []json.RawMessage
			if err := json.Unmarshal(rest, &kept); err != nil || len(kept) != len(elems)-1 {
				t.Fatalf("cut record %d: %d elements left of %d (%v)", n, len(kept), len(elems), err)
			}
			for i, j := 0, 0; i < len(elems); i++ {
				if i == n-1 {
					continue
				}
				if !bytes.Equal(kept[j], body[elems[i].start:elems[i].end]) {
					t.Fatalf("cut record %d: element %d changed: %q", n, i+1, kept[j])
				}
				j++
			}
			if left < 0 || left > len(kept) {
				t.Fatalf("cut record %d: %d candidates left of %d elements", n, left, len(kept))
			}
		}
	})
}

// TestCutRecordWithItsOwnProblem: a JSON Resume record with a mistyped property is a
// candidate and a problem ("line 2, property work"); cutting it takes its problem with
// it, in JSON Lines and in an array, and the rest is checked as usual.
func TestCutRecordWithItsOwnProblem(t *testing.T) {
	ctx := context.Background()
	mistyped := `{"basics":{"name":"Bruno Madeup","email":"bruno.madeup@example.com"},"work":"Acme"}`
	for _, c := range []struct {
		unit, data, want string
	}{
		{UnitLine, recDara + "\n" + mistyped + "\n" + recAlice + "\n", recDara + "\n" + recAlice + "\n"},
		{UnitRecord, "[" + recDara + ", " + mistyped + ", " + recAlice + "]", "[" + recDara + ", " + recAlice + "]"},
	} {
		got, left, err := CutRecords(ctx, []byte(c.data), c.unit, []int{2})
		if err != nil || string(got) != c.want || left != 2 {
			t.Errorf("%s: cut the mistyped record: %q, %d left, %v; want %q", c.unit, got, left, err, c.want)
		}
		// Cutting another record keeps the mistyped one's problem, which must still be there.
		if _, left, err := CutRecords(ctx, []byte(c.data), c.unit, []int{1}); err != nil || left != 2 {
			t.Errorf("%s: cut another record: %d left, %v", c.unit, left, err)
		}
	}
}
