package handoff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// batchSize is how many files one Commit transaction holds, as in an ingest.
const batchSize = 256

// ImportReport says what an import did. Counts, writer names and object keys only.
type ImportReport struct {
	Objects        int              `json:"objects"`         // handoff objects read
	Writers        []string         `json:"writers"`         // whose objects they were
	ObjectsDeleted int              `json:"objects_deleted"` // removed after the commit
	Summary        pipeline.Summary `json:"summary"`         // as an ingest's: new, duplicate, quarantined files
	Tags           int              `json:"tags"`            // special-category tags handed to the store
}

// pending is one handoff object read and opened.
type pending struct {
	obj  lake.HandoffObject
	h    lake.Handoff
	done bool                     // already imported: only to be deleted
	tags map[string][]profile.Tag // by profile id, in tag order
}

// choice is the entry a file is imported from.
type choice struct {
	f *lake.HandoffFile
	p *pending
}

// Import commits the files handed off by shard writers into st (the authoritative
// store) under runID, then records and deletes the handoff objects. Every object is
// read and its data key unwrapped before anything is committed, so a writer with
// another master key fails the import as a whole, naming the writer. Files the store
// already knows (ingested, quarantined or erased) are skipped: a second import adds
// nothing. A file handed off by two writers (the same content under two keys) is
// taken from the first location, as one ingest in key order takes it. Files are
// committed one lake partition (day) at a time: a profile missing from the lake stops
// the import at its day, with the earlier days committed and every object kept, so a
// re-run once the lake is whole goes on from there.
func Import(ctx context.Context, st *duckstore.Store, l *lake.Lake, master restricted.Master, runID int64, now time.Time) (ImportReport, error) {
	rep := ImportReport{Writers: []string{}, Summary: pipeline.Summary{QuarantinedByReason: map[string]int{}}}
	objs, err := l.Handoffs(ctx)
	if err != nil {
		return rep, err
	}
	imported, err := importedObjects(ctx, st)
	if err != nil {
		return rep, err
	}
	var all []*pending
	writers := map[string]bool{}
	for _, o := range objs {
		p := &pending{obj: o, done: imported[o.Key]}
		if !p.done {
			if err := open(ctx, l, master, p); err != nil {
				return rep, err
			}
			rep.Objects++
			writers[o.Writer] = true
		}
		all = append(all, p)
	}
	for w := range writers {
		rep.Writers = append(rep.Writers, w)
	}
	sort.Strings(rep.Writers)

	chosen := choose(st, all, &rep.Summary)
	// One lake partition at a time, so memory holds one day's profiles, not a backlog's.
	for _, day := range byDay(chosen) {
		results, err := rebuild(ctx, l, day)
		if err != nil {
			return rep, err
		}
		for start := 0; start < len(results); start += batchSize {
			batch := results[start:min(start+batchSize, len(results))]
			if err := st.Commit(ctx, runID, batch); err != nil {
				return rep, fmt.Errorf("lake import: committing: %w", err)
			}
		}
		for _, res := range results {
			count(&rep, res)
		}
	}
	if err := record(ctx, st, all, chosen, runID, now); err != nil {
		return rep, err
	}
	for _, p := range all {
		if err := l.RemoveHandoff(ctx, p.obj); err != nil {
			return rep, err
		}
		rep.ObjectsDeleted++
	}
	return rep, nil
}

// open reads a handoff object and opens its sealed tags. Errors name the writer and
// the object, never a tag's content.
func open(ctx context.Context, l *lake.Lake, master restricted.Master, p *pending) error {
	h, err := l.ReadHandoff(ctx, p.obj)
	if err != nil {
		return fmt.Errorf("lake import: writer %s: %w", p.obj.Writer, err)
	}
	p.h, p.tags = h, map[string][]profile.Tag{}
	if len(h.Files) == 0 {
		return nil
	}
	dk, err := master.Unwrap(h.WrappedKey)
	if err != nil {
		return fmt.Errorf("lake import: writer %s: handoff %s: its data key does not unwrap with this store's master key; "+
			"shards and the authoritative store must share one master key (CVETL_MASTER_KEY, CVETL_MASTER_KEY_FILE or CVETL_KMS_KEY_ID): %w",
			p.obj.Writer, p.obj.Key, err)
	}
	for _, f := range h.Files {
		tags := slices.Clone(f.Tags)
		slices.SortFunc(tags, func(a, b lake.HandoffTag) int {
			return cmp.Or(cmp.Compare(a.ProfileID, b.ProfileID), cmp.Compare(a.N, b.N))
		})
		for i, t := range tags {
			if !slices.Contains(f.Profiles, t.ProfileID) {
				return fmt.Errorf("lake import: writer %s: handoff %s: a tag of profile %s, which is not one of its file's profiles", p.obj.Writer, p.obj.Key, t.ProfileID)
			}
			// Numbers may have gaps (a tag whose key the shard destroyed is not handed
			// off) but never repeat: the store numbers the tags it keeps afresh.
			if i > 0 && tags[i-1].ProfileID == t.ProfileID && tags[i-1].N == t.N {
				return fmt.Errorf("lake import: writer %s: handoff %s: profile %s has two tags numbered %d", p.obj.Writer, p.obj.Key, t.ProfileID, t.N)
			}
			tag, err := openTag(dk, p.h.Writer, t.ProfileID, t.N, t.Sealed)
			if err != nil {
				return fmt.Errorf("lake import: writer %s: handoff %s: tag %d of profile %s does not open: %w", p.obj.Writer, p.obj.Key, t.N, t.ProfileID, err)
			}
			p.tags[t.ProfileID] = append(p.tags[t.ProfileID], tag)
		}
	}
	return nil
}

// choose picks, for each file not yet in the store, the entry to import it from:
// the first by location (then writer), and counts the rest as duplicates.
func choose(st *duckstore.Store, all []*pending, sum *pipeline.Summary) []choice {
	by := map[string]choice{}
	for _, p := range all {
		if p.done {
			continue
		}
		for i := range p.h.Files {
			f := &p.h.Files[i]
			sum.FilesSeen++
			if st.Known(f.SHA256) {
				sum.FilesDuplicate++
				continue
			}
			c, seen := by[f.SHA256]
			if seen {
				sum.FilesDuplicate++
				if cmp.Or(cmp.Compare(f.Location, c.f.Location), cmp.Compare(p.obj.Writer, c.p.obj.Writer)) >= 0 {
					continue
				}
			}
			by[f.SHA256] = choice{f: f, p: p}
		}
	}
	out := make([]choice, 0, len(by))
	for _, c := range by {
		out = append(out, c)
	}
	// Location order is the order one ingest of the same inputs commits in.
	slices.SortFunc(out, func(a, b choice) int {
		return cmp.Or(cmp.Compare(a.f.Location, b.f.Location), cmp.Compare(a.f.SHA256, b.f.SHA256))
	})
	return out
}

// byDay splits the chosen entries (in commit order) by the lake partition holding
// their profiles, earliest day first.
func byDay(chosen []choice) [][]choice {
	days := map[string][]choice{}
	for _, c := range chosen {
		days[c.f.IngestDate] = append(days[c.f.IngestDate], c)
	}
	keys := make([]string, 0, len(days))
	for d := range days {
		keys = append(keys, d)
	}
	sort.Strings(keys)
	out := make([][]choice, 0, len(keys))
	for _, d := range keys {
		out = append(out, days[d])
	}
	return out
}

// rebuild turns the chosen entries into file results, reading their profiles from
// the lake partitions the entries name. A profile the lake does not hold fails the
// import: the writer's lake export is incomplete, and committing the file without it
// would lose the profile for good.
func rebuild(ctx context.Context, l *lake.Lake, chosen []choice) ([]*pipeline.FileResult, error) {
	want := map[string]map[string]bool{} // day → profile ids
	for _, c := range chosen {
		for _, id := range c.f.Profiles {
			if want[c.f.IngestDate] == nil {
				want[c.f.IngestDate] = map[string]bool{}
			}
			want[c.f.IngestDate][id] = true
		}
	}
	profiles := map[string]lake.Row{}
	idCol := lake.Profiles.Index("profile_id")
	for day, ids := range want {
		rows, err := l.ReadPartition(ctx, lake.Profiles, day)
		if err != nil {
			return nil, fmt.Errorf("lake import: %w", err)
		}
		for _, r := range rows {
			id, _ := r[idCol].(string)
			if _, have := profiles[id]; ids[id] && !have {
				profiles[id] = r
			}
		}
	}
	out := make([]*pipeline.FileResult, 0, len(chosen))
	for _, c := range chosen {
		res, err := result(c, profiles)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// result rebuilds one file's result as the shard's ingest produced it.
func result(c choice, profiles map[string]lake.Row) (*pipeline.FileResult, error) {
	f := c.f
	res := &pipeline.FileResult{
		Item:      pipeline.Item{Location: f.Location, Size: f.Size, ModTime: f.ReceivedAt},
		SHA256:    f.SHA256,
		Size:      f.Size,
		Format:    extractors.Format(f.Format),
		Channel:   profile.Channel(f.Channel),
		Vacancies: f.Vacancies,
		// As the shard's ingest recorded it: tags by the current detector are not
		// re-read by the next retag. "" (an older handoff) stays unknown, so stale.
		TaggedBy: f.DetectorFingerprint,
	}
	for _, q := range f.Quarantine {
		if f.Status == "quarantined" && q.Origin == "" && res.Err == nil {
			res.Err = &handedOffError{reason: extractors.Reason(q.Reason), text: q.Detail}
			continue
		}
		res.Problems = append(res.Problems, extractors.Problem{Origin: q.Origin, Reason: extractors.Reason(q.Reason), Detail: q.Detail})
	}
	if f.Status == "quarantined" && res.Err == nil {
		return nil, fmt.Errorf("lake import: writer %s: file %s is quarantined without a reason", c.p.obj.Writer, short(f.SHA256))
	}
	for _, id := range f.Profiles {
		row, ok := profiles[id]
		if !ok {
			return nil, fmt.Errorf("lake import: writer %s: profile %s of file %s is not in the lake's profiles (partition %s): has the writer's lake export finished?",
				c.p.obj.Writer, id, short(f.SHA256), f.IngestDate)
		}
		pc, err := candidate(row)
		if err != nil {
			return nil, fmt.Errorf("lake import: writer %s: profile %s: %w", c.p.obj.Writer, id, err)
		}
		pc.Candidate.SpecialCategories = c.p.tags[id]
		res.Candidates = append(res.Candidates, pc)
	}
	return res, nil
}

// handedOffError is a whole-file quarantine as the shard recorded it: the same reason
// and the same text.
type handedOffError struct {
	reason extractors.Reason
	text   string
}

func (e *handedOffError) Error() string { return e.text }
func (e *handedOffError) Unwrap() error { return &extractors.Error{Reason: e.reason} }

// count adds a committed result to the report, as the ingest runner counts it.
func count(rep *ImportReport, res *pipeline.FileResult) {
	sum := &rep.Summary
	sum.FilesNew++
	if res.Quarantined() {
		sum.FilesQuarantined++
		sum.QuarantinedByReason[string(extractors.ReasonOf(res.Err))]++
	}
	if len(res.Problems) > 0 {
		sum.FilesWithProblems++
	}
	sum.Candidates += len(res.Candidates)
	sum.Vacancies += len(res.Vacancies)
	for _, pc := range res.Candidates {
		rep.Tags += len(pc.Candidate.SpecialCategories)
	}
}

func short(sha string) string { return sha[:min(12, len(sha))] }

// importedObjects are the handoff objects this store already imported.
func importedObjects(ctx context.Context, st *duckstore.Store) (map[string]bool, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT object FROM lake_imports`)
	if err != nil {
		return nil, fmt.Errorf("lake import: reading state: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// record notes each object read as imported by this run, with its counts.
func record(ctx context.Context, st *duckstore.Store, all []*pending, chosen []choice, runID int64, now time.Time) error {
	newFiles := map[*pending]int{}
	for _, c := range chosen {
		newFiles[c.p]++
	}
	var errs []error
	for _, p := range all {
		if p.done {
			continue
		}
		_, err := st.DB().ExecContext(ctx, `INSERT INTO lake_imports VALUES (?, ?, ?, ?, ?, ?)`,
			p.obj.Key, p.obj.Writer, runID, len(p.h.Files), newFiles[p], now.UTC())
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("lake import: recording imported objects: %w", err)
	}
	return nil
}
