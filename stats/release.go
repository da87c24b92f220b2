package stats

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Release is what analysts receive: suppressed tables and how they were made.
type Release struct {
	AsOf time.Time
	K    int
	// RetentionPolicy is the policy of the latest deletion manifest counted, if any.
	RetentionPolicy string
	Tables          []*Table
	// Skipped names tables not released: the store lacks what they count, there is
	// no key store to open monitoring answers, or another table replaces them.
	Skipped []string
}

// Policy describes the disclosure control, for the metadata table and the report.
func (r *Release) Policy() string {
	return fmt.Sprintf("every released cell and total counts at least k=%d distinct subjects; "+
		"smaller non-empty cells are withheld (primary) and further cells are withheld until "+
		"no withheld cell can be recovered from the published cells and totals (secondary, "+
		"checked exactly); empty cells are published as 0; no differential-privacy noise", r.K)
}

// Build computes the tables from the store and applies disclosure control. Monitoring
// answers are not counted by value; see BuildWith.
func Build(ctx context.Context, db *sql.DB, asOf time.Time, k int) (*Release, error) {
	return BuildWith(ctx, db, nil, asOf, k)
}

// BuildWith is Build that also counts monitoring answers by value, opening them
// through ev (the store with its key store; nil skips that table).
func BuildWith(ctx context.Context, db *sql.DB, ev EvidenceSource, asOf time.Time, k int) (*Release, error) {
	if err := CheckK(k); err != nil {
		return nil, err
	}
	tables, skipped, err := ComputeWith(ctx, db, ev, asOf)
	if err != nil {
		return nil, err
	}
	if err := SuppressAll(tables, k); err != nil {
		return nil, err
	}
	r := &Release{AsOf: asOf, K: k, Tables: tables, Skipped: skipped}
	err = db.QueryRowContext(ctx, `SELECT coalesce(max_by(policy, (as_of, created_at)), '') FROM manifests
		WHERE kind = 'deletion' AND as_of <= CAST(? AS DATE)`, asOf.Format("2006-01-02")).Scan(&r.RetentionPolicy)
	if err != nil {
		return nil, fmt.Errorf("stats: reading the retention policy: %w", err)
	}
	if err := r.Verify(); err != nil { // never release what the attack checks would reject
		return nil, err
	}
	return r, nil
}

// Verify runs the release checks: no released non-empty cell below k distinct subjects,
// shared figures withheld in both tables or in neither, and no withheld cell
// recoverable from the published cells and totals (each witness, and each partner
// table's change, is re-checked against that table's constraints).
func (r *Release) Verify() error {
	for _, t := range r.Tables {
		if err := t.checkAdditive(); err != nil {
			return err
		}
		for c, p := range t.partners {
			if t.Suppressed[c[0]][c[1]] != p.table.Suppressed[p.cell[0]][p.cell[1]] {
				return fmt.Errorf("stats: %s(%s, %s) and %s share a figure but only one withholds it",
					t.Name, t.RowLabel(c[0]), t.ColLabel(c[1]), p.table.Name)
			}
		}
		for i := range t.Count {
			for j := range t.Count[i] {
				if !t.Suppressed[i][j] {
					if t.Count[i][j] != 0 && t.Subjects[i][j] < int64(r.K) {
						return fmt.Errorf("stats: table %s cell (%s, %s) would release fewer than k subjects", t.Name, t.RowLabel(i), t.ColLabel(j))
					}
					continue
				}
				if !t.jointlyProtected(i, j) {
					return fmt.Errorf("stats: table %s cell (%s, %s) is withheld but recoverable from the totals", t.Name, t.RowLabel(i), t.ColLabel(j))
				}
			}
		}
	}
	return nil
}

// jointlyProtected checks a withheld cell's witness and its partner tables' changes.
func (t *Table) jointlyProtected(i, j int) bool {
	w, partners, ok := t.JointMovable(i, j)
	if !ok || !t.Consistent(w) {
		return false
	}
	for _, p := range partners {
		if !p.Table.Consistent(p.Witness) {
			return false
		}
	}
	return true
}
