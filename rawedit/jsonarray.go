package rawedit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/cvetl/cvetl/extractors"
)

// span is where one element of a top-level JSON array lies in the file: [start, end).
type span struct{ start, end int }

// arrayElements lists the spans of a top-level array's elements, in order, so that
// element n is what the extractor numbers "record n". The whole file must be valid
// JSON: an array broken part-way has bytes after the break that belong to no element,
// and cutting around them could not be checked.
func arrayElements(data []byte) ([]span, error) {
	if !json.Valid(data) {
		return nil, fmt.Errorf("%w: not valid JSON throughout", ErrNotRecords)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%w: not a JSON array", ErrNotRecords)
	}
	var out []span
	for dec.More() {
		// InputOffset is just past the '[' or the previous element; the element itself
		// starts after the comma and whitespace between.
		at := int(dec.InputOffset())
		for at < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[at]) >= 0 {
			at++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%w: element %d: %v", ErrNotRecords, len(out)+1, err)
		}
		end := int(dec.InputOffset())
		if end-at != len(raw) || !bytes.Equal(data[at:end], raw) {
			return nil, fmt.Errorf("%w: element %d is not where the decoder read it", ErrNotRecords, len(out)+1)
		}
		out = append(out, span{at, end})
	}
	return out, nil
}

// cutJSONArray removes whole elements from a JSON array of records. Each element asked
// for must be a record the extractor read as a candidate. The kept elements keep their
// bytes; between two kept ones stands the separator that followed the first of them in
// the file (comma and whitespace as written), before the first kept one what preceded
// the first element, and after the last kept one what followed the last element, so a
// cut first, middle, last or only element leaves valid JSON laid out as before. The rest
// is extracted again and must give the same candidates, each at its record number
// moved down past the cut ones, and the same number of bad records.
func cutJSONArray(ctx context.Context, data []byte, records []int) ([]byte, int, error) {
	if f := extractors.Sniff(data); f != extractors.FormatJSONArray {
		return nil, 0, fmt.Errorf("%w: sniffed as %s", ErrNotRecords, f)
	}
	bom := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		bom = 3 // the decoder does not skip a BOM; the file keeps it
	}
	elems, err := arrayElements(data[bom:])
	if err != nil {
		return nil, 0, err
	}
	before, err := extractors.Extract(ctx, extractors.Input{Name: "raw", Data: data}, extractors.Limits{})
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrNotRecords, err)
	}
	parts := map[int]extractors.Part{}
	for _, p := range before.Parts {
		if unit, n, ok := RecordOrigin(p.Origin); ok && unit == UnitRecord {
			parts[n] = p
		}
	}
	drop := map[int]bool{}
	for _, n := range records {
		if _, ok := parts[n]; !ok || n > len(elems) {
			return nil, 0, fmt.Errorf("%w: record %d is not a candidate", ErrNotRecords, n)
		}
		drop[n] = true
	}
	body := data[bom:]
	out := make([]byte, 0, len(data))
	out = append(out, data[:bom]...)
	out = append(out, body[:elems[0].start]...)
	last := -1 // index of the last kept element written
	for i, e := range elems {
		if drop[i+1] {
			continue
		}
		if last >= 0 {
			out = append(out, body[elems[last].end:elems[last+1].start]...)
		}
		out = append(out, body[e.start:e.end]...)
		last = i
	}
	out = append(out, body[elems[len(elems)-1].end:]...)
	if !json.Valid(out[bom:]) {
		return nil, 0, fmt.Errorf("%w: the rest is not valid JSON", ErrNotRecords)
	}
	if len(drop) == len(elems) {
		return out, 0, nil // an empty array: nothing left to check against
	}
	if f := extractors.Sniff(out); f != extractors.FormatJSONArray {
		return nil, 0, fmt.Errorf("%w: the rest would read as %s, not an array of records", ErrNotRecords, f)
	}
	after, err := extractors.Extract(ctx, extractors.Input{Name: "raw", Data: out}, extractors.Limits{})
	if err != nil || len(after.Parts) != len(before.Parts)-len(drop) || len(after.Problems) != problemsKept(before.Problems, drop) {
		return nil, 0, fmt.Errorf("%w: the rest no longer reads as the same records", ErrNotRecords)
	}
	l := Lineage{unit: UnitRecord}.With(records...)
	for _, p := range after.Parts {
		_, n, _ := RecordOrigin(p.Origin)
		was, ok := parts[l.Ingested(n)]
		if !ok || drop[l.Ingested(n)] || p.Text != was.Text || !reflect.DeepEqual(p.Fields, was.Fields) {
			return nil, 0, fmt.Errorf("%w: record %d no longer reads as the same record", ErrNotRecords, n)
		}
	}
	return out, len(after.Parts), nil
}

// problemsKept counts the problems of records not cut: a cut record's own problems (a
// JSON Resume's mistyped property, "record 2, property work") go with it.
func problemsKept(problems []extractors.Problem, drop map[int]bool) int {
	n := 0
	for _, p := range problems {
		origin, _, _ := strings.Cut(p.Origin, ", ")
		if _, rec, ok := RecordOrigin(origin); !ok || !drop[rec] {
			n++
		}
	}
	return n
}
