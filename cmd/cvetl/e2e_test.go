package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"github.com/cvetl/cvetl/internal/samplegen"
	"github.com/cvetl/cvetl/internal/sqlrows"
)

// These tests run the real binary, as an operator or a scheduler would.

var binary string

func TestMain(m *testing.M) {
	if db := os.Getenv(holdStoreEnv); db != "" {
		os.Exit(holdStore(db)) // this process is a test's helper (serve_store_test.go)
	}
	dir, err := os.MkdirTemp("", "cvetl-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "cvetl")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building cvetl: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const inbox = "../../testdata/inbox"
const demoConfig = "../../testdata/cvetl.yaml"

type runResult struct {
	stdout, stderr string
	code           int
}

func cvetl(t testing.TB, args ...string) runResult {
	t.Helper()
	return cvetlEnv(t, nil, args...)
}

// cvetlEnv runs the binary with extra environment variables, as a scheduler would.
func cvetlEnv(t testing.TB, env []string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "CI=true"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return runResult{out.String(), errb.String(), code}
}

type summary struct {
	FilesSeen, FilesNew, FilesDuplicate, FilesQuarantined, Candidates, Vacancies int
	QuarantinedByReason                                                          map[string]int
}

func decodeSummary(t *testing.T, r runResult) summary {
	t.Helper()
	var s struct {
		FilesSeen           int            `json:"files_seen"`
		FilesNew            int            `json:"files_new"`
		FilesDuplicate      int            `json:"files_duplicate"`
		FilesQuarantined    int            `json:"files_quarantined"`
		Candidates          int            `json:"candidates"`
		Vacancies           int            `json:"vacancies"`
		QuarantinedByReason map[string]int `json:"quarantined_by_reason"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("summary is not JSON: %v\nstdout: %s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return summary{s.FilesSeen, s.FilesNew, s.FilesDuplicate, s.FilesQuarantined, s.Candidates, s.Vacancies, s.QuarantinedByReason}
}

func TestIngestSampleInboxTwice(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	first := cvetl(t, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", "--json", inbox)
	if first.code != 0 {
		t.Fatalf("first ingest exit %d: %s", first.code, first.stderr)
	}
	s1 := decodeSummary(t, first)
	if s1.FilesSeen < 40 || s1.FilesNew != s1.FilesSeen-s1.FilesDuplicate {
		t.Errorf("first run: %+v", s1)
	}
	if s1.Candidates < 40 || s1.Vacancies == 0 {
		t.Errorf("first run found %d candidates and %d vacancies", s1.Candidates, s1.Vacancies)
	}
	for _, reason := range []string{"empty_file", "encrypted_pdf", "image_only_pdf", "image_file", "decompression_cap", "legacy_doc", "corrupt", "invalid_encoding", "malformed"} {
		if s1.QuarantinedByReason[reason] == 0 {
			t.Errorf("no file quarantined as %s: %v", reason, s1.QuarantinedByReason)
		}
	}
	second := cvetl(t, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", "--json", inbox)
	s2 := decodeSummary(t, second)
	if second.code != 0 || s2.FilesNew != 0 || s2.FilesDuplicate != s1.FilesSeen {
		t.Errorf("second run: exit %d, %+v", second.code, s2)
	}
	store := openDB(t, db)
	defer store.Close()
	for _, e := range samplegen.Manifest() {
		var channel string
		err := store.QueryRow(`SELECT channel FROM files WHERE location LIKE ?`, "%/"+e.Path).Scan(&channel)
		if err != nil || channel != e.Channel {
			t.Errorf("%s: channel %q (%v), want %q", e.Path, channel, err, e.Channel)
		}
	}
	// Identity: one subject for an e-mail seen in a PDF and an export row; two for
	// two people who only share a name.
	var amara, smiths int
	store.QueryRow(`SELECT count(DISTINCT subject_id) FROM profiles WHERE list_contains(emails, 'amara.okafor@example.com')`).Scan(&amara)
	store.QueryRow(`SELECT count(DISTINCT subject_id) FROM profiles WHERE list_contains(emails, 'james.smith@example.com') OR list_contains(emails, 'james.smith84@example.net')`).Scan(&smiths)
	if amara != 1 || smiths != 2 {
		t.Errorf("identity: %d subjects for one e-mail (want 1), %d for two James Smiths (want 2)", amara, smiths)
	}
	var amaraSources int
	store.QueryRow(`SELECT count(DISTINCT channel) FROM sources JOIN profiles USING (profile_id) WHERE list_contains(emails, 'amara.okafor@example.com')`).Scan(&amaraSources)
	if amaraSources != 2 {
		t.Errorf("merged subject has %d source channels, want 2 (direct and the job board)", amaraSources)
	}
	// Logs carry ids and hashes, never the people in the files.
	rows, err := store.Query(`SELECT DISTINCT unnest(emails) FROM profiles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var email string
		rows.Scan(&email)
		if strings.Contains(first.stderr, email) {
			t.Errorf("the log contains a candidate's e-mail")
		}
	}
	// Nor their names, spelt as in text or in a file name ("Niamh_Murphy_CV.pdf").
	names, err := sqlrows.Strings(context.Background(), store, `SELECT DISTINCT name FROM profiles WHERE name LIKE '% %'`)
	if err != nil || len(names) < 20 {
		t.Fatalf("%d names (%v)", len(names), err)
	}
	for _, name := range names {
		for _, spelt := range []string{name, strings.ReplaceAll(name, " ", "_")} {
			if strings.Contains(first.stderr, spelt) {
				t.Errorf("the log contains a candidate's name (%d letters)", len(name))
			}
		}
	}
}

func TestIngestRefusesASecondConcurrentWriter(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	if r := cvetl(t, "--db", db, "--out", dir, "ingest", synthInbox(t, 3)); r.code != 0 {
		t.Fatalf("first ingest: %s", r.stderr)
	}
	// This test process now holds the store, as a running nightly would.
	holder, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := holder.Ping(); err != nil {
		t.Fatal(err)
	}
	r := cvetl(t, "--db", db, "--out", dir, "ingest", synthInbox(t, 3))
	if r.code != exitFailed || !strings.Contains(r.stderr, "in use by another cvetl process") {
		t.Errorf("second writer: exit %d, stderr %q", r.code, r.stderr)
	}
}

// synthInbox writes n distinct fictional text CVs, every fifth one re-using an earlier
// candidate's e-mail (so identities merge), plus an empty and a legacy .doc file.
func synthInbox(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	first := []string{"Amara", "Tomasz", "Priya", "James", "Siobhan", "Kwame", "Mei", "Oliver"}
	last := []string{"Okafor", "Nowak", "Shah", "Smith", "Byrne", "Mensah", "Chen", "Hughes"}
	for i := range n {
		person := i
		if i%5 == 4 {
			person = i - 3
		}
		name := first[person%len(first)] + " " + last[(person/len(first))%len(last)]
		cv := fmt.Sprintf("%s\nEmail: cand%04d@example.com\nPhone: 07700 9%05d\nLeeds LS1 4AP\n\nWork Experience\nCare Assistant, Sunrise Care Home (2019 - Present)\n\nKey Skills\nManual Handling, Medication Administration, Python\n\nFile %d\n",
			name, person, person%1000, i)
		sub := filepath.Join(dir, fmt.Sprintf("batch%d", i%3))
		os.MkdirAll(sub, 0o755)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("cv-%04d.txt", i)), []byte(cv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "empty.pdf"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "old.doc"), append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), 0o644)
	return dir
}

func TestParseContract(t *testing.T) {
	files, err := filepath.Glob(inbox + "/*/*")
	if err != nil || len(files) < 40 {
		t.Fatalf("sample inbox: %d files, %v", len(files), err)
	}
	r := cvetl(t, append([]string{"parse"}, files...)...)
	if r.code != 1 {
		t.Errorf("parse over an inbox with bad files: exit %d, want 1", r.code)
	}
	e164 := regexp.MustCompile(`^\+[1-9]\d{6,14}$`)
	dob := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 16<<20)
	n := 0
	for sc.Scan() {
		n++
		var line map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d is not JSON: %v", n, err)
		}
		for _, k := range []string{"file", "sha256", "format", "error", "candidates"} {
			if _, ok := line[k]; !ok {
				t.Errorf("line %d lacks %q", n, k)
			}
		}
		var cands []map[string]json.RawMessage
		json.Unmarshal(line["candidates"], &cands)
		if string(line["error"]) != "null" && len(cands) != 0 {
			t.Errorf("line %d: an error with candidates", n)
		}
		for _, c := range cands {
			for _, k := range []string{"name", "emails", "phones", "postcode", "town", "ni_number", "date_of_birth", "skills", "employment", "education", "links", "special_categories"} {
				v, ok := c[k]
				if !ok {
					t.Errorf("line %d: candidate lacks %q", n, k)
				}
				if strings.HasSuffix(k, "s") && k != "ni_number" && string(v) == "null" {
					t.Errorf("line %d: %s is null, want []", n, k)
				}
			}
			var phones []string
			json.Unmarshal(c["phones"], &phones)
			for _, p := range phones {
				if !e164.MatchString(p) {
					t.Errorf("line %d: phone %q is not E.164", n, p)
				}
			}
			var d *string
			json.Unmarshal(c["date_of_birth"], &d)
			if d != nil && !dob.MatchString(*d) {
				t.Errorf("line %d: date_of_birth %q", n, *d)
			}
		}
	}
	if n != len(files) {
		t.Errorf("%d lines for %d files", n, len(files))
	}
}

// TestParseMatchesSampleManifest checks every sample file's outcome against what the
// generator that wrote it says it must be: format or quarantine reason, number of
// candidates and vacancies, and the defects inside good files.
func TestParseMatchesSampleManifest(t *testing.T) {
	entries := samplegen.Manifest()
	args := []string{"parse"}
	for _, e := range entries {
		args = append(args, filepath.Join(inbox, filepath.FromSlash(e.Path)))
	}
	r := cvetl(t, args...)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 16<<20)
	for i := 0; sc.Scan(); i++ {
		e := entries[i]
		var line struct {
			Format     *string           `json:"format"`
			Error      *string           `json:"error"`
			Candidates []json.RawMessage `json:"candidates"`
			Vacancies  []json.RawMessage `json:"vacancies"`
			Problems   []struct{ Origin, Reason string }
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		t.Run(e.Path, func(t *testing.T) {
			if e.Reason != "" {
				if line.Error == nil || !strings.HasPrefix(*line.Error, e.Reason+":") {
					t.Errorf("want quarantine reason %s, got error %v", e.Reason, line.Error)
				}
				return
			}
			if line.Error != nil {
				t.Fatalf("unexpected error: %s", *line.Error)
			}
			if *line.Format != e.Sniff {
				t.Errorf("format %s, want %s", *line.Format, e.Sniff)
			}
			if len(line.Candidates) != e.Candidates || len(line.Vacancies) != e.Vacancies {
				t.Errorf("%d candidates and %d vacancies, want %d and %d", len(line.Candidates), len(line.Vacancies), e.Candidates, e.Vacancies)
			}
			if len(line.Problems) != len(e.Problems) {
				t.Fatalf("problems %v, want %v", line.Problems, e.Problems)
			}
			for i, p := range line.Problems { // the manifest describes each as "origin …: reason, detail"
				if want := e.Problems[i]; !strings.Contains(want, p.Origin) || !strings.Contains(want, ": "+p.Reason) {
					t.Errorf("problem %s: %s, want %s", p.Origin, p.Reason, want)
				}
			}
		})
	}
}

// TestKillAndRerun kills real ingest processes with SIGKILL at several points, re-runs,
// and checks the store equals one from an uninterrupted run: no duplicates, no gaps.
func TestKillAndRerun(t *testing.T) {
	in := t.TempDir()
	if err := samplegen.Synthetic(600, 7, in, ""); err != nil {
		t.Fatal(err)
	}
	bad := synthInbox(t, 40) // text CVs with repeated e-mails, an empty file, a .doc
	if err := os.Rename(bad, filepath.Join(in, "zz-mixed")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.duckdb")
	if r := cvetl(t, "--db", clean, "--out", dir, "ingest", in); r.code != 0 {
		t.Fatalf("clean run: %s", r.stderr)
	}
	crashed := filepath.Join(dir, "crashed.duckdb")
	for _, after := range []time.Duration{0, 100 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond, 900 * time.Millisecond} {
		killAfterStart(t, after, "--db", crashed, "--out", dir, "ingest", in)
	}
	if r := cvetl(t, "--db", crashed, "--out", dir, "ingest", in); r.code != 0 {
		t.Fatalf("re-run after kills: %s", r.stderr)
	}
	want, got := snapshot(t, clean), snapshot(t, crashed)
	if want != got {
		t.Errorf("store after kill -9 and re-run differs from an uninterrupted run:\n%s", firstDiff(want, got))
	}
	db := openDB(t, crashed)
	defer db.Close()
	var interrupted int
	db.QueryRow(`SELECT count(*) FROM runs WHERE status = 'interrupted'`).Scan(&interrupted)
	if interrupted == 0 {
		t.Error("no run was interrupted: the kills came too late to test anything")
	}
}

// killAfterStart runs cvetl and SIGKILLs it the given time after it logs that the run
// started, i.e. while it is writing.
func killAfterStart(t *testing.T, after time.Duration, args ...string) {
	t.Helper()
	killAfterLog(t, "ingest started", after, args...)
}

// snapshot renders the store's content, without run ids and clocks, as sorted text.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	queries := []string{
		`SELECT sha256, status, coalesce(format,''), location FROM files`,
		`SELECT subject_id, coalesce(subject_ref,'') FROM subjects`,
		`SELECT key, subject_id FROM subject_keys`,
		`SELECT profile_id, subject_id, coalesce(name,''), array_to_string(emails, ';'), array_to_string(phones, ';'), array_to_string(skills, ';') FROM profiles`,
		`SELECT profile_id, subject_id, channel, location, coalesce(origin,'') FROM sources`,
		`SELECT file_sha256, coalesce(origin,''), reason FROM quarantine`,
		`SELECT vacancy_id, title FROM vacancies`,
	}
	var lines []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			lines = append(lines, fmt.Sprint(q[:20], vals))
		}
		rows.Close()
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n want %s\n got  %s", i, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d", len(al), len(bl))
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// parseEvidence runs cvetl with args (a `parse` command line) and lists every evidence
// string it prints: what the raw inputs hold.
func parseEvidence(t *testing.T, args ...string) []string {
	t.Helper()
	r := cvetl(t, args...)
	var evidence []string
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var line struct {
			Candidates []struct {
				Special []struct{ Evidence string } `json:"special_categories"`
			}
		}
		json.Unmarshal(sc.Bytes(), &line)
		for _, c := range line.Candidates {
			for _, s := range c.Special {
				evidence = append(evidence, s.Evidence)
			}
		}
	}
	return evidence
}

// TestEvidenceStaysRestricted ingests the sample inbox and looks for every evidence
// string `cvetl parse` reports in every column of every table and in the logs: only
// the restricted table may hold it, and only sealed.
func TestEvidenceStaysRestricted(t *testing.T) {
	files, _ := filepath.Glob(inbox + "/*/*")
	evidence := parseEvidence(t, append([]string{"parse"}, files...)...)
	if len(evidence) < 3 {
		t.Fatalf("only %d evidence strings in the sample inbox: the test would prove nothing", len(evidence))
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	r := cvetl(t, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "--log-level", "debug", "ingest", inbox)
	if r.code != 0 {
		t.Fatalf("ingest: %s", r.stderr)
	}
	store := openDB(t, db)
	var restrictedRows int
	store.QueryRow(`SELECT count(*) FROM restricted`).Scan(&restrictedRows)
	store.Close()
	if restrictedRows < len(evidence) {
		t.Errorf("restricted holds %d rows for %d findings", restrictedRows, len(evidence))
	}
	assertEvidenceOnlyRestricted(t, db, evidence, r.stdout+r.stderr)
}

// assertEvidenceOnlyRestricted looks for every evidence string in every column of every
// table of the store at db and in output (a command's stdout and logs): none may hold
// it; the restricted table holds it sealed, which no probe of the clear text finds.
func assertEvidenceOnlyRestricted(t *testing.T, db string, evidence []string, output string) {
	t.Helper()
	store := openDB(t, db)
	defer store.Close()
	var tables []string
	rows, err := store.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, ev := range evidence {
		var control int // the probe must find the string where it is
		store.QueryRow(`SELECT count(*) FROM (SELECT 'x' AS a, ? AS b) t WHERE CAST(t AS VARCHAR) LIKE ? ESCAPE '\'`, ev, "%"+likeEscape(ev)+"%").Scan(&control)
		if control != 1 {
			t.Fatalf("the table probe does not find a string it was given (%d bytes)", len(ev))
		}
		if strings.Contains(output, ev) {
			t.Errorf("the command output or log holds evidence (%d bytes)", len(ev))
		}
		for _, table := range tables {
			var n int
			q := `SELECT count(*) FROM "` + table + `" t WHERE CAST(t AS VARCHAR) LIKE ? ESCAPE '\'`
			if err := store.QueryRow(q, "%"+likeEscape(ev)+"%").Scan(&n); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			if n > 0 {
				t.Errorf("table %s holds evidence in clear (%d rows)", table, n)
			}
		}
	}
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
