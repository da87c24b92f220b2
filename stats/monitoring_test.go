package stats

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/internal/popgen"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func TestMonitoringValueMapping(t *testing.T) {
	m, err := monitoringValues()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cat            profile.Category
		evidence, want string
	}{
		{profile.RacialEthnicOrigin, "Ethnicity: White Irish", "White"},
		{profile.RacialEthnicOrigin, "Ethnic group: Asian or Asian British – Pakistani", "Asian/Asian British"},
		{profile.RacialEthnicOrigin, "☒ Black Caribbean", "Black/African/Caribbean/Black British"},
		{profile.RacialEthnicOrigin, "Ethnic group – Black Caribbean", "Black/African/Caribbean/Black British"},
		{profile.RacialEthnicOrigin, "[x] Mixed - White and Asian", "Mixed/Multiple ethnic groups"},
		{profile.RacialEthnicOrigin, "Ethnicity: White and Black Caribbean", "Mixed/Multiple ethnic groups"},
		{profile.RacialEthnicOrigin, "Ethnicity: Any other White background", "White"},
		{profile.RacialEthnicOrigin, "Ethnicity: Arab", "Other ethnic group"},
		{profile.RacialEthnicOrigin, "Ethnicity: Martian", Unmapped},
		{profile.ReligiousBeliefs, "Religion: Roman Catholic", "Christian"},
		{profile.ReligiousBeliefs, "Religion or belief: Church of England", "Christian"},
		{profile.ReligiousBeliefs, "Religion: None", "No religion"},
		{profile.ReligiousBeliefs, "What is your religion? Sikh", "Sikh"},
		{profile.ReligiousBeliefs, "Religion: Jedi", Unmapped},
		{profile.SexLifeOrientation, "Sexual orientation: Straight", "Heterosexual/straight"},
		{profile.SexLifeOrientation, "Sexual orientation – Bisexual", "Bisexual"},
		{profile.SexLifeOrientation, "Sexual orientation: gay woman/lesbian", "Gay or lesbian"},
		// "gay" is a whole word, not part of another.
		{profile.SexLifeOrientation, "Sexual orientation: Gaylord", Unmapped},
		{profile.Health, "Disability: Yes – epilepsy", "disabled"},
		{profile.Health, "Disabled?  [ ] Yes  [x] No", "not disabled"},
		{profile.Health, "Do you consider yourself disabled?  [x] Yes  [ ] No", "disabled"},
		{profile.Health, "Disabled – No", "not disabled"},
		{profile.TradeUnionMembership, "Trade union member? Yes", "member"},
		// A category the mapping does not cover maps nothing, whatever the words.
		{profile.PoliticalOpinions, "Political party: Green - yes", Unmapped},
	} {
		if got := m.Value(c.cat, c.evidence); got != c.want {
			t.Errorf("Value(%s, %q) = %q, want %q", c.cat, c.evidence, got, c.want)
		}
	}
}

func TestParseValueMapRejectsBadLines(t *testing.T) {
	for name, tsv := range map[string]string{
		"two fields":  "health\tyes\n",
		"empty value": "health\tyes\t \n",
		"no words":    "health\t--\tdisabled\n",
		"total":       "health\tyes\tTotal\n",
		"comma":       "health\tyes\tdisabled, long term\n",
	} {
		if _, err := parseValueMap(tsv); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: err = %v, want an error naming line 1", name, err)
		}
	}
	m, err := parseValueMap("# comment\n\nhealth\tyes\tdisabled\n")
	if err != nil || len(m[profile.Health]) != 1 {
		t.Errorf("comment and blank lines: %v, %v", m, err)
	}
}

// openKeyedStore opens a store with a real key store, as cvetl does.
func openKeyedStore(t *testing.T) (*duckstore.Store, *restricted.KeyStore) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	master, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := restricted.OpenKeyStore(ctx, filepath.Join(dir, "keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckstore.Open(ctx, filepath.Join(dir, "cvetl.duckdb"), duckstore.Options{Keys: keys})
	if err != nil {
		keys.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); keys.Close() })
	return st, keys
}

// sealedRow is a restricted row with its evidence, sealed for real.
type sealedRow struct {
	tag, subject, category, condition, evidence string
}

func insertSealed(t *testing.T, st *duckstore.Store, rows []sealedRow) {
	t.Helper()
	for _, r := range rows {
		sealed, err := st.SealEvidence(context.Background(), r.subject, r.tag, profile.Category(r.category), r.evidence)
		if err != nil {
			t.Fatal(err)
		}
		var cond any
		if r.condition != "" {
			cond = r.condition
		}
		if _, err := st.DB().Exec(`INSERT INTO restricted VALUES (?, ?, ?, ?, ?, ?, 'test', 0.9, 0, 10, ?, 1)`,
			r.tag, r.subject, r.subject, r.tag+"/p", r.category, cond, sealed); err != nil {
			t.Fatal(err)
		}
	}
}

// The monitoring answers of the by-value test; the last subject's key is destroyed.
var monitoringRows = []sealedRow{
	{"m1", "S1", "racial_ethnic_origin", MonitoringCondition, "Ethnicity: White Irish"},
	{"m2", "S2", "racial_ethnic_origin", MonitoringCondition, "☒ Black Caribbean"},
	{"m3", "S3", "racial_ethnic_origin", MonitoringCondition, "Ethnic group – Asian or Asian British - Indian"},
	{"m4", "S4", "health", MonitoringCondition, "Disabled?  [ ] Yes  [x] No"},
	{"m5", "S5", "religious_beliefs", MonitoringCondition, "Religion: Jedi Knight"},
	{"m6", "S1", "religious_beliefs", MonitoringCondition, "Religion: Church of England"},
	{"m7", "S9", "racial_ethnic_origin", MonitoringCondition, "Ethnicity: Black African"},
	// CV free text (no condition) and another condition: never counted by value.
	{"f1", "S6", "racial_ethnic_origin", "", "As a Black British woman I know the sector"},
	{"f2", "S7", "health", "occupational_health", "Disability: Yes – epilepsy"},
}

// TestComputeMonitoringByValue: sealed monitoring answers under a real key store give
// the by-value counts; free text and other conditions are not counted; a shredded
// subject is skipped; no answer text becomes a dimension value.
func TestComputeMonitoringByValue(t *testing.T) {
	ctx := context.Background()
	st, keys := openKeyedStore(t)
	insertSealed(t, st, monitoringRows)
	if err := keys.Destroy(ctx, "S9"); err != nil {
		t.Fatal(err)
	}
	tables, skipped, err := ComputeWith(ctx, st.DB(), st, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(skipped, "equal_opportunities_by_value") {
		t.Fatalf("skipped %v with a key store", skipped)
	}
	var tb *Table
	for _, x := range tables {
		if x.Name == "equal_opportunities_by_value" {
			tb = x
		}
	}
	if tb == nil {
		t.Fatal("equal_opportunities_by_value not computed")
	}
	want := map[[2]string]int64{
		{"racial_ethnic_origin", "White"}:                                 1,
		{"racial_ethnic_origin", "Black/African/Caribbean/Black British"}: 1,
		{"racial_ethnic_origin", "Asian/Asian British"}:                   1,
		{"health", "not disabled"}:                                        1,
		{"religious_beliefs", "Christian"}:                                1,
		{"religious_beliefs", Unmapped}:                                   1,
	}
	var sum int64
	for i := 0; i < tb.R(); i++ {
		for j := 0; j < tb.C(); j++ {
			k := [2]string{tb.Rows[i], tb.Cols[j]}
			if tb.Count[i][j] != want[k] {
				t.Errorf("%v = %d, want %d", k, tb.Count[i][j], want[k])
			}
			sum += tb.Count[i][j]
		}
	}
	if sum != 6 || tb.Count[tb.R()][tb.C()] != 6 {
		t.Errorf("cells sum to %d, grand total %d; want 6 (the shredded S9 and the free text not counted)", sum, tb.Count[tb.R()][tb.C()])
	}
	// equal_opportunities would give the category totals again, split by channel: it
	// is left out, and named.
	for _, x := range tables {
		if x.Name == "equal_opportunities" {
			t.Error("equal_opportunities released beside equal_opportunities_by_value")
		}
	}
	if !slices.Contains(skipped, "equal_opportunities") {
		t.Errorf("skipped = %v, want equal_opportunities named", skipped)
	}
	// Without the key store the table is skipped, not computed from nothing.
	_, skipped, err = Compute(ctx, st.DB(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, []string{"equal_opportunities_by_value"}) {
		t.Errorf("Compute without a key store: skipped = %v, want only the by-value table", skipped)
	}
}

// TestLeakScanFindsDecryptedEvidence: a release holding a decrypted monitoring answer
// is caught, and the scan names the evidence source, not the text.
func TestLeakScanFindsDecryptedEvidence(t *testing.T) {
	ctx := context.Background()
	st, _ := openKeyedStore(t)
	insertSealed(t, st, monitoringRows)
	file := filepath.Join(t.TempDir(), "bad.duckdb")
	db, err := sql.Open("duckdb", file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE innocent (category VARCHAR, value VARCHAR); INSERT INTO innocent VALUES ('religious_beliefs', 'answer was religion: jedi knight')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	leaks, err := ScanReleaseWith(ctx, st.DB(), st, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(leaks) != 1 || leaks[0] != (Leak{"innocent", "value", EvidenceSourceName}) {
		t.Errorf("leaks = %v, want innocent.value from %s", leaks, EvidenceSourceName)
	}
	for _, l := range leaks {
		if strings.Contains(strings.ToLower(l.String()), "jedi") {
			t.Errorf("the leak report repeats the evidence: %s", l)
		}
	}
	// Without the evidence source the same file passes: the evidence is only sealed in the store.
	if leaks, err := ScanRelease(ctx, st.DB(), file); err != nil || len(leaks) != 0 {
		t.Errorf("scan without evidence: %v, %v", leaks, err)
	}
}

// popAnswers are fictional monitoring answers given to the generated population.
var popAnswers = map[string][]string{
	"racial_ethnic_origin":        {"Ethnicity: White British", "☒ Black Caribbean", "Ethnic group: Asian or Asian British - Indian", "Ethnicity: Mixed - White and Asian", "Ethnicity: Arab", "Ethnicity: Cornish-Martian"},
	"religious_beliefs":           {"Religion: None", "Religion: Roman Catholic", "Religion: Muslim", "Religion: Hindu", "Religion: Jewish", "Religion: Pastafarian"},
	"health":                      {"Disabled?  [ ] Yes  [x] No", "Disability: Yes – long-term condition", "Disabled? [x] Yes [ ] No"},
	"sex_life_sexual_orientation": {"Sexual orientation: Straight", "Sexual orientation: Gay man", "Sexual orientation: Bisexual", "Sexual orientation: Asexual"},
}

// TestAttacksOnMonitoringValues seals fictional answers into the generated
// population's monitoring rows under a real key store, builds the release with them,
// and runs the three attacks, the leak scan looking for the decrypted answers too.
func TestAttacksOnMonitoringValues(t *testing.T) {
	ctx := context.Background()
	st, _ := openKeyedStore(t)
	n := populationSize(t)
	if err := popgen.Generate(ctx, st.DB(), n); err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB().Query(`SELECT tag_id, key_id, subject_id FROM restricted WHERE condition = ? ORDER BY tag_id`, MonitoringCondition)
	if err != nil {
		t.Fatal(err)
	}
	var tags, keyIDs, subjects []string
	for rows.Next() {
		var tag, key, subject string
		if err := rows.Scan(&tag, &key, &subject); err != nil {
			t.Fatal(err)
		}
		tags, keyIDs, subjects = append(tags, tag), append(keyIDs, key), append(subjects, subject)
	}
	rows.Close()
	m, err := monitoringValues()
	if err != nil {
		t.Fatal(err)
	}
	// Each subject's two rows (tag_ids <profile>#0 and #1, adjacent) answer two
	// different categories, as a form does; answers spread over the vocabulary. Units
	// are the distinct (category, value, subject) the table counts.
	cats := []string{"racial_ethnic_origin", "religious_beliefs", "health", "sex_life_sexual_orientation"}
	units := map[[3]string]bool{}
	var updates []string
	for i, tag := range tags {
		subject, row := i/2, i%2
		if !strings.HasSuffix(tag, "#"+fmt.Sprint(row)) {
			t.Fatalf("tag %d is not row %d of its profile", i, row)
		}
		cat := cats[(subject+row)%len(cats)]
		answer := popAnswers[cat][(subject/len(cats)+row)%len(popAnswers[cat])]
		if subject < 7 && row == 0 { // a category fewer than k answered: withheld, with its line
			cat, answer = "trade_union_membership", "Trade union member? Yes"
		}
		sealed, err := st.SealEvidence(ctx, keyIDs[i], tag, profile.Category(cat), answer)
		if err != nil {
			t.Fatal(err)
		}
		updates = append(updates, tag+"\x1f"+cat+"\x1f"+hex.EncodeToString(sealed))
		units[[3]string{cat, m.Value(profile.Category(cat), answer), subjects[i]}] = true
	}
	if _, err := st.DB().Exec(`UPDATE restricted SET category = u.cat, evidence_sealed = unhex(u.sealed)
		FROM (SELECT split_part(r, chr(31), 1) AS tag, split_part(r, chr(31), 2) AS cat, split_part(r, chr(31), 3) AS sealed
		      FROM (SELECT unnest(string_split(?, chr(30))) AS r)) u
		WHERE restricted.tag_id = u.tag`, strings.Join(updates, "\x1e")); err != nil {
		t.Fatal(err)
	}
	r, err := BuildWith(ctx, st.DB(), st, asOf, DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	var tb *Table
	for _, x := range r.Tables {
		checkProtected(t, x, DefaultK)
		if x.Name == "equal_opportunities_by_value" {
			tb = x
		}
	}
	if tb == nil {
		t.Fatal("equal_opportunities_by_value not in the release")
	}
	released := 0
	for i := 0; i < tb.R(); i++ {
		for j := 0; j < tb.C(); j++ {
			if !tb.Suppressed[i][j] && tb.Count[i][j] > 0 {
				released++
			}
		}
	}
	if released == 0 || tb.Count[tb.R()][tb.C()] != int64(len(units)) {
		t.Errorf("%d monitoring answers: grand total %d, want %d; %d cells released", len(tags), tb.Count[tb.R()][tb.C()], len(units), released)
	}
	t.Logf("%d subjects, %d monitoring answers: by-value table %d x %d, %d cells released, %d figures withheld",
		n, len(tags), tb.R(), tb.C(), released, tb.SuppressedCells())
	AssertNoLeaksWith(t, st.DB(), st, r)
}
