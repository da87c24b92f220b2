package apply

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Quarantined files are copied to <out>/quarantine/<sha256> when they fail extraction
// (sinks/duckstore, copyQuarantined), and their quarantine rows keep where they came
// from. An erased file's content hash is in erased_files; no copy and no quarantine
// row of it may remain.

// removeQuarantineCopies deletes the quarantine copies of erased files; a copy already
// gone is not an error.
func removeQuarantineCopies(dir string, files []RawFile) error {
	if dir == "" {
		return nil
	}
	for _, f := range files {
		if err := os.Remove(filepath.Join(dir, f.SHA256)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("quarantine copy %s: %w", f.SHA256[:12], err)
		}
	}
	return nil
}

// erasedFileResidue finds quarantine rows and copies of any erased file. A residue
// names the subject when the file was one of ids', else erasedFileOwner.
func erasedFileResidue(ctx context.Context, sc Scope, ids []Identity) ([]Residue, error) {
	owner := map[string]string{}
	for _, id := range ids {
		for _, f := range id.Files {
			owner[f.SHA256] = id.SubjectID
		}
	}
	ownerOf := func(sha string) string {
		if o, ok := owner[sha]; ok {
			return o
		}
		return erasedFileOwner
	}
	var out []Residue
	rows, err := sc.DB.QueryContext(ctx, `SELECT q.file_sha256, count(*) FROM quarantine q
	    JOIN erased_files e ON e.sha256 = q.file_sha256 GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("checking quarantine rows of erased files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		var n int
		if err := rows.Scan(&sha, &n); err != nil {
			return nil, err
		}
		out = append(out, Residue{Sink: "duckdb", Place: "main.quarantine", SubjectID: ownerOf(sha), What: "quarantine row of an erased file", Count: n})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sc.QuarantineDir == "" {
		return out, nil
	}
	entries, err := os.ReadDir(sc.QuarantineDir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checking quarantine copies: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		var erased int
		if err := sc.DB.QueryRowContext(ctx, `SELECT count(*) FROM erased_files WHERE sha256 = ?`, name).Scan(&erased); err != nil {
			return nil, fmt.Errorf("checking quarantine copies: %w", err)
		}
		if erased > 0 {
			out = append(out, Residue{Sink: "files", Place: "quarantine copy " + name[:min(12, len(name))], SubjectID: ownerOf(name), What: "copy of an erased file", Count: 1})
		}
	}
	return out, nil
}

// erasedFileOwner stands for the subject of an erased file no identity at hand names
// (an earlier erasure's file, found by `cvetl verify-erasure`).
const erasedFileOwner = "(an erased subject)"
