package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

var _ pipeline.Sink = (*Store)(nil)

// trimEvery is how many batches pass between returns of freed heap memory to the
// system (malloc_linux.go): often enough to keep ingest's footprint flat, rarely enough
// to cost nothing measurable.
const trimEvery = 16

// Commit stores a batch of results in one transaction: files, profiles, provenance,
// vacancies and quarantine rows appear together or not at all, so a crash at any
// point leaves the store as if the batch had never started.
func (s *Store) Commit(ctx context.Context, runID int64, batch []*pipeline.FileResult) error {
	s.mu.Lock()
	knownErr := s.knownErr
	s.mu.Unlock()
	if knownErr != nil {
		return knownErr
	}
	// Outside the transaction: these read on the store's one connection.
	if err := s.loadFilters(ctx); err != nil {
		return err
	}
	if err := s.firstSubjectNumber(ctx); err != nil {
		return fmt.Errorf("finding the next subject id: %w", err)
	}
	if err := s.copyQuarantined(batch); err != nil {
		return err
	}
	var id *identityTx
	now := s.now()
	err := s.inTx(ctx, func(conn *sql.Conn) error {
		var err error
		if id, err = s.newIdentityTx(ctx, conn, batch); err != nil {
			return err
		}
		apps, err := appenders(conn, "files", "profiles", "sources", "vacancies", "quarantine", "subjects", "subject_keys", "restricted")
		if err != nil {
			return err
		}
		closed := false
		defer func() {
			if !closed {
				for _, a := range apps {
					a.Close()
				}
			}
		}()
		var vacancyIDs []string
		for _, res := range batch {
			if res.Duplicate {
				continue
			}
			if res.Unreadable { // reported, but not recorded as seen: retried next run
				if err := apps["quarantine"].AppendRow(res.SHA256, res.Item.Location, nil,
					string(extractors.ReasonUnreadable), res.Err.Error(), runID, now, nil, nil, nil, nil); err != nil {
					return err
				}
				continue
			}
			status, format := "ingested", string(res.Format)
			if res.Quarantined() {
				status = "quarantined"
				e := res.Err
				if err := apps["quarantine"].AppendRow(res.SHA256, res.Item.Location, nil,
					string(extractors.ReasonOf(e)), e.Error(), runID, now, nil, nil, nil, nil); err != nil {
					return err
				}
			}
			taggedBy := nullable(res.TaggedBy) // a quarantined file was not tagged
			if res.Quarantined() {
				taggedBy = nil
			}
			if err := apps["files"].AppendRow(res.SHA256, res.Item.Location, res.Size, nullable(format),
				status, string(res.Channel), receivedAt(res, now), runID, taggedBy); err != nil {
				return err
			}
			for _, p := range res.Problems {
				if err := apps["quarantine"].AppendRow(res.SHA256, res.Item.Location, p.Origin,
					string(p.Reason), p.Detail, runID, now, nil, nil, nil, nil); err != nil {
					return err
				}
			}
			for i, pc := range res.Candidates {
				subj, err := id.resolve(pc.Candidate, runID, now, apps)
				if err != nil {
					return err
				}
				if err := appendProfile(apps, res, i, pc, subj, runID, now); err != nil {
					return err
				}
				if err := s.appendRestricted(ctx, apps, profileID(res, i), subj, pc.Candidate.SpecialCategories, runID); err != nil {
					return err
				}
			}
			for _, v := range res.Vacancies {
				vid, err := appendVacancy(apps, res, v, runID)
				if err != nil {
					return err
				}
				vacancyIDs = append(vacancyIDs, vid)
			}
		}
		// A feed re-published tomorrow carries the same vacancies: the newest copy wins.
		// Deleting before the appenders flush keeps this batch's rows.
		if err := deleteOlderVacancies(ctx, conn, vacancyIDs, runID); err != nil {
			return err
		}
		closed = true
		for _, t := range []string{"files", "profiles", "sources", "vacancies", "quarantine", "subjects", "subject_keys", "restricted"} {
			if err := apps[t].Close(); err != nil {
				return fmt.Errorf("flushing %s: %w", t, err)
			}
		}
		return id.applyMerges(ctx, conn, runID, now)
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	keys := id.publish()
	s.commits++
	trim := s.commits%trimEvery == 0
	s.mu.Unlock()
	files := make([]string, 0, len(batch))
	for _, res := range batch {
		if !res.Duplicate && !res.Unreadable {
			files = append(files, res.SHA256)
		}
	}
	if err := s.addStored(ctx, files, keys); err != nil {
		return err
	}
	if trim {
		trimMalloc()
	}
	return nil
}

func receivedAt(res *pipeline.FileResult, now time.Time) time.Time {
	if res.Item.ModTime.IsZero() {
		return now
	}
	return res.Item.ModTime.UTC()
}

func appendProfile(apps appenderSet, res *pipeline.FileResult, i int, pc pipeline.ParsedCandidate, subj string, runID int64, now time.Time) error {
	c := pc.Candidate.Redacted()
	c.Normalise()
	profileID := profileID(res, i)
	var dob any
	if c.DateOfBirth != nil {
		if t, err := time.Parse(time.DateOnly, *c.DateOfBirth); err == nil {
			dob = t
		}
	}
	if err := apps["profiles"].AppendRow(profileID, subj, res.SHA256, nullable(pc.Origin), string(pc.Format),
		ptr(c.Name), c.Emails, c.Phones, ptr(c.Postcode), ptr(c.Town), ptr(c.NINumber), dob,
		c.Skills, c.Employment, c.Education, c.Links, runID); err != nil {
		return fmt.Errorf("profile %s: %w", profileID, err)
	}
	return apps["sources"].AppendRow(profileID, subj, string(res.Channel), res.Channel.ObtainedFromSubject(),
		receivedAt(res, now), res.SHA256, res.Item.Location, nullable(pc.Origin), runID)
}

func profileID(res *pipeline.FileResult, i int) string {
	return fmt.Sprintf("%s/%d", res.SHA256[:16], i)
}

// appendRestricted seals each tag's evidence under the subject's data key. The key is
// named after the subject that first held the evidence and keeps that name through
// merges, so erasure destroys every key a subject's rows point at.
func (s *Store) appendRestricted(ctx context.Context, apps appenderSet, profileID, subj string, tags []profile.Tag, runID int64) error {
	if len(tags) == 0 {
		return nil
	}
	if s.keys == nil {
		return errors.New("special-category data found but the store has no key store: refusing to write it unencrypted")
	}
	dk, err := s.keys.DataKey(ctx, subj)
	if err != nil {
		return fmt.Errorf("data key: %w", err)
	}
	for n, t := range tags {
		tagID := fmt.Sprintf("%s#%d", profileID, n)
		sealed, err := restricted.Seal(dk, []byte(t.Evidence), evidenceAAD(tagID, t.Category))
		if err != nil {
			return err
		}
		if err := apps["restricted"].AppendRow(tagID, subj, subj, profileID, string(t.Category), nullable(t.Condition),
			t.Detector, t.Confidence, int64(t.Start), int64(t.End), sealed, runID); err != nil {
			return err
		}
	}
	return nil
}

// evidenceAAD binds a sealed value to its row, so it cannot be replayed elsewhere.
func evidenceAAD(tagID string, c profile.Category) []byte { return []byte(tagID + "|" + string(c)) }

func appendVacancy(apps appenderSet, res *pipeline.FileResult, v profile.Vacancy, runID int64) (string, error) {
	vid := string(res.Channel) + "/" + v.Reference
	var posted any
	if t, err := time.Parse(time.DateOnly, v.PostedDate); err == nil {
		posted = t
	}
	if v.Skills == nil {
		v.Skills = []string{}
	}
	err := apps["vacancies"].AppendRow(vid, v.Reference, string(res.Channel), res.SHA256, nullable(v.Title),
		nullable(v.Employer), nullable(v.Town), nullable(v.Postcode), nullable(v.Description), v.Skills,
		nullable(v.Salary), nullable(v.JobType), posted, nullable(v.URL), nullable(v.Category), runID)
	return vid, err
}

func deleteOlderVacancies(ctx context.Context, conn *sql.Conn, ids []string, runID int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, runID)
	for _, id := range ids {
		args = append(args, id)
	}
	q := `DELETE FROM vacancies WHERE run_id <> ? AND vacancy_id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	_, err := conn.ExecContext(ctx, q, args...)
	return err
}

// copyQuarantined keeps a copy of each quarantined file, named by hash, so the operator
// can inspect it after the inbox is cleaned. Done before the commit: a crash leaves at
// worst an orphan copy that the re-run overwrites.
func (s *Store) copyQuarantined(batch []*pipeline.FileResult) error {
	if s.quarantineDir == "" {
		return nil
	}
	for _, res := range batch {
		if !res.Quarantined() || res.Duplicate || res.Data == nil {
			continue
		}
		if err := os.MkdirAll(s.quarantineDir, 0o700); err != nil {
			return err
		}
		dst := filepath.Join(s.quarantineDir, res.SHA256)
		if err := os.WriteFile(dst, res.Data, 0o600); err != nil {
			return fmt.Errorf("quarantine copy: %w", err)
		}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
