package handoff

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// WriteReport says what Write handed off. Counts and the object key only.
type WriteReport struct {
	Object   string `json:"object,omitempty"` // empty when there was nothing new
	Files    int    `json:"files"`
	Tags     int    `json:"tags"`
	FirstRun int64  `json:"first_run"`
	LastRun  int64  `json:"last_run"`
}

// Write hands off the files the store (a shard's) committed since its last handoff:
// one object with their ledger entries and sealed tags. Run it after the lake export
// of the same runs, so an object never points at profiles the lake does not hold yet.
// It is recorded in the store (lake_handoffs) only once stored; a crash in between
// hands the same files off again, which an import skips.
func Write(ctx context.Context, st *duckstore.Store, l *lake.Lake, master restricted.Master, writer string, now time.Time) (WriteReport, error) {
	var rep WriteReport
	if err := lake.ValidName(writer); err != nil {
		return rep, err
	}
	db := st.DB()
	var last, upTo sql.NullInt64
	// Runs handed off under any name (a store re-sharded from s0of3 to s0of4) are not
	// handed off again: once handed off, a shard's store may have purged their data.
	if err := db.QueryRowContext(ctx, `SELECT max(last_run) FROM lake_handoffs`).Scan(&last); err != nil {
		return rep, fmt.Errorf("handoff: reading state: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT max(run_id) FROM runs`).Scan(&upTo); err != nil {
		return rep, fmt.Errorf("handoff: reading runs: %w", err)
	}
	if upTo.Int64 <= last.Int64 {
		return rep, nil
	}
	rep.FirstRun, rep.LastRun = last.Int64+1, upTo.Int64
	files, err := readFiles(ctx, st, last.Int64, upTo.Int64)
	if err != nil {
		return rep, err
	}
	h := lake.Handoff{Version: lake.HandoffVersion, Writer: writer, FirstRun: rep.FirstRun, LastRun: rep.LastRun}
	if len(files) > 0 {
		dk := restricted.NewDataKey()
		if h.WrappedKey, err = master.Wrap(dk); err != nil {
			return rep, fmt.Errorf("handoff: wrapping its data key: %w", err)
		}
		if rep.Tags, err = sealTags(ctx, st, dk, writer, last.Int64, upTo.Int64, files); err != nil {
			return rep, err
		}
		for _, f := range files {
			h.Files = append(h.Files, *f)
		}
		name := fmt.Sprintf("%s-r%d-%d", now.UTC().Format("20060102T150405.000000000Z"), rep.FirstRun, rep.LastRun)
		if rep.Object, err = l.PutHandoff(ctx, name, h); err != nil {
			return rep, err
		}
		rep.Files = len(files)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO lake_handoffs VALUES (?, ?, ?, ?, ?, ?, ?)`,
		writer, rep.FirstRun, rep.LastRun, rep.Object, rep.Files, rep.Tags, now.UTC())
	if err != nil {
		return rep, fmt.Errorf("handoff: recording %s: %w", rep.Object, err)
	}
	return rep, nil
}

// readFiles reads the ledger entries of the files committed in runs (after, upTo], in
// location order, with their profile ids, quarantine rows and vacancies.
func readFiles(ctx context.Context, st *duckstore.Store, after, upTo int64) ([]*lake.HandoffFile, error) {
	db := st.DB()
	var files []*lake.HandoffFile
	bySHA := map[string]*lake.HandoffFile{}
	err := each(ctx, db, "files", after, upTo, func(rows *sql.Rows) error {
		f := &lake.HandoffFile{}
		if err := rows.Scan(&f.SHA256, &f.Location, &f.Size, &f.Format, &f.Status, &f.Channel, &f.ReceivedAt, &f.IngestDate, &f.DetectorFingerprint); err != nil {
			return err
		}
		f.ReceivedAt = f.ReceivedAt.UTC()
		files = append(files, f)
		bySHA[f.SHA256] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, "profiles", after, upTo, func(rows *sql.Rows) error {
		var sha, id string
		if err := rows.Scan(&sha, &id); err != nil {
			return err
		}
		if f := bySHA[sha]; f != nil {
			f.Profiles = append(f.Profiles, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, "quarantine", after, upTo, func(rows *sql.Rows) error {
		var sha string
		var p lake.HandoffProblem
		if err := rows.Scan(&sha, &p.Origin, &p.Reason, &p.Detail); err != nil {
			return err
		}
		if f := bySHA[sha]; f != nil { // no files row: an unreadable input, retried by the shard
			f.Quarantine = append(f.Quarantine, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, "vacancies", after, upTo, func(rows *sql.Rows) error {
		var sha string
		var v profile.Vacancy
		var skills []any
		if err := rows.Scan(&sha, &v.Reference, &v.Title, &v.Employer, &v.Town, &v.Postcode, &v.Description,
			&skills, &v.Salary, &v.JobType, &v.PostedDate, &v.URL, &v.Category); err != nil {
			return err
		}
		v.Skills = make([]string, 0, len(skills))
		for _, s := range skills {
			str, _ := s.(string)
			v.Skills = append(v.Skills, str)
		}
		if f := bySHA[sha]; f != nil {
			f.Vacancies = append(f.Vacancies, v)
		}
		return nil
	})
	return files, err
}

// sealTags seals the evidence of the files' tags under dk and attaches them to their
// files; it returns how many it sealed.
func sealTags(ctx context.Context, st *duckstore.Store, dk []byte, writer string, after, upTo int64, files []*lake.HandoffFile) (int, error) {
	byProfile := map[string]*lake.HandoffFile{}
	for _, f := range files {
		for _, p := range f.Profiles {
			byProfile[p] = f
		}
	}
	tags, err := st.TagsOfRuns(ctx, after, upTo)
	if err != nil {
		return 0, fmt.Errorf("handoff: reading restricted tags: %w", err)
	}
	n := 0
	for _, t := range tags {
		f := byProfile[t.ProfileID]
		if f == nil {
			continue // its profile was erased from this store
		}
		_, idx, ok := strings.Cut(t.TagID, "#")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil {
			return n, fmt.Errorf("handoff: tag %s: id is not <profile>#<n>", t.TagID)
		}
		sealed, err := sealTag(dk, writer, t.ProfileID, i, sealedTag{Category: t.Category, Condition: t.Condition,
			Detector: t.Detector, Confidence: t.Confidence, Start: t.Start, End: t.End, Evidence: t.Evidence})
		if err != nil {
			return n, fmt.Errorf("handoff: sealing tag %s: %w", t.TagID, err)
		}
		f.Tags = append(f.Tags, lake.HandoffTag{ProfileID: t.ProfileID, N: i, Sealed: sealed})
		n++
	}
	return n, nil
}

// each runs one of the embedded queries over runs (after, upTo] and calls fn per row.
func each(ctx context.Context, db *sql.DB, name string, after, upTo int64, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query(name), after, upTo)
	if err != nil {
		return fmt.Errorf("handoff: reading %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("handoff: reading %s: %w", name, err)
		}
	}
	return rows.Err()
}
