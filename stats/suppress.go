package stats

import (
	"errors"
	"fmt"
)

// MinK is the smallest threshold cvetl accepts; DefaultK is the default.
const (
	MinK     = 5
	DefaultK = 10
)

// ErrKTooSmall is returned for a threshold below MinK.
var ErrKTooSmall = errors.New("k must be at least 5")

// CheckK validates a threshold.
func CheckK(k int) error {
	if k < MinK {
		return fmt.Errorf("stats: k = %d: %w", k, ErrKTooSmall)
	}
	return nil
}

// Suppress applies disclosure control to one table in place; see SuppressAll.
func Suppress(t *Table, k int) error { return SuppressAll([]*Table{t}, k) }

// SuppressAll applies disclosure control to tables in place. Primary: every non-empty
// cell or margin behind fewer than k distinct subjects is withheld. Secondary: cells are
// withheld until no withheld cell can be recovered from the published cells and totals —
// first the usual rule (a line with exactly one withheld cell loses its next smallest
// cell too), then, until a fixed point, the exact check of Movable on every withheld
// cell. A figure two tables share (the same units) is withheld in both or in neither,
// and withheld for secondary reasons only when nothing else frees a cell. Empty cells
// are published as 0: they count nobody.
func SuppressAll(tables []*Table, k int) error {
	if err := CheckK(k); err != nil {
		return err
	}
	for _, t := range tables {
		for i := range t.Count {
			for j := range t.Count[i] {
				t.Suppressed[i][j] = t.Count[i][j] > 0 && t.Subjects[i][j] < int64(k)
			}
		}
	}
	for {
		changed := false
		for _, t := range tables {
			c, err := t.secondary()
			if err != nil {
				return err
			}
			changed = changed || c
		}
		for _, t := range tables { // a shared figure withheld in one table is withheld in both
			for c, p := range t.partners {
				if t.Suppressed[c[0]][c[1]] != p.table.Suppressed[p.cell[0]][p.cell[1]] {
					t.Suppressed[c[0]][c[1]], p.table.Suppressed[p.cell[0]][p.cell[1]] = true, true
					changed = true
				}
			}
		}
		if !changed {
			return nil
		}
	}
}

// secondary runs secondary suppression on one table to its fixed point and reports
// whether it withheld anything.
func (t *Table) secondary() (bool, error) {
	changed := false
	for {
		if t.suppressLonelyCells() {
			changed = true
			continue
		}
		pinned, withheld := t.protectPinnedCell()
		if !pinned {
			return changed, nil
		}
		if !withheld { // cannot happen: a fully withheld table pins nothing
			return changed, fmt.Errorf("stats: table %s: a withheld cell stays recoverable", t.Name)
		}
		changed = true
	}
}

// lines lists the cells of every line constraint of the extended grid.
func (t *Table) lines() [][][2]int {
	R, C := t.R(), t.C()
	var out [][][2]int
	for i := 0; i <= R; i++ {
		var l [][2]int
		for j := 0; j <= C; j++ {
			l = append(l, [2]int{i, j})
		}
		out = append(out, l)
	}
	for j := 0; j <= C; j++ {
		var l [][2]int
		for i := 0; i <= R; i++ {
			l = append(l, [2]int{i, j})
		}
		out = append(out, l)
	}
	return out
}

// suppressLonelyCells withholds, in every line with exactly one withheld cell, the
// smallest released non-empty cell of that line. It reports whether it withheld any.
func (t *Table) suppressLonelyCells() bool {
	changed := false
	for _, line := range t.lines() {
		n := 0
		for _, c := range line {
			if t.Suppressed[c[0]][c[1]] {
				n++
			}
		}
		if n != 1 {
			continue
		}
		if c, ok := t.smallestReleased(line, false); ok {
			t.withhold(c)
			changed = true
		}
	}
	return changed
}

// smallestReleased is the released non-empty cell of the smallest count, inner cells
// before margins on a tie (margins are worth more to analysts). Figures shared with
// another table are left alone unless allowShared.
func (t *Table) smallestReleased(cells [][2]int, allowShared bool) ([2]int, bool) {
	best, found := [2]int{}, false
	for _, c := range cells {
		v := t.Count[c[0]][c[1]]
		if _, shared := t.partners[c]; t.Suppressed[c[0]][c[1]] || v == 0 || (shared && !allowShared) {
			continue
		}
		if !found || v < t.Count[best[0]][best[1]] ||
			(v == t.Count[best[0]][best[1]] && t.isMargin(best) && !t.isMargin(c)) {
			best, found = c, true
		}
	}
	return best, found
}

func (t *Table) isMargin(c [2]int) bool { return c[0] == t.R() || c[1] == t.C() }

// protectPinnedCell finds a withheld cell the release pins down and withholds one more
// cell for it: the smallest released cell of its row or column line that frees it, else
// the smallest of those lines, else the smallest released cell anywhere. It reports
// whether it found a pinned cell and whether it withheld one. A table with all its
// non-empty cells withheld pins none (raising a cell, its two totals and the grand
// total together is always consistent), so the loop in Suppress ends.
func (t *Table) protectPinnedCell() (pinned, withheld bool) {
	R, C := t.R(), t.C()
	for i := 0; i <= R; i++ {
		for j := 0; j <= C; j++ {
			if !t.Suppressed[i][j] {
				continue
			}
			if _, ok := t.Movable(i, j); ok {
				continue
			}
			return true, t.withholdFor(i, j)
		}
	}
	return false, false
}

func (t *Table) withholdFor(i, j int) bool {
	R, C := t.R(), t.C()
	var near [][2]int
	for jj := 0; jj <= C; jj++ {
		near = append(near, [2]int{i, jj})
	}
	for ii := 0; ii <= R; ii++ {
		near = append(near, [2]int{ii, j})
	}
	for _, c := range t.byCount(near) {
		t.Suppressed[c[0]][c[1]] = true
		if _, ok := t.Movable(i, j); ok {
			return true
		}
		t.Suppressed[c[0]][c[1]] = false
	}
	all := t.allCells()
	for _, allowShared := range []bool{false, true} {
		for _, cells := range [][][2]int{near, all} {
			if c, ok := t.smallestReleased(cells, allowShared); ok {
				t.withhold(c)
				return true
			}
		}
	}
	// Every figure here is withheld: the cycles left run through a shared figure the
	// partner table cannot follow yet, so withhold there.
	for _, p := range t.partners {
		if c, ok := p.table.smallestReleased(p.table.allCells(), true); ok {
			p.table.withhold(c)
			return true
		}
	}
	return false
}

// withhold withholds a figure, and the same figure in the table sharing it.
func (t *Table) withhold(c [2]int) {
	t.Suppressed[c[0]][c[1]] = true
	if p, ok := t.partners[c]; ok {
		p.table.Suppressed[p.cell[0]][p.cell[1]] = true
	}
}

func (t *Table) allCells() [][2]int {
	var all [][2]int
	for i := 0; i <= t.R(); i++ {
		for j := 0; j <= t.C(); j++ {
			all = append(all, [2]int{i, j})
		}
	}
	return all
}

// byCount orders the released non-empty cells among cells by count, smallest first.
func (t *Table) byCount(cells [][2]int) [][2]int {
	var out [][2]int
	rest := append([][2]int(nil), cells...)
	for {
		c, ok := t.smallestReleasedExcept(rest, out)
		if !ok {
			return out
		}
		out = append(out, c)
	}
}

func (t *Table) smallestReleasedExcept(cells, taken [][2]int) ([2]int, bool) {
	var pool [][2]int
	for _, c := range cells {
		skip := false
		for _, d := range taken {
			if c == d {
				skip = true
				break
			}
		}
		if !skip {
			pool = append(pool, c)
		}
	}
	return t.smallestReleased(pool, false)
}
