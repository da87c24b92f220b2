// Command matchgen writes a synthetic store for the matching benchmark
// (scripts/bench-match.sh): candidates with skills from the real taxonomy, job
// histories, qualifications and postcodes, and open vacancies, generated inside DuckDB.
// Everyone is fictional (bench…@example.com).
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

//go:embed generate.sql
var generate string

// sectors: taxonomy sector → job titles and qualifications people in it hold.
var sectors = []struct {
	name   string
	titles []string
	quals  []string
}{
	{"care", []string{"Care Assistant", "Senior Care Assistant", "Support Worker", "Healthcare Assistant", "Domiciliary Care Worker"}, []string{"NVQ Level 2 in Health and Social Care", "NVQ Level 3 in Health and Social Care", "Care Certificate"}},
	{"nursing", []string{"Staff Nurse", "Registered Nurse", "Mental Health Nurse", "Ward Sister", "Community Nurse"}, []string{"BSc Adult Nursing", "BSc Mental Health Nursing", "NMC registration"}},
	{"it", []string{"Software Developer", "IT Support Technician", "Data Analyst", "DevOps Engineer", "Systems Administrator", "Business Analyst"}, []string{"BSc Computer Science", "ITIL Foundation", "CompTIA A+"}},
	{"teaching", []string{"Teaching Assistant", "Primary School Teacher", "Secondary Teacher", "SEN Teacher", "Cover Supervisor"}, []string{"PGCE", "QTS", "Level 3 Teaching Assistant"}},
	{"logistics", []string{"Warehouse Operative", "Forklift Driver", "HGV Driver", "Warehouse Team Leader", "Transport Planner"}, []string{"Forklift Licence", "HGV Class 1", "Driver CPC"}},
	{"finance", []string{"Accounts Assistant", "Payroll Administrator", "Management Accountant", "Credit Controller", "Finance Manager"}, []string{"AAT Level 3", "CIMA", "ACCA", "CIPP Foundation"}},
	{"hospitality", []string{"Chef de Partie", "Sous Chef", "Kitchen Porter", "Restaurant Manager", "Bar Supervisor"}, []string{"Food Hygiene Level 2", "NVQ Professional Cookery", "Food Safety Level 3"}},
	{"social_work", []string{"Social Worker", "Family Support Worker", "Residential Support Worker", "Youth Worker", "Case Worker"}, []string{"BA Social Work", "Social Work England", "Level 3 Diploma in Residential Childcare"}},
	{"construction", []string{"Site Manager", "Quantity Surveyor", "Groundworker", "Health and Safety Officer", "Electrician"}, []string{"SMSTS", "CSCS Card", "NEBOSH General Certificate", "BEng Civil Engineering"}},
}

var areas = []string{"LS", "M", "G", "EH", "B", "CF", "BS", "NE", "L", "S", "NG", "LE", "BT", "SO", "NR", "YO", "SA", "AB", "BD", "CV", "DE", "PL", "RG", "PR", "SE", "BN", "DD", "EC"}

var towns = []string{"Leeds", "Manchester", "Glasgow", "Edinburgh", "Birmingham", "Cardiff", "Bristol", "Newcastle upon Tyne",
	"Liverpool", "Sheffield", "Nottingham", "Leicester", "Belfast", "Southampton", "Norwich", "York", "Swansea", "Aberdeen",
	"Bradford", "Coventry", "Derby", "Plymouth", "Reading", "Preston", "London", "Brighton", "Dundee", "London"}

func main() {
	db := flag.String("db", "bench-match.duckdb", "store to create (must not exist)")
	candidates := flag.Int("candidates", 1_000_000, "candidates")
	vacancies := flag.Int("vacancies", 10_000, "open vacancies")
	asOf := flag.String("as-of", "2026-11-26", "vacancies are posted in the 30 days before this day")
	skillsFile := flag.String("skills", "classifiers/data/skills.tsv", "the skills taxonomy")
	flag.Parse()
	if err := run(*db, *candidates, *vacancies, *asOf, *skillsFile); err != nil {
		fmt.Fprintln(os.Stderr, "matchgen:", err)
		os.Exit(1)
	}
}

func run(db string, candidates, vacancies int, asOf, skillsFile string) error {
	if _, err := os.Stat(db); err == nil {
		return fmt.Errorf("%s exists", db)
	}
	if _, err := time.Parse(time.DateOnly, asOf); err != nil {
		return fmt.Errorf("--as-of: want YYYY-MM-DD")
	}
	bySector, err := readSkills(skillsFile)
	if err != nil {
		return err
	}
	ctx := context.Background()
	start := time.Now()
	st, err := duckstore.Open(ctx, db, duckstore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	type sectorRow struct {
		No     int      `json:"no"`
		Skills []string `json:"skills"`
		Titles []string `json:"titles"`
		Quals  []string `json:"quals"`
	}
	var rows []sectorRow
	for i, s := range sectors {
		rows = append(rows, sectorRow{i, bySector[s.name], s.titles, s.quals})
	}
	sj, _ := json.Marshal(rows)
	pj, _ := json.Marshal(struct {
		Areas []string `json:"areas"`
		Towns []string `json:"towns"`
	}{areas, towns})
	stmts := []string{
		fmt.Sprintf("SET VARIABLE candidates = %d", candidates),
		fmt.Sprintf("SET VARIABLE vacancies = %d", vacancies),
		fmt.Sprintf("SET VARIABLE as_of = DATE '%s'", asOf),
		fmt.Sprintf("SET VARIABLE sectors = '%s'", strings.ReplaceAll(string(sj), "'", "''")),
		fmt.Sprintf("SET VARIABLE places = '%s'", strings.ReplaceAll(string(pj), "'", "''")),
	}
	stmts = append(stmts, strings.Split(generate, ";\n")...)
	for _, q := range append(stmts, "CHECKPOINT") {
		if firstCode(q) == "" {
			continue
		}
		t := time.Now()
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.60s…: %w", strings.TrimSpace(q), err)
		}
		fmt.Printf("  %5.1fs  %.60s\n", time.Since(t).Seconds(), firstCode(q))
	}
	fmt.Printf("matchgen: %d candidates, %d vacancies in %s (%.1fs)\n", candidates, vacancies, db, time.Since(start).Seconds())
	return nil
}

// readSkills reads the canonical skill names of each sector from skills.tsv.
func readSkills(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < 2 {
			return nil, fmt.Errorf("%s: bad line %q", path, l)
		}
		out[f[1]] = append(out[f[1]], f[0])
	}
	for _, s := range sectors {
		if len(out[s.name]) < 10 {
			return nil, fmt.Errorf("%s: sector %s has %d skills", path, s.name, len(out[s.name]))
		}
	}
	return out, nil
}

func firstCode(q string) string {
	for _, l := range strings.Split(q, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return l
		}
	}
	return ""
}
