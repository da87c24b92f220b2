package stats

// What an attacker knows of a table: every released cell and margin, that every line
// (a row with its total, a column with its total, the totals with the grand total) sums
// exactly, and that a withheld cell is at least 1 (empty cells are released as 0). A
// withheld cell is protected when another table satisfying all of that gives it a
// different value.
//
// The constraints are those of a bipartite network: one node per row line and one per
// column line of the extended grid, one edge per cell. Writing the signed change of a
// cell as f = sign·Δ (sign −1 on row and column totals, +1 on inner cells and the grand
// total), every line constraint says the f of its edges sum to zero, so the feasible
// changes are circulations: sums of even cycles alternating +1 and −1. By conformal
// decomposition, a cell can move at all iff one such cycle through it moves it by one
// while every withheld cell it lowers stays ≥ 1 (released cells cannot change). The
// search below finds that cycle or proves there is none: an exact answer, no LP.

// Witness is an alternative table that agrees with everything published: the change
// it makes to each withheld cell, keyed [row, col] in the extended grid.
type Witness map[[2]int]int64

// cellSign is the sign of a cell in its line constraints.
func (t *Table) cellSign(i, j int) int64 {
	if (i < t.R()) == (j < t.C()) {
		return 1
	}
	return -1
}

// Movable reports whether the withheld cell (i, j) can take another value consistent
// with the release, and returns a witness for this table: a change of +1 if one exists,
// else −1. When the witness moves a figure this table shares with another, the other
// table can follow (see JointMovable).
func (t *Table) Movable(i, j int) (Witness, bool) {
	w, _, ok := t.JointMovable(i, j)
	return w, ok
}

// PartnerWitness is the change another table makes to follow a shared figure.
type PartnerWitness struct {
	Table   *Table
	Witness Witness
}

// JointMovable is Movable with the changes the tables sharing a figure must make too.
// A shared figure may move only if its partner table can move it by the same amount
// without touching its own shared figures; the search tries cycles that leave shared
// figures alone first, then cycles that raise them, then cycles that lower them. It is
// sound (every witness returned is checked possible) and, when every non-empty figure
// of both tables is withheld, always finds the all-raising cycle.
func (t *Table) JointMovable(i, j int) (Witness, []PartnerWitness, bool) {
	if !t.Suppressed[i][j] {
		return nil, nil, false
	}
	for _, d := range []int64{+1, -1} {
		if d < 0 && t.Count[i][j] < 2 {
			continue
		}
		for _, shared := range []int64{0, +1, -1} {
			w, ok := t.moveBy(i, j, d, shared)
			if !ok {
				continue
			}
			if partners, ok := t.follow(w); ok {
				return w, partners, true
			}
		}
	}
	return nil, nil, false
}

// follow finds, for every shared figure w moves, the partner table's change.
func (t *Table) follow(w Witness) ([]PartnerWitness, bool) {
	var out []PartnerWitness
	for c, d := range w {
		p, ok := t.partners[c]
		if !ok {
			continue
		}
		if !p.table.Suppressed[p.cell[0]][p.cell[1]] {
			return nil, false
		}
		if d < 0 && p.table.Count[p.cell[0]][p.cell[1]] < 2 {
			return nil, false
		}
		pw, ok := p.table.moveBy(p.cell[0], p.cell[1], d, 0)
		if !ok {
			return nil, false
		}
		out = append(out, PartnerWitness{p.table, pw})
	}
	return out, true
}

// moveBy searches a cycle that changes cell (a, b) by d; shared figures other than the
// target may only change by sharedDelta (0: not at all). Nodes 0..R are row lines and
// R+1..R+1+C column lines. Leaving the target's column node the next edge must carry
// f = −f0, so every edge walked column→row carries −f0 and every edge walked row→column
// carries +f0; the cycle closes at the target's row node.
func (t *Table) moveBy(a, b int, d, sharedDelta int64) (Witness, bool) {
	R, C := t.R(), t.C()
	f0 := d * t.cellSign(a, b)
	// can reports whether withheld cell (i, j) may take the signed change f.
	can := func(i, j int, f int64) bool {
		if !t.Suppressed[i][j] || (i == a && j == b) {
			return false
		}
		delta := f * t.cellSign(i, j)
		if _, shared := t.partners[[2]int{i, j}]; shared && delta != sharedDelta {
			return false
		}
		return delta > 0 || t.Count[i][j] >= 2
	}
	colNode := func(j int) int { return R + 1 + j }
	start, goal := colNode(b), a
	prev := make([]int, R+C+2)
	for k := range prev {
		prev[k] = -1
	}
	prev[start] = start
	queue := []int{start}
	for len(queue) > 0 && prev[goal] < 0 {
		n := queue[0]
		queue = queue[1:]
		if n > R { // a column node: walk to rows with f = −f0
			j := n - R - 1
			for i := 0; i <= R; i++ {
				if prev[i] < 0 && can(i, j, -f0) {
					prev[i] = n
					queue = append(queue, i)
				}
			}
			continue
		}
		for j := 0; j <= C; j++ { // a row node: walk to columns with f = +f0
			if m := colNode(j); prev[m] < 0 && can(n, j, f0) {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	if prev[goal] < 0 {
		return nil, false
	}
	w := Witness{{a, b}: d}
	for n := goal; n != start; n = prev[n] {
		p := prev[n]
		if n <= R { // edge walked column p → row n, f = −f0
			j := p - R - 1
			w[[2]int{n, j}] = -f0 * t.cellSign(n, j)
		} else { // edge walked row p → column n, f = +f0
			j := n - R - 1
			w[[2]int{p, j}] = f0 * t.cellSign(p, j)
		}
	}
	return w, true
}

// Consistent checks a candidate table (true counts plus a witness) against everything
// published, independently of the search: released cells unchanged, withheld cells ≥ 1,
// and every line summing to its total. The attack tests use it to verify witnesses.
func (t *Table) Consistent(w Witness) bool {
	R, C := t.R(), t.C()
	v := grid[int64](R+1, C+1)
	for i := 0; i <= R; i++ {
		for j := 0; j <= C; j++ {
			v[i][j] = t.Count[i][j]
		}
	}
	for k, d := range w {
		if !t.Suppressed[k[0]][k[1]] {
			return false
		}
		v[k[0]][k[1]] += d
	}
	for i := 0; i <= R; i++ {
		for j := 0; j <= C; j++ {
			if t.Suppressed[i][j] && v[i][j] < 1 {
				return false
			}
		}
	}
	for i := 0; i <= R; i++ {
		var s int64
		for j := 0; j < C; j++ {
			s += v[i][j]
		}
		if s != v[i][C] {
			return false
		}
	}
	for j := 0; j <= C; j++ {
		var s int64
		for i := 0; i < R; i++ {
			s += v[i][j]
		}
		if s != v[R][j] {
			return false
		}
	}
	return true
}
