package rawedit

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strconv"

	"github.com/cvetl/cvetl/extractors"
)

// cutJSONLines removes whole physical lines (line end included) from a JSON Lines
// export. Each line asked for must be a record the extractor read as a candidate. The
// rest is extracted again and must give the same candidates, each at its line moved up
// past the cut ones, the same bad lines (less the cut records' own problems), and still
// be JSON Lines: an export left with one JSON Resume would read as a single document and
// change its profile's origin, so it is refused (the caller deletes the file whole); one
// left with one flat record is still JSON Lines.
func cutJSONLines(ctx context.Context, data []byte, lines []int) ([]byte, int, error) {
	if f := extractors.Sniff(data); f != extractors.FormatJSONLines {
		return nil, 0, fmt.Errorf("%w: sniffed as %s", ErrNotRecords, f)
	}
	before, err := extractors.Extract(ctx, extractors.Input{Name: "raw", Data: data}, extractors.Limits{})
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrNotRecords, err)
	}
	parts := map[int]extractors.Part{}
	for _, p := range before.Parts {
		if unit, n, ok := RecordOrigin(p.Origin); ok && unit == UnitLine {
			parts[n] = p
		}
	}
	drop := map[int]bool{}
	for _, n := range lines {
		if _, ok := parts[n]; !ok {
			return nil, 0, fmt.Errorf("%w: line %d is not a record", ErrNotRecords, n)
		}
		drop[n] = true
	}
	out := make([]byte, 0, len(data))
	start := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		out, start = append(out, data[:3]...), 3 // the BOM is the file's, not line 1's
	}
	for n := 1; start < len(data); n++ {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		if !drop[n] {
			out = append(out, data[start:end]...)
		}
		start = end
	}
	if f := extractors.Sniff(out); f != extractors.FormatJSONLines {
		return nil, 0, fmt.Errorf("%w: the rest would read as %s, not JSON Lines", ErrNotRecords, f)
	}
	after, err := extractors.Extract(ctx, extractors.Input{Name: "raw", Data: out}, extractors.Limits{})
	if err != nil || len(after.Parts) != len(before.Parts)-len(drop) || len(after.Problems) != problemsKept(before.Problems, drop) {
		return nil, 0, fmt.Errorf("%w: the rest no longer reads as the same records", ErrNotRecords)
	}
	l := Lineage{unit: UnitLine}.With(lines...)
	for _, p := range after.Parts {
		_, n, _ := RecordOrigin(p.Origin)
		was, ok := parts[l.Ingested(n)]
		if !ok || drop[l.Ingested(n)] || p.Text != was.Text || !reflect.DeepEqual(p.Fields, was.Fields) {
			return nil, 0, fmt.Errorf("%w: line %s no longer reads as the same record", ErrNotRecords, strconv.Itoa(n))
		}
	}
	return out, len(after.Parts), nil
}
