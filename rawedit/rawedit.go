// Package rawedit cuts records out of a raw record-per-row export (an applicant CSV from a
// job board, a JSON Lines export or a JSON array of records) so that erasing one person
// keeps everyone else's raw record: the other rows, lines or elements, the header and
// the line endings stay byte for byte. It also maps record
// positions between the content ingest read and a file rewritten since, which is what
// a re-read of a rewritten file (retag) needs to find each row's profile.
package rawedit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cvetl/cvetl/extractors"
)

// ErrNotRecords means the file cannot be cut record by record: it is not a
// record-per-row export, a record asked for is not a complete row, or the cut would not
// leave the other records exactly as they were. The caller deletes the file whole.
var ErrNotRecords = errors.New("not a record-per-row export whose records can be cut out")

// Record units: what a profile origin counts in a record-per-row export.
const (
	UnitRow  = "row"  // a CSV/TSV applicant export: "row N", the N-th data row
	UnitLine = "line" // a JSON Lines export: "line N", the N-th physical line
	// UnitRecord counts the elements of a JSON array of records: "record N", the N-th.
	UnitRecord = "record"
)

// RowOrigin returns the row number of a profile origin such as "row 7"; false for any
// other origin ("attachment cv.pdf", "attachment export.csv / row 2", "line 3", "").
func RowOrigin(origin string) (int, bool) {
	unit, n, ok := RecordOrigin(origin)
	return n, ok && unit == UnitRow
}

// RecordOrigin splits a profile origin of a record-per-row export, "row 7", "line 7" or
// "record 7", into its unit and number; false for any other origin.
func RecordOrigin(origin string) (unit string, n int, ok bool) {
	for _, u := range []string{UnitRow, UnitLine, UnitRecord} {
		s, found := strings.CutPrefix(origin, u+" ")
		if !found {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || strconv.Itoa(n) != s {
			return "", 0, false
		}
		return u, n, true
	}
	return "", 0, false
}

// Cut returns data without the data rows numbered rows (in data's own numbering, as its
// CSV extractor would give them), every other byte kept, and how many data rows remain.
// The result is parsed again and must hold the same header and the same other rows
// in the same order, or Cut refuses.
func Cut(ctx context.Context, data []byte, rows []int) ([]byte, int, error) {
	return CutRecords(ctx, data, UnitRow, rows)
}

// CutRecords is Cut for records counted in unit: UnitRow for a CSV export, UnitLine for
// a JSON Lines export (whole lines are cut, the line end included), UnitRecord for a
// JSON array of records (whole elements are cut with one separator each). The file
// must be of the unit's form.
func CutRecords(ctx context.Context, data []byte, unit string, rows []int) ([]byte, int, error) {
	switch unit {
	case UnitRow:
		return cutCSV(ctx, data, rows)
	case UnitLine:
		return cutJSONLines(ctx, data, rows)
	case UnitRecord:
		return cutJSONArray(ctx, data, rows)
	}
	return nil, 0, fmt.Errorf("%w: records counted in %q", ErrNotRecords, unit)
}

func cutCSV(ctx context.Context, data []byte, rows []int) ([]byte, int, error) {
	if f := extractors.Sniff(data); f != extractors.FormatCSV {
		return nil, 0, fmt.Errorf("%w: sniffed as %s", ErrNotRecords, f)
	}
	before, err := extractors.LocateCSVRecords(ctx, data)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrNotRecords, err)
	}
	drop := map[int]bool{}
	for _, n := range rows {
		drop[n] = true
	}
	out := make([]byte, 0, len(data))
	var kept [][]string
	at, found := 0, 0
	for _, r := range before.Records {
		if !drop[r.Row] {
			kept = append(kept, r.Fields)
			continue
		}
		out = append(out, data[at:r.Start]...)
		at = r.End
		found++
	}
	if found != len(drop) {
		return nil, 0, fmt.Errorf("%w: %d of %d rows are not complete records", ErrNotRecords, len(drop)-found, len(drop))
	}
	out = append(out, data[at:]...)
	after, err := extractors.LocateCSVRecords(ctx, out)
	if err != nil || extractors.Sniff(out) != extractors.FormatCSV {
		return nil, 0, fmt.Errorf("%w: the rest no longer reads as the same export", ErrNotRecords)
	}
	same := slices.Equal(after.Header, before.Header) && after.DataRows == before.DataRows-found &&
		len(after.Records) == len(kept)
	for i := 0; same && i < len(kept); i++ {
		same = slices.Equal(after.Records[i].Fields, kept[i])
	}
	if !same {
		return nil, 0, fmt.Errorf("%w: the rest no longer reads as the same rows", ErrNotRecords)
	}
	return out, after.DataRows, nil
}

// Lineage says which records (rows or lines) of the content ingest read have been cut
// from a file since. Record numbers shift down past each cut one; Lineage maps them both
// ways. A JSON Lines line is one record, so a cut line shifts the later ones by one too.
type Lineage struct {
	removed []int  // ingested record numbers, sorted
	unit    string // UnitRow, UnitLine or UnitRecord; "" before any cut
}

// NewLineage builds a lineage from the origins cut so far ("row N", "line N", "record N",
// ingested numbering); they must all count in the same unit.
func NewLineage(removedOrigins []string) (Lineage, error) {
	var l Lineage
	for _, o := range removedOrigins {
		unit, n, ok := RecordOrigin(o)
		if !ok {
			return l, fmt.Errorf("removed origin %q is not a row, line or record", o)
		}
		if l.unit != "" && unit != l.unit {
			return l, fmt.Errorf("removed origins count both %ss and %ss", l.unit, unit)
		}
		l.unit = unit
		l.removed = append(l.removed, n)
	}
	sort.Ints(l.removed)
	l.removed = slices.Compact(l.removed)
	return l, nil
}

// Removed says whether an ingested record has been cut.
func (l Lineage) Removed(ingestedRow int) bool {
	_, found := slices.BinarySearch(l.removed, ingestedRow)
	return found
}

// Current returns where an ingested record is in the file now; false when it was cut.
func (l Lineage) Current(ingestedRow int) (int, bool) {
	i, found := slices.BinarySearch(l.removed, ingestedRow)
	if found {
		return 0, false
	}
	return ingestedRow - i, true
}

// Ingested returns which ingested record a record of the file now was: the
// currentRow-th record number that was not cut.
func (l Lineage) Ingested(currentRow int) int {
	n := currentRow
	for _, r := range l.removed {
		if r > n {
			break
		}
		n++
	}
	return n
}

// IngestedOrigin maps a Part origin of the rewritten file ("row 2", "line 2") to the
// origin its profile was stored under ("row 3"); other origins, and origins of another
// unit than the cuts', are returned as they are.
func (l Lineage) IngestedOrigin(currentOrigin string) string {
	unit, n, ok := RecordOrigin(currentOrigin)
	if !ok || (l.unit != "" && unit != l.unit) {
		return currentOrigin
	}
	return unit + " " + strconv.Itoa(l.Ingested(n))
}

// With returns the lineage after rows (ingested numbering) are cut too.
func (l Lineage) With(rows ...int) Lineage {
	out := Lineage{removed: append(slices.Clone(l.removed), rows...), unit: l.unit}
	sort.Ints(out.removed)
	out.removed = slices.Compact(out.removed)
	return out
}

// In returns the lineage counting in unit; for a lineage with no cuts yet, whose unit
// is not known.
func (l Lineage) In(unit string) Lineage {
	l.unit = unit
	return l
}

// Unit is what the lineage's records count in: UnitRow, UnitLine, UnitRecord, or "" with no cuts.
func (l Lineage) Unit() string { return l.unit }

// Origins lists the cut records as origins, in order.
func (l Lineage) Origins() []string {
	unit := l.unit
	if unit == "" {
		unit = UnitRow
	}
	out := make([]string, len(l.removed))
	for i, r := range l.removed {
		out[i] = unit + " " + strconv.Itoa(r)
	}
	return out
}
