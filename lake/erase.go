package lake

import (
	"context"
	"database/sql"
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

// Subjects names the people to erase from the lake.
type Subjects struct {
	// IDs are their subject ids in the main store, the one whose events and
	// manifests the lake holds (matched in events and manifests).
	IDs []string
	// ProfileIDs are all their profiles' ids (matched in profiles and sources).
	// A profile id is derived from the file's content, so it names the same profile
	// in every shard's store; subject ids do not (each store numbers its own).
	ProfileIDs []string
	// Files are the content hashes of the inputs their profiles came from and no one
	// else's: the raw objects to erase from the archive (s3store.Archive.Erase).
	// SharedFiles also hold other people's profiles (an applicant export); erasing
	// those raw files is the caller's decision. Not used by EraseSubjects.
	Files, SharedFiles []string
}

// SubjectsFromStore collects the profile ids and input files of the given subjects
// from the main store (db, a duckstore database). Call it before the store's rows
// are erased.
func SubjectsFromStore(ctx context.Context, db *sql.DB, subjectIDs []string) (Subjects, error) {
	s := Subjects{IDs: subjectIDs}
	ids := map[string]bool{}
	for _, id := range subjectIDs {
		ids[id] = true
	}
	files := map[string]bool{} // file → shared with someone else
	for _, id := range subjectIDs {
		rows, err := db.QueryContext(ctx, `
			SELECT p.profile_id, p.file_sha256,
			       (SELECT list(DISTINCT o.subject_id) FROM profiles o WHERE o.file_sha256 = p.file_sha256)
			FROM profiles p WHERE p.subject_id = ? ORDER BY p.profile_id`, id)
		if err != nil {
			return s, fmt.Errorf("lake erase: profiles of %s: %w", id, err)
		}
		for rows.Next() {
			var p, sha string
			var holders []any
			if err := rows.Scan(&p, &sha, &holders); err != nil {
				rows.Close()
				return s, fmt.Errorf("lake erase: profiles of %s: %w", id, err)
			}
			s.ProfileIDs = append(s.ProfileIDs, p)
			for _, h := range holders {
				if hs, _ := h.(string); !ids[hs] {
					files[sha] = true
				}
			}
			if _, seen := files[sha]; !seen {
				files[sha] = false
			}
		}
		if err := rows.Close(); err != nil {
			return s, err
		}
	}
	for sha, shared := range files {
		if shared {
			s.SharedFiles = append(s.SharedFiles, sha)
		} else {
			s.Files = append(s.Files, sha)
		}
	}
	slices.Sort(s.Files)
	slices.Sort(s.SharedFiles)
	return s, nil
}

// EraseSubjects removes every row of the given subjects from every file of the lake
// (and their entries from waiting shard handoff objects, lake/handoff.go): a file
// holding any of them is rewritten without them (or deleted when nothing else is
// left), and on S3 every older version of a rewritten or deleted object is deleted by
// version id, as are any noncurrent versions and delete markers under the lake's prefix. It is idempotent: erasing again finds nothing and changes nothing.
// Run it when no export or compaction writes to the lake.
func EraseSubjects(ctx context.Context, l *Lake, s Subjects) (EraseReport, error) {
	rep := EraseReport{RowsRemoved: map[string]int{}}
	if len(s.IDs)+len(s.ProfileIDs) == 0 {
		return rep, fmt.Errorf("lake erase: no subject or profile ids given")
	}
	erase := map[string]map[string]bool{"subject_id": {}, "profile_id": {}}
	for col, ids := range map[string][]string{"subject_id": s.IDs, "profile_id": s.ProfileIDs} {
		for _, id := range ids {
			if id == "" {
				return rep, fmt.Errorf("lake erase: empty %s", col)
			}
			erase[col][id] = true
		}
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
		col, match := t.index(t.ErasedBy), erase[t.ErasedBy]
		for _, f := range files {
			rows, err := l.read(ctx, f, t, tmp)
			if err != nil {
				return rep, err
			}
			rep.FilesScanned++
			keep := slices.DeleteFunc(slices.Clone(rows), func(r Row) bool {
				id, _ := r[col].(string)
				return match[id]
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
	// Handoff objects still waiting for an import hold the subjects' files too.
	if err := l.eraseHandoffs(ctx, s, &rep, tmp); err != nil {
		return rep, err
	}
	n, err := l.b.prune(ctx)
	rep.VersionsDeleted += n
	if err != nil {
		return rep, fmt.Errorf("lake %s: deleting old versions: %w", l, err)
	}
	return rep, nil
}
