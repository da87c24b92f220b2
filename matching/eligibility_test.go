package matching

import (
	"context"
	"strings"
	"testing"
)

// Each exclusion removes the candidate from every match it would otherwise get, and
// only that candidate; near misses (another kind of objection, a superseded or
// rejected deletion row, another client's list) exclude nobody.
func TestEligibility(t *testing.T) {
	cases := []struct {
		name string
		// exclude records the exclusion for the subject; nearMiss records something
		// that must not exclude.
		exclude, nearMiss func(f *fixture, subj string)
		// onlyClient: the exclusion holds for this client's vacancies only.
		onlyClient bool
		reason     string
	}{
		{
			name: "objected to automated matching",
			exclude: func(f *fixture, subj string) {
				f.exec(`INSERT INTO events VALUES ('k1', ?, 'objected', DATE '2026-11-01', '{"processing":"automated_matching"}', 'test', 1)`, subj)
			},
			nearMiss: func(f *fixture, subj string) {
				f.exec(`INSERT INTO events VALUES ('k2', ?, 'objected', DATE '2026-11-01', '{"processing":"marketing"}', 'test', 1)`, subj)
			},
			reason: "objected",
		},
		{
			name: "restricted",
			exclude: func(f *fixture, subj string) {
				f.exec(`INSERT INTO restrictions VALUES (?, 'accuracy_contested', TIMESTAMP '2026-11-02')`, subj)
			},
			nearMiss: func(f *fixture, subj string) {
				f.exec(`INSERT INTO events VALUES ('k3', ?, 'restriction_requested', DATE '2026-11-01', NULL, 'test', 1)`, subj)
			},
			reason: "restricted",
		},
		{
			name: "due for deletion",
			exclude: func(f *fixture, subj string) {
				deletionManifest(f, "deletion-2026-11-26-x-new", "2026-11-26", nil)
				deletionRow(f, "deletion-2026-11-26-x-new", subj, "delete", "pending")
			},
			nearMiss: func(f *fixture, subj string) {
				// An older manifest superseded by a newer one, and a rejected row in the newest.
				deletionManifest(f, "deletion-2026-11-20-x-old", "2026-11-20", "deletion-2026-11-20-x-new")
				deletionRow(f, "deletion-2026-11-20-x-old", subj, "delete", "pending")
				deletionManifest(f, "deletion-2026-11-20-x-new", "2026-11-20", nil)
				deletionRow(f, "deletion-2026-11-20-x-new", subj, "delete", "rejected")
			},
			reason: "due_for_deletion",
		},
		{
			name: "do not supply to any client",
			exclude: func(f *fixture, subj string) {
				f.exec(`INSERT INTO do_not_supply VALUES (?, NULL, 'candidate asked', TIMESTAMP '2026-11-02')`, subj)
			},
			nearMiss: func(f *fixture, subj string) {
				f.exec(`INSERT INTO do_not_supply VALUES (?, 'Some Other Client Ltd', 'conflict', TIMESTAMP '2026-11-02')`, subj)
			},
			reason: "do_not_supply",
		},
		{
			name: "do not supply to this vacancy's client",
			exclude: func(f *fixture, subj string) {
				f.exec(`INSERT INTO do_not_supply VALUES (?, '  pennine vale nhs trust ', 'former employee', TIMESTAMP '2026-11-02')`, subj)
			},
			nearMiss: func(f *fixture, subj string) {
				f.exec(`INSERT INTO do_not_supply VALUES (?, 'Pennine Vale', 'conflict', TIMESTAMP '2026-11-02')`, subj)
			},
			onlyClient: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.standard()
			// The nurse is proposed for the nursing vacancy (client Pennine Vale) and,
			// with a shared skill, for the care vacancy (client Brambleside).
			_, before := f.run()
			if _, ok := before[s.nurse][s.nurseSheffield]; !ok {
				t.Fatalf("fixture: nurse not matched to the nursing vacancy: %v", before)
			}
			if _, ok := before[s.care][s.nurseSheffield]; !ok {
				t.Fatalf("fixture: nurse not matched to the care vacancy: %v", before)
			}

			c.nearMiss(f, s.nurseSheffield)
			_, near := f.run()
			if _, ok := near[s.nurse][s.nurseSheffield]; !ok {
				t.Errorf("a near miss excluded the candidate")
			}

			c.exclude(f, s.nurseSheffield)
			res, after := f.run()
			if _, ok := after[s.nurse][s.nurseSheffield]; ok {
				t.Errorf("excluded candidate still matched to the nursing vacancy: %v", after[s.nurse])
			}
			_, stillCare := after[s.care][s.nurseSheffield]
			if c.onlyClient != stillCare {
				t.Errorf("care vacancy (another client): matched = %v, want %v", stillCare, c.onlyClient)
			}
			if _, ok := after[s.nurse][s.carerSheffield]; !ok {
				t.Errorf("another candidate lost their match: %v", after[s.nurse])
			}
			if c.reason != "" && res.Excluded[c.reason] != 1 {
				t.Errorf("excluded counts %v, want %s: 1", res.Excluded, c.reason)
			}
		})
	}
}

func deletionManifest(f *fixture, id, asOf string, supersededBy any) {
	f.exec(`INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at, superseded_by)
		VALUES (?, 'deletion', CAST(? AS DATE), 'x', 'd', 1, [], 1, TIMESTAMP '2026-11-26', ?)`, id, asOf, supersededBy)
}

func deletionRow(f *fixture, manifestID, subj, action, status string) {
	f.exec(`INSERT INTO manifest_rows VALUES (?, ?, ?, 'candidate', ?, 'r1', 'registered', DATE '2020-01-01',
		DATE '2026-11-01', DATE '2026-11-01', false, false, [], ?, ?, [], ['r1'], 'subject')`,
		manifestID, subj+"/r1", subj, action, status, action)
}

// A vacancy is open when posted within vacancy_max_age_days up to the day matched, or
// when it has no posting date.
func TestOpenVacancies(t *testing.T) {
	f := newFixture(t)
	f.standard()
	f.exec(`UPDATE vacancies SET posted_date = DATE '2026-08-01' WHERE reference = 'CARE-1'`) // 117 days before
	f.exec(`UPDATE vacancies SET posted_date = NULL WHERE reference = 'NURS-1'`)
	f.exec(`UPDATE vacancies SET posted_date = DATE '2026-11-27' WHERE reference = 'IT-1'`) // after as-of
	res, scores := f.run()
	if res.Vacancies != 1 || len(scores) != 1 || scores["job_board:indeed/NURS-1"] == nil {
		t.Errorf("open vacancies %d, matched %v; want only NURS-1", res.Vacancies, len(scores))
	}
	f.cfg.VacancyMaxAgeDays = 200
	if res, _ := f.run(); res.Vacancies != 2 {
		t.Errorf("with a 200-day window: %d open vacancies, want 2", res.Vacancies)
	}
	f.cfg.TopN = 0
	if _, err := Run(context.Background(), f.db, Options{Config: f.cfg, AsOf: f.asOf, OutDir: f.out}); err == nil || !strings.Contains(err.Error(), "matching.top_n") {
		t.Errorf("top_n 0: %v", err)
	}
}
