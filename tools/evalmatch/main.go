// Command evalmatch measures matching quality on the labelled set in testdata/match:
// 24 vacancies x 100 fictional candidates with graded relevance judgements. It loads
// the set into a fresh store, runs the real matching, and reports precision@5 and
// nDCG@10, for the full scorer and with features left out.
//
//	go run ./tools/evalmatch -data testdata/match            # evaluate (make eval-match)
//	go run ./tools/evalmatch -data testdata/match -generate  # rewrite the set (seeded)
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/matching"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// vacancyRec and candidateRec are the files' lines: only what the store holds.
type vacancyRec struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Client      string   `json:"client"`
	Town        string   `json:"town"`
	Postcode    string   `json:"postcode"`
	Description string   `json:"description"`
	Skills      []string `json:"skills"`
}

type candidateRec struct {
	SubjectID  string              `json:"subject_id"`
	Postcode   string              `json:"postcode"`
	Town       string              `json:"town"`
	Skills     []string            `json:"skills"`
	Employment []map[string]string `json:"employment"`
	Education  []map[string]string `json:"education"`
}

var asOf = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func main() {
	data := flag.String("data", "testdata/match", "the labelled set")
	gen := flag.Bool("generate", false, "write the labelled set (deterministic) instead of evaluating")
	flag.Parse()
	var err error
	if *gen {
		err = generate(*data)
	} else {
		err = evaluate(*data, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "evalmatch:", err)
		os.Exit(1)
	}
}

func evaluate(dir string, w io.Writer) error {
	var vacs []vacancyRec
	var cands []candidateRec
	if err := readJSONL(filepath.Join(dir, "vacancies.jsonl"), &vacs); err != nil {
		return err
	}
	if err := readJSONL(filepath.Join(dir, "candidates.jsonl"), &cands); err != nil {
		return err
	}
	grades, err := readJudgements(filepath.Join(dir, "judgements.tsv"))
	if err != nil {
		return err
	}
	for _, v := range vacs {
		if len(grades[v.ID]) != len(cands) {
			return fmt.Errorf("judgements.tsv: vacancy %s has %d judgements for %d candidates", v.ID, len(grades[v.ID]), len(cands))
		}
	}
	variants := []struct {
		name    string
		proxies []string
	}{
		{"full scorer", nil},
		{"without location", []string{"location"}},
		{"without job titles and experience", []string{"job_titles", "experience"}},
		{"skills only", []string{"job_titles", "experience", "qualifications", "location"}},
	}
	fmt.Fprintf(w, "Labelled set: %d vacancies x %d candidates, %d judgements (grades 0-3; relevant = grade >= 2).\n\n",
		len(vacs), len(cands), len(vacs)*len(cands))
	fmt.Fprintln(w, "| scorer | precision@5 | nDCG@10 |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, v := range variants {
		cfg := config.DefaultMatching()
		cfg.Proxies = v.proxies
		ranked, err := rank(vacs, cands, cfg)
		if err != nil {
			return err
		}
		var p5, ndcg float64
		for _, vac := range vacs {
			p5 += precisionAt(ranked[vac.ID], grades[vac.ID], 5)
			ndcg += ndcgAt(ranked[vac.ID], grades[vac.ID], 10)
		}
		n := float64(len(vacs))
		fmt.Fprintf(w, "| %s | %.3f | %.3f |\n", v.name, p5/n, ndcg/n)
	}
	// The ceiling: the judgements' own best order (some vacancies have fewer than five
	// relevant candidates, so precision@5 cannot reach 1).
	var p5 float64
	for _, vac := range vacs {
		var ideal []string
		for s := range grades[vac.ID] {
			ideal = append(ideal, s)
		}
		g := grades[vac.ID]
		sort.Slice(ideal, func(i, j int) bool {
			return g[ideal[i]] > g[ideal[j]] || g[ideal[i]] == g[ideal[j]] && ideal[i] < ideal[j]
		})
		p5 += precisionAt(ideal, g, 5)
	}
	fmt.Fprintf(w, "| ceiling (the judgements' own order) | %.3f | 1.000 |\n", p5/float64(len(vacs)))
	return nil
}

// rank loads the set into a fresh store and returns each vacancy's ranked subjects.
func rank(vacs []vacancyRec, cands []candidateRec, cfg config.Matching) (map[string][]string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "evalmatch")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	st, err := duckstore.Open(ctx, filepath.Join(dir, "eval.duckdb"), duckstore.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	db := st.DB()
	for _, c := range cands {
		emp, _ := json.Marshal(c.Employment)
		edu, _ := json.Marshal(c.Education)
		skills, _ := json.Marshal(c.Skills)
		if _, err := db.Exec(`INSERT INTO subjects VALUES (?, ?, 'candidate', TIMESTAMP '2026-01-01', 1)`, c.SubjectID, strings.ToLower(c.SubjectID)+"@example.com"); err != nil {
			return nil, err
		}
		if _, err := db.Exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, postcode, town, skills, employment, education, run_id)
			VALUES (?, ?, 'eval', 'json', ?, ?, from_json(?, '["VARCHAR"]'), CAST(? AS JSON), CAST(? AS JSON), 1)`,
			c.SubjectID+"/0", c.SubjectID, c.Postcode, c.Town, string(skills), string(emp), string(edu)); err != nil {
			return nil, err
		}
	}
	for _, v := range vacs {
		skills, _ := json.Marshal(v.Skills)
		if _, err := db.Exec(`INSERT INTO vacancies (vacancy_id, reference, channel, file_sha256, title, employer, town, postcode,
			description, skills, posted_date, run_id) VALUES (?, ?, 'job_board:eval', 'eval', ?, ?, ?, ?, ?, from_json(?, '["VARCHAR"]'), DATE '2026-11-20', 1)`,
			v.ID, v.ID, v.Title, v.Client, v.Town, v.Postcode, v.Description, string(skills)); err != nil {
			return nil, err
		}
	}
	res, err := matching.Run(ctx, db, matching.Options{Config: cfg, AsOf: asOf, OutDir: dir, Policy: "eval", RunID: 1,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT vacancy_id, subject_id FROM match_rows WHERE manifest_id = ? ORDER BY vacancy_id, rank`, res.ManifestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var v, s string
		if err := rows.Scan(&v, &s); err != nil {
			return nil, err
		}
		out[v] = append(out[v], s)
	}
	return out, rows.Err()
}

// precisionAt is the share of the first k proposals that are relevant (grade >= 2); a
// list shorter than k counts its gaps as misses.
func precisionAt(ranked []string, grades map[string]int, k int) float64 {
	hit := 0
	for i := 0; i < k && i < len(ranked); i++ {
		if grades[ranked[i]] >= 2 {
			hit++
		}
	}
	return float64(hit) / float64(k)
}

// ndcgAt is DCG@k with gain 2^grade - 1, over the DCG of the ideal order of all judged
// candidates.
func ndcgAt(ranked []string, grades map[string]int, k int) float64 {
	dcg := func(gs []int) float64 {
		s := 0.0
		for i := 0; i < k && i < len(gs); i++ {
			s += (math.Pow(2, float64(gs[i])) - 1) / math.Log2(float64(i)+2)
		}
		return s
	}
	var got, ideal []int
	for _, s := range ranked {
		got = append(got, grades[s])
	}
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	if d := dcg(ideal); d > 0 {
		return dcg(got) / d
	}
	return 0
}

func readJSONL[T any](path string, out *[]T) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("%s line %d: %w", path, n, err)
		}
		*out = append(*out, v)
	}
	return sc.Err()
}

// readJudgements reads vacancy<TAB>subject<TAB>grade lines (a header first).
func readJudgements(path string) (map[string]map[string]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int{}
	for n, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s line %d: want vacancy, subject, grade", path, n+2)
		}
		g, err := strconv.Atoi(f[2])
		if err != nil || g < 0 || g > 3 {
			return nil, fmt.Errorf("%s line %d: grade must be 0-3", path, n+2)
		}
		if out[f[0]] == nil {
			out[f[0]] = map[string]int{}
		}
		out[f[0]][f[1]] = g
	}
	return out, nil
}
