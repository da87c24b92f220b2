package lake

import (
	"context"
	"fmt"
	"os"
	"slices"
)

// EraseReport says what an erasure changed in the lake. Counts only: no ids.
type EraseReport struct {
	FilesScanned   int            `json:"files_scanned"`
	FilesRewritten int            `json:"files_rewritten"` // rewritten without the subjects' rows
	FilesDeleted   int            `json:"files_deleted"`   // held only the subjects' rows
	RowsRemoved    map[string]int `json:"rows_removed"`    // by table
	// VersionsDeleted counts old object versions, delete markers and interrupted
	// writes removed, so no copy of a removed row stays behind.
	VersionsDeleted int `json:"versions_deleted"`
}

// EraseSubjects removes every row of the given subjects from every file of the lake:
// a file holding any of them is rewritten without them (or deleted when nothing else
// is left), and on S3 every older version of a rewritten or deleted object is
// deleted by version id, as are any noncurrent versions under the lake's prefix.
// It is idempotent: erasing again finds nothing and changes nothing.
//
// Subject ids are the store's (S0000042). A lake fed by several shard stores holds
// each store's own ids; erase with the ids of the store the rows came from.
// Run it when no export or compaction writes to the lake.
func EraseSubjects(ctx context.Context, l *Lake, subjectIDs []string) (EraseReport, error) {
	rep := EraseReport{RowsRemoved: map[string]int{}}
	if len(subjectIDs) == 0 {
		return rep, fmt.Errorf("lake erase: no subject ids given")
	}
	erase := map[string]bool{}
	for _, id := range subjectIDs {
		if id == "" {
			return rep, fmt.Errorf("lake erase: empty subject id")
		}
		erase[id] = true
	}
	tmp, err := os.MkdirTemp("", "cvetl-erase-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	for _, t := range Tables {
		files, err := l.Files(ctx, t.Name)
		if err != nil {
			return rep, err
		}
		col := t.index(t.SubjectColumn)
		for _, f := range files {
			p, err := l.b.local(ctx, f.Key, tmp)
			if err != nil {
				return rep, fmt.Errorf("lake %s: reading %s: %w", l, f.Key, err)
			}
			rows, err := readParquet(ctx, p, f.Key, t)
			if err != nil {
				return rep, err
			}
			rep.FilesScanned++
			keep := slices.DeleteFunc(slices.Clone(rows), func(r Row) bool {
				id, _ := r[col].(string)
				return erase[id]
			})
			if len(keep) == len(rows) {
				continue
			}
			rep.RowsRemoved[t.Name] += len(rows) - len(keep)
			if len(keep) == 0 {
				n, err := l.b.remove(ctx, f.Key)
				if err != nil {
					return rep, fmt.Errorf("lake %s: deleting %s: %w", l, f.Key, err)
				}
				rep.FilesDeleted++
				rep.VersionsDeleted += max(n-1, 0)
				continue
			}
			if err := l.writePartition(ctx, t, f.IngestDate, f.Name, keep, tmp); err != nil {
				return rep, err
			}
			rep.FilesRewritten++
		}
	}
	n, err := l.b.prune(ctx)
	rep.VersionsDeleted += n
	if err != nil {
		return rep, fmt.Errorf("lake %s: deleting old versions: %w", l, err)
	}
	return rep, nil
}
