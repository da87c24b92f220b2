package apply

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/rawedit"
)

// What an erasure did with one raw input file of the subject.
type rawOutcome int

const (
	rawAbsent        rawOutcome = iota // already gone
	rawChanged                         // changed since ingest: another input, left alone
	rawDeleted                         // only erased people's data came from it
	rawRewritten                       // the subject's records cut out, the others kept
	rawDeletedShared                   // others' data came from it too, but it cannot be cut
)

// RawReport counts what an erasure did to raw input files. It names files by content
// hash only: a file name can be a person's name.
type RawReport struct {
	Deleted       int `json:"raw_files_deleted"`
	Rewritten     int `json:"raw_files_rewritten"`
	DeletedShared int `json:"raw_files_deleted_shared"`
	// rewrites are "<old sha256[:12]>><new sha256[:12]>", for the audit log.
	rewrites []string
}

func (r *RawReport) add(o RawReport) {
	r.Deleted += o.Deleted
	r.Rewritten += o.Rewritten
	r.DeletedShared += o.DeletedShared
}

func (r *RawReport) note(o rawOutcome, rewrite string) {
	switch o {
	case rawDeleted:
		r.Deleted++
	case rawDeletedShared:
		r.DeletedShared++
	case rawRewritten:
		r.Rewritten++
		if rewrite != "" {
			r.rewrites = append(r.rewrites, rewrite)
		}
	}
}

// auditDetail is the report for the row's audit entry: counts and hashes only.
func (r RawReport) auditDetail() map[string]string {
	d := map[string]string{
		"raw_files_deleted":        fmt.Sprint(r.Deleted),
		"raw_files_rewritten":      fmt.Sprint(r.Rewritten),
		"raw_files_deleted_shared": fmt.Sprint(r.DeletedShared),
	}
	if len(r.rewrites) > 0 {
		d["raw_rewrites_sha256"] = strings.Join(r.rewrites, ",")
	}
	return d
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RawLineage says whether the content diskSHA is the ingested content ingestedSHA or
// one an erasure rewrote it into, and which of its rows have been cut since (map rows
// with Lineage.IngestedOrigin). A retag re-reading a file whose bytes no longer hash to
// the stored sha256 asks this before treating it as changed.
func RawLineage(ctx context.Context, db *sql.DB, ingestedSHA, diskSHA string) (rawedit.Lineage, bool, error) {
	if diskSHA == ingestedSHA {
		return rawedit.Lineage{}, true, nil
	}
	var removed []any
	err := db.QueryRowContext(ctx, `SELECT removed_origins FROM raw_rewrites WHERE new_sha256 = ? AND ingested_sha256 = ?`,
		diskSHA, ingestedSHA).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return rawedit.Lineage{}, false, nil
	}
	if err != nil {
		return rawedit.Lineage{}, false, fmt.Errorf("raw file %.12s: reading its rewrites: %w", ingestedSHA, err)
	}
	origins := make([]string, len(removed))
	for i, o := range removed {
		origins[i] = fmt.Sprint(o)
	}
	l, err := rawedit.NewLineage(origins)
	if err != nil {
		return l, false, fmt.Errorf("raw file %.12s: %w", ingestedSHA, err)
	}
	return l, true, nil
}

// eraseRaw takes one subject out of one local raw file. A file only erased people's
// data came from is deleted. A shared record-per-row export loses the subject's rows
// and keeps the others' byte for byte (rewritten in place, atomically). Any other shared
// file is deleted whole, counted apart: the other people lose their raw copy. A file
// whose bytes are neither the ingested content nor a rewrite of it is a different input
// and left alone. Safe to repeat: the rewrite is recorded before the file is replaced,
// so a run killed in between finds the new content, or the old one, in the chain.
func (d Deps) eraseRaw(ctx context.Context, opt Options, id Identity, f RawFile) (rawOutcome, string, error) {
	data, err := os.ReadFile(f.Location)
	if errors.Is(err, os.ErrNotExist) {
		return rawAbsent, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("raw file %.12s: %w", f.SHA256, err)
	}
	disk := sha256Hex(data)
	lineage, ours, err := RawLineage(ctx, d.DB, f.SHA256, disk)
	if err != nil || !ours {
		return rawChanged, "", err
	}
	if !f.OthersKept {
		return rawDeleted, "", removeRaw(f)
	}
	var cut []int // rows to cut, in the ingested numbering
	unit := lineage.Unit()
	for _, o := range f.Origins {
		u, n, ok := rawedit.RecordOrigin(o)
		if !ok || (unit != "" && u != unit) {
			opt.Log.Info("shared raw file is not a record-per-row export: deleting it whole", "sha256", f.SHA256[:12])
			return rawDeletedShared, "", d.deleteShared(ctx, opt, f)
		}
		unit = u
		if !lineage.Removed(n) {
			cut = append(cut, n)
		}
	}
	if len(cut) == 0 {
		return rawRewritten, "", nil // a resumed run: the rows are already gone
	}
	current := make([]int, len(cut))
	for i, n := range cut {
		current[i], _ = lineage.Current(n)
	}
	out, kept, err := rawedit.CutRecords(ctx, data, unit, current)
	if errors.Is(err, rawedit.ErrNotRecords) {
		opt.Log.Info("shared raw file cannot be cut record by record: deleting it whole", "sha256", f.SHA256[:12], "reason", err)
		return rawDeletedShared, "", d.deleteShared(ctx, opt, f)
	}
	if err != nil {
		return 0, "", fmt.Errorf("raw file %.12s: %w", f.SHA256, err)
	}
	if namesThem(out, id) {
		// Their identifiers outside their own rows (a malformed row, another
		// applicant's notes): the cut would not erase them.
		opt.Log.Info("shared raw file still names the erased subject after the cut: deleting it whole", "sha256", f.SHA256[:12])
		return rawDeletedShared, "", d.deleteShared(ctx, opt, f)
	}
	next := sha256Hex(out)
	after := lineage.With(cut...).In(unit)
	if _, err := d.DB.ExecContext(ctx, `INSERT OR IGNORE INTO raw_rewrites VALUES (?, ?, ?, CAST(? AS VARCHAR[]), ?, ?, ?)`,
		next, disk, f.SHA256, "["+strings.Join(after.Origins(), ",")+"]", kept, opt.Now(), opt.RunID); err != nil {
		return 0, "", fmt.Errorf("raw file %.12s: recording its rewrite: %w", f.SHA256, err)
	}
	if err := replaceFile(f.Location, out); err != nil {
		return 0, "", fmt.Errorf("raw file %.12s: rewriting it: %w", f.SHA256, err)
	}
	return rawRewritten, disk[:12] + ">" + next[:12], nil
}

// namesThem says whether text still identifies the person, line by line, as the
// verification would find them.
func namesThem(text []byte, id Identity) bool {
	m := newMatcher(nil)
	m.add(id, true)
	found := false
	_ = scanText(bytes.NewReader(text), func(cells []string) { found = found || len(m.hits(m.hashRow(cells))) > 0 })
	return found
}

// deleteShared deletes whole a raw file other people's data came from too, and records
// that it is gone (raw_file_deletions), so their provenance says the raw copy no longer
// exists and since when, never whose erasure it was. The row is written first, so a run
// killed in between finds it and deletes the file when run again; a deletion that fails
// takes the row back.
func (d Deps) deleteShared(ctx context.Context, opt Options, f RawFile) error {
	if _, err := d.DB.ExecContext(ctx, `INSERT OR IGNORE INTO raw_file_deletions VALUES (?, ?, 'erasure_of_another_subject', ?)`,
		f.SHA256, opt.Now(), opt.RunID); err != nil {
		return fmt.Errorf("raw file %.12s: recording its deletion: %w", f.SHA256, err)
	}
	if err := removeRaw(f); err != nil {
		if _, uerr := d.DB.ExecContext(context.WithoutCancel(ctx), `DELETE FROM raw_file_deletions WHERE file_sha256 = ? AND run_id = ?`,
			f.SHA256, opt.RunID); uerr != nil {
			return errors.Join(err, fmt.Errorf("raw file %.12s: taking back its deletion record: %w", f.SHA256, uerr))
		}
		return err
	}
	return nil
}

// removeRaw deletes a raw file; one already gone is not an error.
func removeRaw(f RawFile) error {
	if err := os.Remove(f.Location); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("raw file %.12s: %w", f.SHA256, err)
	}
	return nil
}

// replaceFile writes b over path atomically: a temporary file in the same directory,
// synced, given the old file's mode, renamed over it, and the directory synced, so a
// crash leaves the old content or the new, never a mix.
func replaceFile(path string, b []byte) (err error) {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cvetl-rewrite-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return err
	}
	if err = tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// rewrittenFile is a raw file on disk that an erasure rewrote.
type rewrittenFile struct{ ingested, location string }

// rewrittenFiles lists the raw files rewritten by erasures that are still on disk as
// written, for the verification to search.
func rewrittenFiles(ctx context.Context, db *sql.DB) ([]rewrittenFile, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT r.ingested_sha256, f.location FROM raw_rewrites r
	    JOIN files f ON f.sha256 = r.ingested_sha256 ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("listing rewritten raw files: %w", err)
	}
	defer rows.Close()
	var out []rewrittenFile
	for rows.Next() {
		var f rewrittenFile
		if err := rows.Scan(&f.ingested, &f.location); err != nil {
			return nil, err
		}
		if isLocal(f.location) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ingested < out[j].ingested })
	return out, rows.Err()
}
