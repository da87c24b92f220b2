package matching

import (
	"reflect"
	"slices"
	"testing"
)

// Profile, the only input to the features, carries job facts and nothing else; a
// field added here must be argued for against the fairness rules first.
func TestProfileHasOnlyJobFacts(t *testing.T) {
	allowed := []string{"SubjectID", "Skills", "Jobs", "Qualifications", "Postcode", "Town"}
	for _, typ := range []reflect.Type{reflect.TypeOf(Profile{}), reflect.TypeOf(Job{})} {
		for i := 0; i < typ.NumField(); i++ {
			name := typ.Field(i).Name
			if typ == reflect.TypeOf(Job{}) {
				if !slices.Contains([]string{"Title", "Start", "End"}, name) {
					t.Errorf("Job has field %s: matching may not know it", name)
				}
				continue
			}
			if !slices.Contains(allowed, name) {
				t.Errorf("Profile has field %s: matching may not know it", name)
			}
		}
	}
}

// Changing what matching must not use — name, date of birth, contact details, NI
// number, links, special-category rows, employer and institution names (nationality
// proxies), and a config-listed proxy — leaves every score and every ranking as it was.
func TestScoresIgnoreProtectedInputs(t *testing.T) {
	mutations := []struct {
		name    string
		proxies []string
		change  func(f *fixture)
	}{
		{"names", nil, func(f *fixture) {
			f.exec(`UPDATE profiles SET name = 'Zbigniew Ó Súilleabháin-Nguyen'`)
		}},
		{"dates of birth (age)", nil, func(f *fixture) {
			f.exec(`UPDATE profiles SET date_of_birth = DATE '1948-01-01' WHERE subject_id <= 'S0000003'`)
			f.exec(`UPDATE profiles SET date_of_birth = NULL WHERE subject_id > 'S0000003'`)
		}},
		{"contact details, NI number, links", nil, func(f *fixture) {
			// DuckDB 1.1 cannot UPDATE a list column of a keyed table: rewrite the rows.
			f.exec(`CREATE TEMP TABLE p AS SELECT * REPLACE (['x@example.org'] AS emails, CAST([] AS VARCHAR[]) AS phones,
				NULL AS ni_number, ['https://example.org/photo.jpg'] AS links) FROM profiles`)
			f.exec(`DELETE FROM profiles`)
			f.exec(`INSERT INTO profiles SELECT * FROM p`)
			f.exec(`UPDATE subjects SET subject_ref = 'changed-' || subject_id || '@example.org'`)
		}},
		{"special categories (sealed evidence rows)", nil, func(f *fixture) {
			for i, cat := range []string{"health", "religious_beliefs", "racial_ethnic_origin", "sex_life_sexual_orientation", "criminal_convictions", "trade_union_membership"} {
				f.exec(`INSERT INTO restricted SELECT subject_id || '#' || CAST(? AS VARCHAR), subject_id, subject_id, profile_id, ?,
					NULL, 'test', 0.9, 0, 5, '\x01'::BLOB, 1 FROM profiles WHERE subject_id >= ?`, i, cat, "S000000"+string(rune('1'+i)))
			}
		}},
		{"employers and institutions", nil, func(f *fixture) {
			f.exec(`UPDATE profiles SET
				employment = CAST(replace(CAST(employment AS VARCHAR), '"employer":"', '"employer":"Université de Lagos ') AS JSON),
				education = CAST(replace(CAST(education AS VARCHAR), '"institution":"', '"institution":"Universidad de Lima ') AS JSON)`)
		}},
		{"postcode listed as a proxy", []string{"postcode"}, func(f *fixture) {
			f.exec(`UPDATE profiles SET postcode = 'BT1 5GS'`)
		}},
		{"location listed as a proxy", []string{"location"}, func(f *fixture) {
			f.exec(`UPDATE profiles SET postcode = 'G2 3BZ', town = 'Glasgow'`)
		}},
		{"qualifications listed as a proxy", []string{"qualifications"}, func(f *fixture) {
			f.exec(`UPDATE profiles SET education = CAST('[{"institution":"Open University","qualification":"NVQ Level 3 Health and Social Care"}]' AS JSON)`)
		}},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			f := newFixture(t)
			f.cfg.TopN = 100 // every scored candidate, not just the best
			f.cfg.Proxies = m.proxies
			f.standard()
			_, before := f.run()
			if len(before) != 3 {
				t.Fatalf("fixture: %d vacancies matched, want 3", len(before))
			}
			m.change(f)
			_, after := f.run()
			if !reflect.DeepEqual(before, after) {
				t.Errorf("scores changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// The same change to a feature that is used does change scores: the test above would
// notice if the mutations did nothing.
func TestScoresFollowUsedInputs(t *testing.T) {
	f := newFixture(t)
	f.cfg.TopN = 100
	s := f.standard()
	_, before := f.run()
	f.exec(`UPDATE profiles SET postcode = 'BT1 5GS', town = 'Belfast' WHERE subject_id = ?`, s.itSheffield)
	_, after := f.run()
	if after[s.it][s.itSheffield] >= before[s.it][s.itSheffield] {
		t.Errorf("moving away did not lower the score: %v → %v", before[s.it][s.itSheffield], after[s.it][s.itSheffield])
	}
}
