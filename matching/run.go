// Package matching proposes candidates for open vacancies (GDPR Art. 22 aware): it
// scores eligible candidates on skills weighted by rarity, job titles, experience,
// qualifications and location, never on who they are, and writes the top N per
// vacancy as a match manifest for people to review. Nothing here contacts anyone.
package matching

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/jobs/manifest"
	"github.com/cvetl/cvetl/review"
)

//go:embed matching.sql
var queriesSQL string

// queries are matching.sql's statements by name.
var queries = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(queriesSQL, "-- name: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		out[strings.TrimSpace(name)] = strings.TrimSuffix(strings.TrimSpace(body), ";")
	}
	return out
})

func query(name string) string {
	q, ok := queries()[name]
	if !ok {
		panic("matching: no query " + name + " in matching.sql")
	}
	return q
}

// Kind is the manifest kind matching writes.
const Kind = "matches"

// Columns are the match manifest's columns, in order.
var Columns = []manifest.Column{
	{Name: "row_id", Type: manifest.String},
	{Name: "vacancy_id", Type: manifest.String},
	{Name: "vacancy_title", Type: manifest.String},
	{Name: "client", Type: manifest.String},
	{Name: "subject_id", Type: manifest.String},
	{Name: "subject_ref", Type: manifest.String},
	{Name: "score", Type: manifest.Float},
	{Name: "explanation", Type: manifest.String},
	{Name: "matched_skills", Type: manifest.StringList},
	{Name: "review_required", Type: manifest.Bool},
	{Name: "status", Type: manifest.String},
}

// Options configure one matching run.
type Options struct {
	Config config.Matching
	AsOf   time.Time
	// OutDir receives manifests/matches-<as-of>.{json,csv,parquet}.
	OutDir string
	// Policy and RunID tie the manifest to the nightly run that made it.
	Policy string
	RunID  int64
	// Workers scores vacancies in parallel; 0 means one per CPU.
	Workers int
	Log     *slog.Logger
}

// Result is the run summary: counts and ids only.
type Result struct {
	ManifestID string         `json:"manifest_id"`
	Vacancies  int            `json:"vacancies"`
	Candidates int            `json:"candidates"` // eligible
	Excluded   map[string]int `json:"excluded"`   // subjects never matched, by reason
	Rows       int            `json:"rows"`
	Files      []string       `json:"files"`
	Problems   []string       `json:"problems"`
	Seconds    float64        `json:"seconds"`
}

// Run scores every open vacancy against every eligible candidate, writes the match
// manifest and records it and its rows in the store. With no open vacancy it writes
// nothing.
func Run(ctx context.Context, db *sql.DB, opt Options) (res Result, err error) {
	start := time.Now()
	res = Result{Excluded: map[string]int{}, Files: []string{}, Problems: []string{}}
	defer func() { res.Seconds = time.Since(start).Seconds() }()
	if err := opt.Config.Validate(); err != nil {
		return res, err
	}
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	asOf := opt.AsOf.Format(time.DateOnly)
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if res.Excluded, err = excludedCounts(ctx, conn); err != nil {
		return res, err
	}
	x := newExtractor(opt.Config, opt.AsOf)
	vacs, err := loadVacancies(ctx, conn, asOf, opt.Config.VacancyMaxAgeDays)
	if err != nil {
		return res, err
	}
	res.Vacancies = len(vacs)
	if len(vacs) == 0 {
		log.Info("matching: no open vacancies", "as_of", asOf)
		return res, nil
	}
	phase := time.Now()
	pool, err := loadCandidates(ctx, conn, x)
	if err != nil {
		return res, err
	}
	res.Candidates = len(pool.ids)
	ix := buildIndex(pool.feats, x)
	pool.feats = nil // the index holds them now
	log.Info("matching: candidates loaded", "eligible", res.Candidates, "vacancies", res.Vacancies,
		"took", time.Since(phase).Round(time.Millisecond))

	phase = time.Now()
	results := matchAll(ctx, ix, x, vacs, pool, opt)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	log.Info("matching: scored", "took", time.Since(phase).Round(time.Millisecond))

	w, err := manifest.Create(filepath.Join(opt.OutDir, "manifests"), Kind, asOf, Columns)
	if err != nil {
		return res, err
	}
	for i, v := range vacs {
		for _, m := range results[i] {
			row := []any{rowID(v.ID, pool.ids[m.Candidate]), v.ID, v.Title, v.Client, pool.ids[m.Candidate],
				nullable(pool.refs[m.Candidate]), m.Score, m.Explanation, m.MatchedSkills, true, "pending"}
			if err := w.Write(row); err != nil {
				w.Abort()
				return res, fmt.Errorf("writing the match manifest: %w", err)
			}
			res.Rows++
		}
	}
	digest := settingsDigest(opt.Config)
	h := sha256.Sum256([]byte(strings.Join([]string{Kind, asOf, opt.Policy, digest, w.Digest()}, "\n")))
	res.ManifestID = fmt.Sprintf("%s-%s-%s-%s", Kind, asOf, opt.Policy, hex.EncodeToString(h[:6]))
	meta := manifest.Meta{ID: res.ManifestID, Kind: Kind, AsOf: asOf, Policy: opt.Policy, Extra: []manifest.Field{
		{Key: "policy_digest", Value: digest},
		{Key: "row_count", Value: res.Rows},
		{Key: "top_n", Value: opt.Config.TopN},
		{Key: "proxies_excluded", Value: append([]string{}, opt.Config.Proxies...)},
		{Key: "weights", Value: weightsDoc()},
	}}
	files, werr := w.Commit(meta)
	if len(files) == 0 {
		return res, fmt.Errorf("writing the match manifest: %w", werr)
	}
	res.Files = files
	if werr != nil {
		res.Problems = append(res.Problems, "match manifest "+werr.Error())
	}
	if err := persist(ctx, conn, res, opt, asOf, digest, vacs, results, pool); err != nil {
		return res, fmt.Errorf("recording the match manifest in the store: %w", err)
	}
	log.Info("matching: manifest written", "manifest", res.ManifestID, "rows", res.Rows)
	return res, nil
}

func rowID(vacancyID, subjectID string) string { return vacancyID + "/" + subjectID }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// weightsDoc tells a reader of the manifest how a score is made.
func weightsDoc() map[string]float64 {
	return map[string]float64{"skills": wSkills, "job_titles": wTitles, "experience": wExperience,
		"qualifications": wQuals, "location": wLocation}
}

// settingsDigest names everything besides the data that decides the scores.
func settingsDigest(cfg config.Matching) string {
	b, _ := json.Marshal(struct {
		Cfg     config.Matching
		Weights map[string]float64
		Version int
	}{cfg, weightsDoc(), 1})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// matchAll scores the vacancies on opt.Workers goroutines; results[i] is vacs[i]'s.
func matchAll(ctx context.Context, ix *index, x *extractor, vacs []Vacancy, pool *candidatePool, opt Options) [][]Match {
	// Vacancy features are extracted up front: the extractor's caches are not shared.
	vf := make([]vacancyFeatures, len(vacs))
	for i, v := range vacs {
		vf[i] = x.vacancy(v)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	results := make([][]Match, len(vacs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newScorer(ix)
			for i := range next {
				q := ix.prepare(&vf[i], opt.Config)
				if q.total == 0 {
					continue
				}
				client := strings.ToLower(strings.TrimSpace(vacs[i].Client))
				// Ask for a few more than N: some may be on this client's do-not-supply list.
				ms := s.top(q, opt.Config.TopN+pool.maxBlocked(client))
				kept := ms[:0]
				for _, m := range ms {
					if pool.blocked(m.Candidate, client) || len(kept) == opt.Config.TopN {
						continue
					}
					m.Score = math.Round(m.Score*1e4) / 1e4
					m.Explanation, m.MatchedSkills = s.explain(q, m.Candidate)
					kept = append(kept, m)
				}
				results[i] = kept
			}
		}()
	}
	for i := range vacs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// candidatePool is the eligible candidates in subject id order.
type candidatePool struct {
	ids, refs []string
	feats     []features
	// byClient: client (lower case) → candidate indexes not to put forward to it.
	byClient map[string]map[int32]bool
}

func (p *candidatePool) blocked(c int32, client string) bool { return p.byClient[client][c] }

func (p *candidatePool) maxBlocked(client string) int { return len(p.byClient[client]) }

// loadCandidates reads every eligible candidate's matching profile into features,
// in subject id order (the tie-break). Only the columns Profile has are read; a
// subject's profiles are merged into one.
func loadCandidates(ctx context.Context, conn *sql.Conn, x *extractor) (*candidatePool, error) {
	rows, err := conn.QueryContext(ctx, query("candidates"))
	if err != nil {
		return nil, fmt.Errorf("matching.sql candidates: %w", err)
	}
	defer rows.Close()
	type loaded struct {
		id, ref string
		run     int64
		f       features
	}
	var all []loaded
	at := map[string]int{}
	for rows.Next() {
		var subj string
		var run int64
		var ref, postcode, town, skills, employment, education sql.NullString
		if err := rows.Scan(&subj, &ref, &run, &postcode, &town, &skills, &employment, &education); err != nil {
			return nil, fmt.Errorf("matching.sql candidates: %w", err)
		}
		p := Profile{SubjectID: subj, Postcode: postcode.String, Town: town.String}
		if skills.String != "" {
			p.Skills = strings.Split(skills.String, "\x1f")
		}
		if employment.Valid && employment.String != "" && employment.String != "null" {
			if err := json.Unmarshal([]byte(employment.String), &p.Jobs); err != nil {
				return nil, fmt.Errorf("subject %s: employment is not a JSON list of jobs: %w", subj, err)
			}
		}
		if education.Valid && education.String != "" && education.String != "null" {
			var edu []struct {
				Qualification string `json:"qualification"`
			}
			if err := json.Unmarshal([]byte(education.String), &edu); err != nil {
				return nil, fmt.Errorf("subject %s: education is not a JSON list: %w", subj, err)
			}
			for _, e := range edu {
				if e.Qualification != "" {
					p.Qualifications = append(p.Qualifications, e.Qualification)
				}
			}
		}
		f := x.candidate(p)
		if i, ok := at[subj]; ok {
			all[i].f = merge(all[i].f, f, run > all[i].run)
			all[i].run = max(all[i].run, run)
			continue
		}
		at[subj] = len(all)
		all = append(all, loaded{subj, ref.String, run, f})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("matching.sql candidates: %w", err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	pool := &candidatePool{byClient: map[string]map[int32]bool{}, ids: make([]string, len(all)),
		refs: make([]string, len(all)), feats: make([]features, len(all))}
	for i, l := range all {
		pool.ids[i], pool.refs[i], pool.feats[i] = l.id, l.ref, l.f
	}
	all = nil
	index := make(map[string]int32, len(pool.ids))
	for i, id := range pool.ids {
		index[id] = int32(i)
	}
	dns, err := conn.QueryContext(ctx, query("client_exclusions"))
	if err != nil {
		return nil, fmt.Errorf("matching.sql client_exclusions: %w", err)
	}
	defer dns.Close()
	for dns.Next() {
		var subj, client string
		if err := dns.Scan(&subj, &client); err != nil {
			return nil, err
		}
		if c, ok := index[subj]; ok {
			if pool.byClient[client] == nil {
				pool.byClient[client] = map[int32]bool{}
			}
			pool.byClient[client][c] = true
		}
	}
	return pool, dns.Err()
}

func loadVacancies(ctx context.Context, conn *sql.Conn, asOf string, maxAge int) ([]Vacancy, error) {
	rows, err := conn.QueryContext(ctx, query("vacancies"), sql.Named("as_of", asOf), sql.Named("max_age", maxAge))
	if err != nil {
		return nil, fmt.Errorf("matching.sql vacancies: %w", err)
	}
	defer rows.Close()
	var out []Vacancy
	for rows.Next() {
		var v Vacancy
		var skills any
		if err := rows.Scan(&v.ID, &v.Title, &v.Client, &v.Town, &v.Postcode, &v.Description, &skills); err != nil {
			return nil, fmt.Errorf("matching.sql vacancies: %w", err)
		}
		v.Skills = stringList(skills)
		out = append(out, v)
	}
	return out, rows.Err()
}

// excludedCounts counts the subjects never matched, by reason (a subject can have
// several).
func excludedCounts(ctx context.Context, conn *sql.Conn) (map[string]int, error) {
	out := map[string]int{}
	rows, err := conn.QueryContext(ctx, "SELECT reason, count(DISTINCT subject_id) FROM ("+query("excluded")+") GROUP BY reason",
		sql.Named("client", ""))
	if err != nil {
		return nil, fmt.Errorf("matching.sql excluded: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var reason string
		var n int
		if err := rows.Scan(&reason, &n); err != nil {
			return nil, err
		}
		out[reason] = n
	}
	return out, rows.Err()
}

func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// persist records the manifest and its rows in one transaction. A manifest already
// recorded (same inputs, same id) keeps its rows and their review status.
func persist(ctx context.Context, conn *sql.Conn, res Result, opt Options, asOf, digest string,
	vacs []Vacancy, results [][]Match, pool *candidatePool) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM manifests WHERE manifest_id = ?`, res.ManifestID).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		files, _ := json.Marshal(res.Files)
		if _, err := conn.ExecContext(ctx, query("persist_manifest"), sql.Named("manifest_id", res.ManifestID),
			sql.Named("as_of", asOf), sql.Named("policy", opt.Policy), sql.Named("policy_digest", digest),
			sql.Named("row_count", res.Rows), sql.Named("files", string(files)), sql.Named("run_id", opt.RunID),
			sql.Named("created_at", time.Now().UTC().Format("2006-01-02 15:04:05.000000"))); err != nil {
			return fmt.Errorf("matching.sql persist_manifest: %w", err)
		}
		if err := appendRows(conn, res.ManifestID, vacs, results, pool); err != nil {
			return err
		}
		if err := review.StampFacts(ctx, conn, "matches", res.ManifestID); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, query("supersede"), sql.Named("manifest_id", res.ManifestID), sql.Named("as_of", asOf)); err != nil {
		return fmt.Errorf("matching.sql supersede: %w", err)
	}
	if err := listInRun(ctx, conn, opt.RunID, res.ManifestID); err != nil {
		return fmt.Errorf("recording the manifest in run %d: %w", opt.RunID, err)
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// listInRun adds the manifest to the run's list of manifests written, so the ledger
// shows the nightly's match manifest beside its deletion manifest.
func listInRun(ctx context.Context, conn *sql.Conn, runID int64, manifestID string) error {
	var current sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT CAST(manifests AS VARCHAR) FROM runs WHERE run_id = ?`, runID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // a run the ledger does not know (tools, tests)
	}
	if err != nil {
		return err
	}
	ids := []string{}
	if current.Valid && current.String != "" && current.String != "null" {
		if err := json.Unmarshal([]byte(current.String), &ids); err != nil {
			return fmt.Errorf("runs.manifests is not a JSON list: %w", err)
		}
	}
	for _, id := range ids {
		if id == manifestID {
			return nil
		}
	}
	b, _ := json.Marshal(append(ids, manifestID))
	_, err = conn.ExecContext(ctx, `UPDATE runs SET manifests = CAST(? AS JSON) WHERE run_id = ?`, string(b), runID)
	return err
}

func appendRows(conn *sql.Conn, manifestID string, vacs []Vacancy, results [][]Match, pool *candidatePool) error {
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "match_rows")
		if err != nil {
			return fmt.Errorf("appender for match_rows: %w", err)
		}
		for i, v := range vacs {
			for rank, m := range results[i] {
				subj := pool.ids[m.Candidate]
				skills := make([]any, len(m.MatchedSkills))
				for k, s := range m.MatchedSkills {
					skills[k] = s
				}
				if err := app.AppendRow(manifestID, rowID(v.ID, subj), v.ID, nullable(v.Client), subj, int32(rank+1),
					m.Score, m.Explanation, skills, true, "pending"); err != nil {
					return errors.Join(fmt.Errorf("match_rows: %w", err), app.Close())
				}
			}
		}
		return app.Close()
	})
}
