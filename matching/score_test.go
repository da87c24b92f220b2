package matching

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/config"
)

// The blocked, bounded top-N is exactly the top N of scoring every candidate.
func TestTopEqualsExhaustiveScoring(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	skills := []string{"Personal Care", "Manual Handling", "PEG Feeding", "Python", "SQL", "Docker", "Payroll",
		"Sage 50", "Forklift (Counterbalance)", "HACCP", "Phonics", "NEWS2"}
	titles := []string{"Care Assistant", "Staff Nurse", "Data Analyst", "Payroll Administrator", "Chef de Partie",
		"Warehouse Operative", "Teaching Assistant", "Support Worker"}
	places := [][2]string{{"LS1 4AP", "Leeds"}, {"LS6 2QT", "Leeds"}, {"S1 2HH", "Sheffield"}, {"M1 1AE", "Manchester"}, {"", ""}}
	pick := func(from []string, n int) []string {
		out := []string{}
		for _, i := range rng.Perm(len(from))[:n] {
			out = append(out, from[i])
		}
		return out
	}
	x := newExtractor(config.DefaultMatching(), time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	var feats []features
	for i := 0; i < 400; i++ {
		pl := places[rng.Intn(len(places))]
		p := Profile{SubjectID: fmt.Sprintf("S%07d", i), Skills: pick(skills, rng.Intn(5)), Postcode: pl[0], Town: pl[1]}
		for _, title := range pick(titles, rng.Intn(3)) {
			p.Jobs = append(p.Jobs, Job{Title: title, Start: fmt.Sprintf("%d-%02d", 2010+rng.Intn(15), 1+rng.Intn(12)), End: "present"})
		}
		feats = append(feats, x.candidate(p))
	}
	ix := buildIndex(feats, x)
	s := newScorer(ix)
	for v := 0; v < 40; v++ {
		pl := places[rng.Intn(len(places))]
		vf := x.vacancy(Vacancy{ID: fmt.Sprint(v), Title: titles[rng.Intn(len(titles))], Postcode: pl[0], Town: pl[1],
			Skills: pick(skills, 1+rng.Intn(4)), Description: "NVQ Level 3 and 3 years"})
		q := ix.prepare(&vf, config.DefaultMatching())
		got := s.top(q, 10)
		var all []scored
		for c := range feats {
			if sc := s.score(q, int32(c)); sc > 0 && (s.sharesTerm(q, int32(c))) {
				all = append(all, scored{int32(c), sc})
			}
		}
		sort.Slice(all, func(i, j int) bool { return better(all[i], all[j]) })
		if len(all) > 10 {
			all = all[:10]
		}
		if len(got) != len(all) {
			t.Fatalf("vacancy %d: %d matches, exhaustive %d", v, len(got), len(all))
		}
		for i := range got {
			if got[i].Candidate != all[i].c || got[i].Score != all[i].score {
				t.Fatalf("vacancy %d rank %d: got %v, exhaustive %v", v, i+1, got[i], all[i])
			}
			if got[i].Score < 0 || got[i].Score > 1 {
				t.Errorf("score %v out of [0,1]", got[i].Score)
			}
		}
	}
}

// sharesTerm is the blocking rule: a shared skill or title word.
func (s *scorer) sharesTerm(q prepared, c int32) bool {
	f := &s.ix.cands[c]
	for _, id := range q.v.skillIDs {
		if id >= 0 && contains(f.skills, id) {
			return true
		}
	}
	for _, j := range f.jobs {
		for _, id := range q.v.words {
			if id >= 0 && contains(j.words, id) {
				return true
			}
		}
	}
	return false
}

// A rare skill is worth more than a common one, and a synonym is the same skill.
func TestRarityAndSynonyms(t *testing.T) {
	f := newFixture(t)
	f.vacancy("CARE-9", "Care Assistant", "Client", "", "", "", "Personal Care", "PEG Feeding")
	common := f.candidate(person{email: "a@example.com", skills: []string{"Personal Care"}})
	rare := f.candidate(person{email: "b@example.com", skills: []string{"peg feeds"}}) // synonym of PEG Feeding
	for i := 0; i < 8; i++ {
		f.candidate(person{email: fmt.Sprintf("c%d@example.com", i), skills: []string{"Personal Care"}})
	}
	_, scores := f.run()
	v := scores["job_board:indeed/CARE-9"]
	if v[rare] <= v[common] {
		t.Errorf("rare skill (via synonym) %v should outscore common skill %v", v[rare], v[common])
	}
}

// The manifest: every row needs review, scores are in [0, 1], the explanation says
// why, and a re-run with the same inputs gives the same manifest without new rows.
func TestMatchManifest(t *testing.T) {
	f := newFixture(t)
	s := f.standard()
	res, _ := f.run()
	b, err := os.ReadFile(filepath.Join(f.out, "manifests", "matches-2026-11-26.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ID   string           `json:"id"`
		Kind string           `json:"kind"`
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != res.ManifestID || doc.Kind != "matches" || len(doc.Rows) != res.Rows || res.Rows == 0 {
		t.Fatalf("manifest %s/%s with %d rows, result %+v", doc.ID, doc.Kind, len(doc.Rows), res)
	}
	var nurseRow map[string]any
	for _, r := range doc.Rows {
		if r["review_required"] != true || r["status"] != "pending" {
			t.Errorf("row %v: review_required and pending expected", r["row_id"])
		}
		if sc, ok := r["score"].(float64); !ok || sc < 0 || sc > 1 {
			t.Errorf("row %v: score %v", r["row_id"], r["score"])
		}
		if r["vacancy_id"] == s.nurse && r["subject_id"] == s.nurseSheffield {
			nurseRow = r
		}
	}
	if nurseRow == nil {
		t.Fatal("the nurse is not proposed for the nursing vacancy")
	}
	expl, _ := nurseRow["explanation"].(string)
	for _, want := range []string{"shares 3 of 3 required skills: Care Planning, NEWS2, Medication Administration",
		"as Staff Nurse (RMN)", "same postcode district S1", "holds Registered Nurse (NMC)"} {
		if !strings.Contains(expl, want) {
			t.Errorf("explanation %q lacks %q", expl, want)
		}
	}
	for _, never := range []string{"Desmond", "desmond.e@example.com", "1992"} {
		if strings.Contains(expl, never) {
			t.Errorf("explanation %q names the person (%q)", expl, never)
		}
	}
	again, _ := f.run()
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM match_rows`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if again.ManifestID != res.ManifestID || n != res.Rows {
		t.Errorf("re-run: manifest %s (was %s), %d rows stored (want %d)", again.ManifestID, res.ManifestID, n, res.Rows)
	}
}

func TestTitleWordsAndPostcodes(t *testing.T) {
	if got := titleWords("Senior Care Assistant – Nights"); strings.Join(got, ",") != "care,assistant" {
		t.Errorf("titleWords = %v", got)
	}
	if got := titleWords("RGN Staff Nurses"); strings.Join(got, ",") != "registered,nurse,staff" {
		t.Errorf("titleWords = %v", got)
	}
	for pc, want := range map[string][2]string{"LS1 4AP": {"LS1", "LS"}, "ec1a1bb": {"EC1A", "EC"}, "SW1A 2AA": {"SW1A", "SW"}, "not one": {"", ""}} {
		if d, a := postcodeParts(pc); d != want[0] || a != want[1] {
			t.Errorf("postcodeParts(%q) = %q %q, want %v", pc, d, a, want)
		}
	}
	asOf := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		start, end string
		want       int
	}{{"2020-01", "2020-12", 12}, {"2019", "2020", 24}, {"2026-01", "present", 11}, {"2022-05", "2021-01", 0}, {"", "present", 0}} {
		if got := monthsBetween(c.start, c.end, asOf); got != c.want {
			t.Errorf("monthsBetween(%q, %q) = %d, want %d", c.start, c.end, got, c.want)
		}
	}
}

// A subject with two profiles is one candidate: skills add up, the newer place counts.
func TestProfilesOfOneSubjectMerge(t *testing.T) {
	f := newFixture(t)
	v := f.vacancy("IT-7", "IT Support Technician", "Client", "Sheffield", "S1 2HH", "", "IT Support", "Active Directory")
	subj := f.candidate(person{email: "h@example.com", postcode: "LS1 4AP", town: "Leeds", skills: []string{"IT Support"}})
	f.exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, postcode, town, skills, run_id)
		VALUES (?, ?, 'sha-2', 'text', 'S1 4PL', 'Sheffield', ['Active Directory'], 2)`, subj+"/1", subj)
	f.run()
	var expl string
	var n int
	if err := f.db.QueryRow(`SELECT any_value(explanation), count(*) FROM match_rows WHERE vacancy_id = ? AND subject_id = ?`, v, subj).Scan(&expl, &n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !strings.Contains(expl, "shares 2 of 2 required skills") || !strings.Contains(expl, "same postcode district S1") {
		t.Errorf("%d rows, explanation %q", n, expl)
	}
}
