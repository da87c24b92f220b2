package duckstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

// Re-tagging (`cvetl retag`, docs/retag.md) brings the current special-category
// detector to files ingested by an older one. It only ever adds: new findings are
// sealed into restricted under the subject's existing data key and redacted from the
// profile's fields; rows already sealed are never changed or removed.

// ErrRetagMismatch marks a file whose re-extraction no longer lines up with its stored
// profiles (an extractor changed how it splits the file): that file is not re-tagged,
// the run goes on.
var ErrRetagMismatch = errors.New("the re-extracted file does not line up with its stored profiles")

// RetagFile is a stored file whose profiles may be re-tagged.
type RetagFile struct {
	SHA256   string
	Location string // where ingest found it
	Channel  profile.Channel
	// Rewritten is the content an erasure last rewrote the file into (raw_rewrites,
	// the end of its chain), which is what the file must now hold; "" when no erasure
	// rewrote it and it must still hold SHA256.
	Rewritten string
	// Changed is the raw input as retag last found it changed since ingest
	// (RememberChanged); nil when it was not.
	Changed *RawSeen
}

// RetagList is what RetagFiles found: the files to re-read, and how many it left out
// because the current detector already tagged them, or because every subject they
// still back is restricted (Art. 18: re-reading is processing; they stay stale and are
// read once a restriction is lifted).
type RetagList struct {
	Files      []RetagFile
	Current    int
	Restricted int
}

// RetagFiles lists, in hash order, the ingested files that still back at least one
// profile of a subject who was not erased and whose recorded detector fingerprint is
// not fingerprint (NULL, from before fingerprints, counts as not); with all, or an
// empty fingerprint, every such file. A file an erasure recorded (erased_files) is
// listed only when an erasure rewrote it without the erased people's records (a shared
// export, raw_rewrites), with the content it must now hold; one deleted or left as it
// was holds an erased person's data and is not read again. Files all of whose
// subjects are restricted are left out too. One query, so a store where every file is
// current costs no more.
func (s *Store) RetagFiles(ctx context.Context, fingerprint string, all bool) (RetagList, error) {
	all = all || fingerprint == ""
	// The last row, with no hash, carries the counts of files left out.
	rows, err := s.db.QueryContext(ctx, `WITH live AS (
		    SELECT p.file_sha256, bool_and(p.subject_id IN (SELECT subject_id FROM restrictions)) AS all_restricted
		    FROM profiles p
		    WHERE NOT contains(p.profile_id, '~') AND p.subject_id NOT IN (SELECT subject_id FROM erasures)
		    GROUP BY p.file_sha256
		), tip AS (
		    -- The end of each file's chain of rewrites: a content nothing rewrote since.
		    -- A chain that forks has no single end and its file is not read.
		    SELECT ingested_sha256, min(new_sha256) AS sha256, count(*) AS ends FROM raw_rewrites
		    WHERE new_sha256 NOT IN (SELECT old_sha256 FROM raw_rewrites)
		    GROUP BY ingested_sha256
		), eligible AS (
		    SELECT f.sha256, f.location, f.channel, t.sha256 AS rewritten, l.all_restricted,
		           NOT ? AND f.detector_fingerprint IS NOT DISTINCT FROM ? AS current
		    FROM files f JOIN live l ON l.file_sha256 = f.sha256
		    LEFT JOIN tip t ON t.ingested_sha256 = f.sha256
		    WHERE f.status = 'ingested' AND f.location <> 'erased'
		      AND (t.ends = 1 OR (t.ends IS NULL AND f.sha256 NOT IN (SELECT sha256 FROM erased_files))))
		SELECT e.sha256, location, channel, rewritten, 0, 0, c.size, c.mtime_ns
		FROM eligible e LEFT JOIN (SELECT sha256, any_value(size) AS size, any_value(mtime_ns) AS mtime_ns FROM retag_changed GROUP BY sha256) c
		  ON c.sha256 = e.sha256
		WHERE NOT current AND NOT all_restricted
		UNION ALL
		SELECT NULL, NULL, NULL, NULL, count(*) FILTER (WHERE current), count(*) FILTER (WHERE NOT current AND all_restricted), NULL, NULL FROM eligible
		ORDER BY 1 NULLS LAST`, all, fingerprint)
	if err != nil {
		return RetagList{}, fmt.Errorf("listing stored files: %w", err)
	}
	defer rows.Close()
	var out RetagList
	for rows.Next() {
		var sha, loc, ch, rewritten sql.NullString
		var current, restricted int
		var size, mtime sql.NullInt64
		if err := rows.Scan(&sha, &loc, &ch, &rewritten, &current, &restricted, &size, &mtime); err != nil {
			return out, err
		}
		if !sha.Valid {
			out.Current, out.Restricted = current, restricted
			continue
		}
		f := RetagFile{SHA256: sha.String, Location: loc.String, Channel: profile.Channel(ch.String), Rewritten: rewritten.String}
		if size.Valid && mtime.Valid {
			f.Changed = &RawSeen{Size: size.Int64, ModTime: mtime.Int64}
		}
		out.Files = append(out.Files, f)
	}
	return out, rows.Err()
}

// MarkTagged records that the detector named fingerprint has tagged the files shas,
// which Retag left settled without writing (nothing was new): losing these marks in a
// crash only means reading the files once more.
func (s *Store) MarkTagged(ctx context.Context, fingerprint string, shas []string) error {
	if len(shas) == 0 {
		return nil
	}
	if fingerprint == "" {
		return errors.New("marking files tagged: no detector fingerprint")
	}
	_, err := s.db.ExecContext(ctx, `UPDATE files SET detector_fingerprint = ?
		WHERE sha256 IN (SELECT unnest(string_split(?, ',')))`, fingerprint, strings.Join(shas, ","))
	if err != nil {
		return fmt.Errorf("recording the detector of %d re-tagged files: %w", len(shas), err)
	}
	return nil
}

// RetagRun is the retag run a file is re-tagged in.
type RetagRun struct {
	ID          int64  // the run's id; sealed rows carry it
	Fingerprint string // the detector's (specialcat.Fingerprint); "" records none
	DryRun      bool   // write nothing, not even a new data key
}

// RetagResult is what re-tagging one file found and did, or would do in a dry run.
type RetagResult struct {
	NewFindings      map[profile.Category]int // sealed (or to be sealed) by category
	ProfilesRedacted int                      // profiles whose fields changed
	// Subjects (ids, for counting) whose profiles had findings but were skipped: their
	// data key was destroyed, or their processing is restricted (Art. 18).
	KeyDestroyed, Restricted []string
	// Settled: the file holds nothing more for this detector to seal or redact, so it
	// may be marked as tagged by it. A restricted subject's skipped findings leave the
	// file unsettled: they are sealed once the restriction is lifted.
	Settled bool
	// Marked: Retag recorded the run's fingerprint on the file in the transaction that
	// sealed its findings. A settled file Retag did not mark is the caller's to mark
	// (MarkTagged); a dry run marks nothing.
	Marked bool
	// Unmatched counts re-extracted parts of a rewritten file (RetagRewritten) that no
	// stored profile came from: skipped, never sealed under another subject. Only a
	// file changed other than by an erasure can have one.
	Unmatched int
}

// retagSuffix marks a profile row being rewritten (retagProfile): DuckDB 1.1 cannot
// update the list columns of a keyed row in place, but can move the row to another key.
const retagSuffix = "~retag"

// storedProfile is one profile of a file as retag reads it.
type storedProfile struct {
	id, subject string
	part        int
	origin      string
	restricted  bool
	fields      profile.Candidate
	dob         sql.NullString
	sealed      []sealedSpan // its restricted rows
	keyID       string       // the key its rows are sealed under; "" when none yet
}

type sealedSpan struct {
	category   profile.Category
	start, end int
}

// Retag compares the findings of cands, the file's parts as re-extracted and tagged
// (indexed as ingest numbered the file's profiles), with each stored profile's sealed
// rows. A finding no row of the same category overlaps is sealed under the subject's
// existing data key with a new tag id and runID; every current finding is redacted from
// the profile's fields; the file is marked with run.Fingerprint in the same
// transaction. In a dry run nothing is written (not even a new data key).
// Errors name the file by hash and the profile by id, never evidence.
func (s *Store) Retag(ctx context.Context, run RetagRun, sha string, cands []pipeline.ParsedCandidate) (RetagResult, error) {
	return s.retag(ctx, run, sha, cands, false)
}

// RetagRewritten is Retag for a file an erasure rewrote (RetagFile.Rewritten): its
// records have moved up, so each of cands, whose Origin the caller mapped back to the
// numbering ingest read (rawedit.Lineage.IngestedOrigin), is matched to the stored
// profile of that origin, not by position. A part no live profile came from (an erased
// or anonymised person's, which the rewrite should have cut) is skipped and counted
// in Unmatched; a live profile with no part means the file is not what the erasure
// left, and the file is refused (ErrRetagMismatch).
func (s *Store) RetagRewritten(ctx context.Context, run RetagRun, sha string, cands []pipeline.ParsedCandidate) (RetagResult, error) {
	return s.retag(ctx, run, sha, cands, true)
}

func (s *Store) retag(ctx context.Context, run RetagRun, sha string, cands []pipeline.ParsedCandidate, byOrigin bool) (RetagResult, error) {
	res := RetagResult{NewFindings: map[profile.Category]int{}}
	runID, dryRun := run.ID, run.DryRun
	if len(sha) != 64 {
		return res, fmt.Errorf("file %q: not a sha256: %w", sha, ErrRetagMismatch)
	}
	if !byOrigin && !anyTags(cands) {
		res.Settled = true
		return res, nil // nothing to seal or redact: spare the store the lookups
	}
	profiles, err := s.retagProfiles(ctx, sha)
	if err != nil {
		return res, fmt.Errorf("file %.12s: %w", sha, err)
	}
	part := func(p storedProfile) (int, error) {
		if p.part >= len(cands) {
			return 0, fmt.Errorf("file %.12s: profile %s has no part %d among %d re-extracted: %w",
				sha, p.id, p.part, len(cands), ErrRetagMismatch)
		}
		return p.part, nil
	}
	if byOrigin {
		if part, res.Unmatched, err = partsByOrigin(sha, profiles, cands); err != nil {
			return res, err
		}
	}
	type write struct {
		p        storedProfile
		dk       []byte
		newTags  []profile.Tag
		redacted *profile.Candidate
		dob      any
	}
	var writes []write
	for _, p := range profiles {
		i, err := part(p)
		if err != nil {
			return res, err
		}
		tags := cands[i].Candidate.SpecialCategories
		fresh := unsealed(tags, p.sealed)
		orig, cur := p.fields, p.fields
		orig.Normalise()
		cur.SpecialCategories = tags
		red := cur.Redacted()
		red.Normalise()
		var dob any
		changed := !reflect.DeepEqual(red, orig)
		if p.dob.Valid {
			dob = p.dob.String
			if d := redactString(tags, p.dob.String); d != p.dob.String {
				dob, changed = nil, true // as ingest: a redacted date is no date
			}
		}
		if len(fresh) == 0 && !changed {
			continue
		}
		if p.restricted {
			res.Restricted = append(res.Restricted, p.subject)
			continue
		}
		keyID := p.keyID
		if keyID == "" {
			keyID = p.subject // as ingest names a subject's first key
		}
		var dk []byte
		if len(fresh) > 0 {
			if dk, err = s.retagKey(ctx, keyID, dryRun); errors.Is(err, restricted.ErrKeyDestroyed) {
				res.KeyDestroyed = append(res.KeyDestroyed, p.subject)
				continue
			} else if err != nil {
				return res, fmt.Errorf("profile %s: data key: %w", p.id, err)
			}
		}
		for _, t := range fresh {
			res.NewFindings[t.Category]++
		}
		w := write{p: p, dk: dk, newTags: fresh, dob: dob}
		if changed {
			res.ProfilesRedacted++
			w.redacted = &red
		}
		w.p.keyID = keyID
		writes = append(writes, w)
	}
	res.Settled = len(res.Restricted) == 0
	if dryRun || len(writes) == 0 {
		return res, nil
	}
	var moved []string
	err = s.inTx(ctx, func(conn *sql.Conn) error {
		for _, w := range writes {
			for n, t := range w.newTags {
				tagID := fmt.Sprintf("%s#r%d.%d", w.p.id, runID, n)
				sealed, err := restricted.Seal(w.dk, []byte(t.Evidence), evidenceAAD(tagID, t.Category))
				if err != nil {
					return err
				}
				if _, err := conn.ExecContext(ctx, `INSERT INTO restricted VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					tagID, w.p.subject, w.p.keyID, w.p.id, string(t.Category), nullable(t.Condition), t.Detector,
					t.Confidence, int64(t.Start), int64(t.End), sealed, runID); err != nil {
					return fmt.Errorf("profile %s: sealing a finding: %w", w.p.id, err)
				}
			}
			if w.redacted != nil {
				if err := rewriteProfile(ctx, conn, w.p.id, *w.redacted, w.dob); err != nil {
					return fmt.Errorf("profile %s: re-redacting: %w", w.p.id, err)
				}
				moved = append(moved, w.p.id)
			}
		}
		if !res.Settled || run.Fingerprint == "" {
			return nil
		}
		// Marked with what it sealed: a crash cannot mark a file done that was not.
		if _, err := conn.ExecContext(ctx, `UPDATE files SET detector_fingerprint = ? WHERE sha256 = ?`, run.Fingerprint, sha); err != nil {
			return fmt.Errorf("recording the file's detector: %w", err)
		}
		res.Marked = true
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("file %.12s: %w", sha, err)
	}
	// Once the rows are committed their ids come back even if the run is being stopped.
	if err := s.restoreProfileIDs(context.WithoutCancel(ctx), moved); err != nil {
		return res, fmt.Errorf("file %.12s: %w", sha, err)
	}
	return res, nil
}

// partsByOrigin matches the stored profiles of a rewritten file to its re-extracted
// parts by origin. It returns the part of each profile and how many parts no profile
// came from.
func partsByOrigin(sha string, profiles []storedProfile, cands []pipeline.ParsedCandidate) (func(storedProfile) (int, error), int, error) {
	at := make(map[string]int, len(cands))
	for i, c := range cands {
		if _, dup := at[c.Origin]; dup || c.Origin == "" {
			return nil, 0, fmt.Errorf("file %.12s: re-extracted part %d has no origin of its own (%q): %w", sha, i, c.Origin, ErrRetagMismatch)
		}
		at[c.Origin] = i
	}
	used := 0
	for _, p := range profiles {
		if _, ok := at[p.origin]; !ok {
			return nil, 0, fmt.Errorf("file %.12s: profile %s (%s) is not among the %d re-extracted parts: %w",
				sha, p.id, p.origin, len(cands), ErrRetagMismatch)
		}
		used++
	}
	return func(p storedProfile) (int, error) { return at[p.origin], nil }, len(cands) - used, nil
}

// retagKey returns the data key to seal under. A dry run only checks that the key was
// not destroyed: creating one would be a write.
func (s *Store) retagKey(ctx context.Context, keyID string, dryRun bool) ([]byte, error) {
	if s.keys == nil {
		return nil, errors.New("special-category data found but the store has no key store: refusing to write it unencrypted")
	}
	if dryRun {
		destroyed, err := s.keys.Destroyed(ctx, keyID)
		if err == nil && destroyed {
			err = restricted.ErrKeyDestroyed
		}
		return nil, err
	}
	return s.keys.DataKey(ctx, keyID)
}

func anyTags(cands []pipeline.ParsedCandidate) bool {
	for _, c := range cands {
		if len(c.Candidate.SpecialCategories) > 0 {
			return true
		}
	}
	return false
}

// unsealed returns the tags no sealed span of the same category overlaps.
func unsealed(tags []profile.Tag, sealed []sealedSpan) []profile.Tag {
	var out []profile.Tag
	for _, t := range tags {
		covered := false
		for _, s := range sealed {
			if s.category == t.Category && t.Start < s.end && s.start < t.End {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, t)
		}
	}
	return out
}

// redactString redacts one value the way profile.Candidate.Redacted redacts a field.
func redactString(tags []profile.Tag, v string) string {
	c := profile.Candidate{Name: &v, SpecialCategories: tags}
	return *c.Redacted().Name
}

// retagProfiles reads the profiles of a file that retag may change: not anonymised,
// not of an erased subject. Profile ids start with the file's hash (profileID), and a
// range on that prefix lets DuckDB use the primary-key index instead of scanning every
// profile once per file.
func (s *Store) retagProfiles(ctx context.Context, sha string) ([]storedProfile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.profile_id, p.subject_id, coalesce(p.origin, ''),
		    p.subject_id IN (SELECT subject_id FROM restrictions),
		    p.name, CAST(to_json(p.emails) AS VARCHAR), CAST(to_json(p.phones) AS VARCHAR), p.postcode, p.town, p.ni_number,
		    CAST(p.date_of_birth AS VARCHAR), CAST(to_json(p.skills) AS VARCHAR), CAST(p.employment AS VARCHAR),
		    CAST(p.education AS VARCHAR), CAST(to_json(p.links) AS VARCHAR)
		FROM profiles p WHERE p.profile_id >= ? AND p.profile_id < ? AND p.file_sha256 = ?
		  AND NOT contains(p.profile_id, '~') AND p.subject_id NOT IN (SELECT subject_id FROM erasures)
		ORDER BY p.profile_id`, sha[:16]+"/", sha[:16]+"0", sha)
	if err != nil {
		return nil, fmt.Errorf("reading profiles: %w", err)
	}
	var out []storedProfile
	for rows.Next() {
		var p storedProfile
		var name, postcode, town, ni sql.NullString
		var emails, phones, skills, emp, edu, links sql.NullString
		if err := rows.Scan(&p.id, &p.subject, &p.origin, &p.restricted, &name, &emails, &phones, &postcode, &town, &ni,
			&p.dob, &skills, &emp, &edu, &links); err != nil {
			rows.Close()
			return nil, err
		}
		_, part, ok := strings.Cut(p.id, "/")
		if p.part, err = strconv.Atoi(part); !ok || err != nil {
			rows.Close()
			return nil, fmt.Errorf("profile %s: id has no part number: %w", p.id, ErrRetagMismatch)
		}
		f := &p.fields
		f.Name, f.Postcode, f.Town, f.NINumber = strPtr(name), strPtr(postcode), strPtr(town), strPtr(ni)
		for _, c := range []struct {
			src sql.NullString
			dst any
		}{{emails, &f.Emails}, {phones, &f.Phones}, {skills, &f.Skills}, {emp, &f.Employment}, {edu, &f.Education}, {links, &f.Links}} {
			if c.src.Valid {
				if err := json.Unmarshal([]byte(c.src.String), c.dst); err != nil {
					rows.Close()
					return nil, fmt.Errorf("profile %s: a stored list or JSON field does not decode: %w", p.id, ErrRetagMismatch)
				}
			}
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].sealed, out[i].keyID, err = s.sealedSpans(ctx, out[i].id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sealedSpans reads a profile's restricted rows (category and offsets only) and the
// key they are sealed under.
func (s *Store) sealedSpans(ctx context.Context, profileID string) ([]sealedSpan, string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT category, start_offset, end_offset, key_id FROM restricted
		WHERE profile_id = ? ORDER BY tag_id`, profileID)
	if err != nil {
		return nil, "", fmt.Errorf("profile %s: reading sealed rows: %w", profileID, err)
	}
	defer rows.Close()
	var spans []sealedSpan
	keyID := ""
	for rows.Next() {
		var sp sealedSpan
		var k string
		if err := rows.Scan(&sp.category, &sp.start, &sp.end, &k); err != nil {
			return nil, "", err
		}
		if keyID == "" {
			keyID = k
		}
		spans = append(spans, sp)
	}
	return spans, keyID, rows.Err()
}

// rewriteProfile writes a profile's re-redacted fields, moving the row to
// <id>~retag in the same statement (restoreProfileIDs moves it back once committed).
func rewriteProfile(ctx context.Context, conn *sql.Conn, id string, c profile.Candidate, dob any) error {
	c.Normalise()
	lists := make([]string, 0, 6)
	for _, v := range []any{c.Emails, c.Phones, c.Skills, c.Employment, c.Education, c.Links} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		lists = append(lists, string(b))
	}
	_, err := conn.ExecContext(ctx, `UPDATE profiles SET profile_id = ?, name = ?,
		    emails = from_json(?, '["VARCHAR"]'), phones = from_json(?, '["VARCHAR"]'),
		    postcode = ?, town = ?, ni_number = ?, date_of_birth = CAST(? AS DATE),
		    skills = from_json(?, '["VARCHAR"]'), employment = CAST(? AS JSON), education = CAST(? AS JSON),
		    links = from_json(?, '["VARCHAR"]')
		WHERE profile_id = ?`,
		id+retagSuffix, ptr(c.Name), lists[0], lists[1], ptr(c.Postcode), ptr(c.Town), ptr(c.NINumber), dob,
		lists[2], lists[3], lists[4], lists[5], id)
	return err
}

// restoreProfileIDs moves rewritten profiles back to their ids, in a transaction of
// its own: DuckDB 1.1 refuses to re-insert a key deleted in the same transaction.
func (s *Store) restoreProfileIDs(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := s.db.ExecContext(ctx, `UPDATE profiles SET profile_id = ? WHERE profile_id = ?`, id, id+retagSuffix); err != nil {
			return fmt.Errorf("profile %s: restoring its id: %w", id, err)
		}
	}
	return nil
}

// recoverRetag finishes what a retag cut short between its two transactions: profiles
// left under <id>~retag get their ids back. Open calls it, so no command reads the
// half-done state. It returns how many it restored.
func (s *Store) recoverRetag(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT profile_id FROM profiles WHERE suffix(profile_id, ?) ORDER BY 1`, retagSuffix)
	if err != nil {
		return 0, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, strings.TrimSuffix(id, retagSuffix))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return len(ids), s.restoreProfileIDs(ctx, ids)
}

// FinishRetagRun records the end of a retag run with the files it checked and those it
// could not read.
func (s *Store) FinishRetagRun(ctx context.Context, runID int64, checked, unavailable int, runErr error) error {
	if err := s.FinishPlainRun(ctx, runID, runErr); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `UPDATE runs SET files_seen = ?, files_unreadable = ? WHERE run_id = ?`, checked, unavailable, runID)
	return err
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}
