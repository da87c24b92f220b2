package matching

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// fixture is a real store on disk with the real migrations; all people are fictional.
type fixture struct {
	t     *testing.T
	st    *duckstore.Store
	db    *sql.DB
	out   string
	n     int
	asOf  time.Time
	cfg   config.Matching
	lastM string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := duckstore.Open(context.Background(), filepath.Join(dir, "cvetl.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.DefaultMatching()
	return &fixture{t: t, st: st, db: st.DB(), out: filepath.Join(dir, "out"), cfg: cfg,
		asOf: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// person is a candidate's stored profile, including the fields matching must ignore.
type person struct {
	name, email, dob, postcode, town string
	skills                           []string
	jobs                             []map[string]string // title, employer, start, end
	education                        []map[string]string // institution, qualification, year
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// candidate stores a subject with one profile and returns its id.
func (f *fixture) candidate(p person) string {
	f.t.Helper()
	f.n++
	id := fmt.Sprintf("S%07d", f.n)
	f.exec(`INSERT INTO subjects VALUES (?, ?, 'candidate', TIMESTAMP '2026-01-01', 1)`, id, p.email)
	f.exec(`INSERT INTO subject_keys VALUES (?, ?)`, "email:"+p.email, id)
	var dob any
	if p.dob != "" {
		dob = p.dob
	}
	f.exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, emails, phones, postcode, town,
		ni_number, date_of_birth, skills, employment, education, links, run_id)
		VALUES (?, ?, ?, 'text', ?, from_json(?, '["VARCHAR"]'), ['+447700900123'], ?, ?, 'AB123456C', CAST(? AS DATE),
		from_json(?, '["VARCHAR"]'), CAST(? AS JSON), CAST(? AS JSON), ['https://example.com/in/x'], 1)`,
		id+"/0", id, "sha-"+id, p.name, jsonText([]string{p.email}), p.postcode, p.town, dob,
		jsonText(p.skills), jsonText(p.jobs), jsonText(p.education))
	return id
}

// vacancy stores an open vacancy posted a week before as-of.
func (f *fixture) vacancy(ref, title, client, town, postcode, description string, skills ...string) string {
	f.t.Helper()
	id := "job_board:indeed/" + ref
	f.exec(`INSERT INTO vacancies (vacancy_id, reference, channel, file_sha256, title, employer, town, postcode,
		description, skills, posted_date, run_id) VALUES (?, ?, 'job_board:indeed', 'feed', ?, ?, ?, ?, ?,
		from_json(?, '["VARCHAR"]'), DATE '2026-11-19', 1)`, id, ref, title, client, town, postcode, description, jsonText(skills))
	return id
}

// run matches and returns score by vacancy id and subject id.
func (f *fixture) run() (Result, map[string]map[string]float64) {
	f.t.Helper()
	res, err := Run(context.Background(), f.db, Options{Config: f.cfg, AsOf: f.asOf, OutDir: f.out, Policy: "test", RunID: 1, Workers: 2,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.t.Fatal(err)
	}
	f.lastM = res.ManifestID
	scores := map[string]map[string]float64{}
	rows, err := f.db.Query(`SELECT vacancy_id, subject_id, score FROM match_rows WHERE manifest_id = ?`, res.ManifestID)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v, s string
		var sc float64
		if err := rows.Scan(&v, &s, &sc); err != nil {
			f.t.Fatal(err)
		}
		if scores[v] == nil {
			scores[v] = map[string]float64{}
		}
		scores[v][s] = sc
	}
	return res, scores
}

// standard is a small population: carers, nurses and IT people in three cities.
type standard struct {
	care, nurse, it                string // vacancy ids
	carerLeeds, carerLeeds2        string
	carerSheffield, nurseSheffield string
	itLeeds, itSheffield           string
}

func (f *fixture) standard() standard {
	var s standard
	s.care = f.vacancy("CARE-1", "Senior Care Assistant", "Brambleside Care Home", "Leeds", "LS1 4AP",
		"Lead our night team. NVQ Level 3 in Health and Social Care preferred. 2 years experience.",
		"Personal Care", "Manual Handling", "Medication Administration", "PEG Feeding")
	s.nurse = f.vacancy("NURS-1", "Registered Mental Health Nurse", "Pennine Vale NHS Trust", "Sheffield", "S1 2HH",
		"Band 5 ward nurse. NMC registration required.", "Care Planning", "NEWS2", "Medication Administration")
	s.it = f.vacancy("IT-1", "IT Support Technician", "Harrowgate Technologies Ltd", "Sheffield", "S1 2HH",
		"1st/2nd line support. ITIL v4.", "IT Support", "Microsoft 365", "Active Directory")
	job := func(title, employer, start, end string) map[string]string {
		return map[string]string{"title": title, "employer": employer, "start": start, "end": end}
	}
	s.carerLeeds = f.candidate(person{name: "Aoife Brennan", email: "aoife.b@example.com", dob: "1990-02-03",
		postcode: "LS1 3AB", town: "Leeds", skills: []string{"Personal Care", "moving and handling", "PEG Feeding"},
		jobs:      []map[string]string{job("Care Assistant", "Oakleigh House", "2019-03", "present")},
		education: []map[string]string{{"institution": "Leeds City College", "qualification": "NVQ Level 3 Health and Social Care", "year": "2018"}}})
	s.carerLeeds2 = f.candidate(person{name: "Bilal Chaudhry", email: "bilal.c@example.com", dob: "1985-07-09",
		postcode: "LS6 2QT", town: "Leeds", skills: []string{"Personal Care", "Manual Handling"},
		jobs: []map[string]string{job("Support Worker", "Hilltop Homes", "2023-01", "present")}})
	s.carerSheffield = f.candidate(person{name: "Carys Dobson", email: "carys.d@example.com", dob: "1979-12-30",
		postcode: "S10 1AA", town: "Sheffield", skills: []string{"Personal Care", "Manual Handling", "Medication Administration"},
		jobs: []map[string]string{job("Senior Care Assistant", "Ridgeway Care", "2015-01", "2024-06")}})
	s.nurseSheffield = f.candidate(person{name: "Desmond Eze", email: "desmond.e@example.com", dob: "1992-05-05",
		postcode: "S1 4PL", town: "Sheffield", skills: []string{"Care Planning", "NEWS2", "Medication Administration"},
		jobs:      []map[string]string{job("Staff Nurse (RMN)", "Northern General", "2018-09", "present")},
		education: []map[string]string{{"institution": "University of Sheffield", "qualification": "BSc Mental Health Nursing", "year": "2018"}}})
	s.itLeeds = f.candidate(person{name: "Elif Yilmaz", email: "elif.y@example.com", dob: "1996-01-15",
		postcode: "LS2 9JT", town: "Leeds", skills: []string{"IT Support", "Microsoft 365"},
		jobs: []map[string]string{job("IT Support Analyst", "Kirkgate Digital", "2021-05", "present")}})
	s.itSheffield = f.candidate(person{name: "Finlay Gordon", email: "finlay.g@example.com", dob: "2000-08-21",
		postcode: "S1 1DA", town: "Sheffield", skills: []string{"IT Support", "Active Directory", "Microsoft 365"},
		jobs: []map[string]string{job("IT Support Technician", "Steel City IT", "2022-02", "present")}})
	return s
}
