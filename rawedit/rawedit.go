// Package rawedit cuts records out of a raw record-per-row export (an applicant CSV from a
// job board) so that erasing one person keeps everyone else's raw record: the other
// rows, the header and the line endings stay byte for byte. It also maps record
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

// RowOrigin returns the row number of a profile origin such as "row 7"; false for any
// other origin ("attachment cv.pdf", "attachment export.csv / row 2", "").
func RowOrigin(origin string) (int, bool) {
	s, ok := strings.CutPrefix(origin, "row ")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// Cut returns data without the data rows numbered rows (in data's own numbering, as its
// CSV extractor would give them), every other byte kept, and how many data rows remain.
// The result is parsed again and must hold the same header and the same other rows
// in the same order, or Cut refuses.
func Cut(ctx context.Context, data []byte, rows []int) ([]byte, int, error) {
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

// Lineage says which rows of the content ingest read have been cut from a file since.
// Row numbers shift down past each cut row; Lineage maps them both ways.
type Lineage struct {
	removed []int // ingested row numbers, sorted
}

// NewLineage builds a lineage from the origins cut so far ("row N", ingested numbering).
func NewLineage(removedOrigins []string) (Lineage, error) {
	var l Lineage
	for _, o := range removedOrigins {
		n, ok := RowOrigin(o)
		if !ok {
			return l, fmt.Errorf("removed origin %q is not a row", o)
		}
		l.removed = append(l.removed, n)
	}
	sort.Ints(l.removed)
	l.removed = slices.Compact(l.removed)
	return l, nil
}

// Removed says whether an ingested row has been cut.
func (l Lineage) Removed(ingestedRow int) bool {
	_, found := slices.BinarySearch(l.removed, ingestedRow)
	return found
}

// Current returns where an ingested row is in the file now; false when it was cut.
func (l Lineage) Current(ingestedRow int) (int, bool) {
	i, found := slices.BinarySearch(l.removed, ingestedRow)
	if found {
		return 0, false
	}
	return ingestedRow - i, true
}

// Ingested returns which ingested row a row of the file now was: the currentRow-th row
// number that was not cut.
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

// IngestedOrigin maps a Part origin of the rewritten file ("row 2") to the origin its
// profile was stored under ("row 3"); other origins are returned as they are.
func (l Lineage) IngestedOrigin(currentOrigin string) string {
	n, ok := RowOrigin(currentOrigin)
	if !ok {
		return currentOrigin
	}
	return "row " + strconv.Itoa(l.Ingested(n))
}

// With returns the lineage after rows (ingested numbering) are cut too.
func (l Lineage) With(rows ...int) Lineage {
	out := Lineage{removed: append(slices.Clone(l.removed), rows...)}
	sort.Ints(out.removed)
	out.removed = slices.Compact(out.removed)
	return out
}

// Origins lists the cut rows as origins, in order.
func (l Lineage) Origins() []string {
	out := make([]string, len(l.removed))
	for i, r := range l.removed {
		out[i] = "row " + strconv.Itoa(r)
	}
	return out
}
