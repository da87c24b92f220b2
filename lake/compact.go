package lake

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// CompactedName is the writer name of a compacted partition's one file.
const CompactedName = "compacted"

// CompactReport says what a compaction did.
type CompactReport struct {
	Partitions int            `json:"partitions"` // partitions rewritten
	FilesIn    int            `json:"files_in"`   // files merged (and then deleted)
	RowsIn     map[string]int `json:"rows_in"`    // rows read, by table
	RowsOut    map[string]int `json:"rows_out"`   // rows written, by table
	Duplicates int            `json:"duplicates"` // rows dropped as copies of a kept row's key
}

// Compact merges every partition holding more than one file (shards' files, an export
// next to an earlier compaction) into one file, part-compacted.parquet, keeping one
// row per key: profiles and sources by profile_id (derived from the content hash),
// events by event_key, manifest rows by manifest and row id. Among rows with one key
// it keeps the first by the table's Prefer columns, then by every column, so the
// output depends only on the set of rows read, not on which shard wrote them or in
// what order. The merged file is stored before the inputs are deleted: a compaction
// that fails part-way leaves duplicates for the next one, never a gap.
//
// Run it when no export writes to the lake (after every shard of the night finished):
// a file written while a compaction runs may be deleted by it.
func Compact(ctx context.Context, l *Lake, tables []Table) (CompactReport, error) {
	rep := CompactReport{RowsIn: map[string]int{}, RowsOut: map[string]int{}}
	if tables == nil {
		tables = Tables
	}
	tmp, err := os.MkdirTemp("", "cvetl-compact-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	for _, t := range tables {
		files, err := l.Files(ctx, t.Name)
		if err != nil {
			return rep, err
		}
		for _, part := range byPartition(files) {
			if len(part) < 2 {
				continue
			}
			if err := l.compactPartition(ctx, t, part, tmp, &rep); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

func (l *Lake) compactPartition(ctx context.Context, t Table, part []File, tmp string, rep *CompactReport) error {
	var rows []Row
	for _, f := range part {
		r, err := l.read(ctx, f, t, tmp)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	rep.RowsIn[t.Name] += len(rows)
	kept := dedupe(t, rows)
	rep.Duplicates += len(rows) - len(kept)
	day := part[0].IngestDate
	if err := l.writePartition(ctx, t, day, CompactedName, kept, tmp); err != nil {
		return err
	}
	rep.RowsOut[t.Name] += len(kept)
	rep.Partitions++
	out := fileKey(t.Name, day, CompactedName)
	for _, f := range part {
		if f.Key == out {
			continue // replaced in place
		}
		if _, err := l.b.remove(ctx, f.Key); err != nil {
			return fmt.Errorf("lake %s: removing merged %s: %w", l, f.Key, err)
		}
		rep.FilesIn++
	}
	return nil
}

// byPartition groups files (in key order) by ingest date.
func byPartition(files []File) [][]File {
	var out [][]File
	for i, f := range files {
		if i == 0 || f.IngestDate != files[i-1].IngestDate {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], f)
	}
	return out
}

// dedupe sorts rows by key, Prefer columns and then every column, and keeps the first
// row of each key.
func dedupe(t Table, rows []Row) []Row {
	key := columnIndexes(t, t.Key)
	order := append(append([]int{}, key...), columnIndexes(t, t.Prefer)...)
	for i := range t.Columns {
		order = append(order, i)
	}
	slices.SortFunc(rows, func(a, b Row) int {
		for _, i := range order {
			if c := compareValues(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	out := rows[:0]
	for i, r := range rows {
		if i > 0 && sameKey(r, out[len(out)-1], key) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func columnIndexes(t Table, names []string) []int {
	out := make([]int, 0, len(names))
	for _, n := range names {
		i := t.index(n)
		if i < 0 {
			panic("lake: table " + t.Name + " has no column " + n) // a schema definition mistake
		}
		out = append(out, i)
	}
	return out
}

func sameKey(a, b Row, key []int) bool {
	for _, i := range key {
		if compareValues(a[i], b[i]) != 0 {
			return false
		}
	}
	return true
}

// compareValues orders Row values: null first, then by value.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case string:
		return cmp.Compare(x, b.(string))
	case []string:
		return slices.Compare(x, b.([]string))
	case time.Time:
		return x.Compare(b.(time.Time))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	panic(fmt.Sprintf("lake: cannot order %T", a))
}
