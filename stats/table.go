// Package stats computes the anonymised aggregates analysts receive: counts from the
// store (stats.sql), disclosure control (a k threshold on distinct subjects, primary and
// secondary suppression that survives the published totals), and the separate release
// file and HTML report. Nothing it releases carries a subject id, pseudonym or text.
package stats

import (
	"fmt"
	"slices"
)

// Total is the dimension value of a margin: the row, column or grand total.
const Total = "Total"

// Table is one two-way table with its margins. Cells are indexed [row][col] over the
// extended grid: index len(Rows) is the column-totals row and len(Cols) the row-totals
// column, so [len(Rows)][len(Cols)] is the grand total. Every published total is the
// sum of its line, which is what an attacker can subtract from.
type Table struct {
	Name, Title    string
	RowDim, ColDim string
	Unit           string
	Rows, Cols     []string
	// Count is the published value: distinct (row, column, subject) memberships.
	Count [][]int64
	// Subjects is the number of distinct subjects behind each cell, for the threshold.
	Subjects [][]int64
	// Suppressed marks cells withheld from the release.
	Suppressed [][]bool
	// partners maps a figure this table shares with another table (the same units
	// counted) to that table's figure.
	partners map[[2]int]partner
}

// partner is the same figure in another table.
type partner struct {
	table *Table
	cell  [2]int
}

// newTable allocates the extended grid for the given dimension values.
func newTable(name string, rows, cols []string) *Table {
	t := &Table{Name: name, Rows: rows, Cols: cols}
	R, C := len(rows), len(cols)
	t.Count = grid[int64](R+1, C+1)
	t.Subjects = grid[int64](R+1, C+1)
	t.Suppressed = grid[bool](R+1, C+1)
	return t
}

func grid[T any](r, c int) [][]T {
	g := make([][]T, r)
	for i := range g {
		g[i] = make([]T, c)
	}
	return g
}

// R and C are the number of interior rows and columns.
func (t *Table) R() int { return len(t.Rows) }
func (t *Table) C() int { return len(t.Cols) }

// RowLabel and ColLabel name a row or column of the extended grid.
func (t *Table) RowLabel(i int) string {
	if i == t.R() {
		return Total
	}
	return t.Rows[i]
}

func (t *Table) ColLabel(j int) string {
	if j == t.C() {
		return Total
	}
	return t.Cols[j]
}

// SuppressedCells counts the withheld cells, margins included.
func (t *Table) SuppressedCells() int {
	n := 0
	for _, row := range t.Suppressed {
		for _, s := range row {
			if s {
				n++
			}
		}
	}
	return n
}

// checkAdditive verifies the margins are the sums of their lines; the suppression
// proofs rely on it.
func (t *Table) checkAdditive() error {
	R, C := t.R(), t.C()
	var grand int64
	for i := 0; i < R; i++ {
		var s int64
		for j := 0; j < C; j++ {
			s += t.Count[i][j]
		}
		if s != t.Count[i][C] {
			return fmt.Errorf("table %s: row %d total %d is not the sum of its cells %d", t.Name, i, t.Count[i][C], s)
		}
		grand += s
	}
	for j := 0; j < C; j++ {
		var s int64
		for i := 0; i < R; i++ {
			s += t.Count[i][j]
		}
		if s != t.Count[R][j] {
			return fmt.Errorf("table %s: column %d total %d is not the sum of its cells %d", t.Name, j, t.Count[R][j], s)
		}
	}
	if grand != t.Count[R][C] {
		return fmt.Errorf("table %s: grand total %d is not the sum of the cells %d", t.Name, t.Count[R][C], grand)
	}
	if slices.Contains(t.Rows, Total) || slices.Contains(t.Cols, Total) {
		return fmt.Errorf("table %s: a dimension value is %q, which names the margins", t.Name, Total)
	}
	return nil
}

// cell finds a figure by its row and column labels (Total for margins).
func (t *Table) cell(row, col string) ([2]int, bool) {
	i, j := slices.Index(t.Rows, row), slices.Index(t.Cols, col)
	if row == Total {
		i = t.R()
	}
	if col == Total {
		j = t.C()
	}
	return [2]int{i, j}, i >= 0 && j >= 0
}

// valueAt is the count of a figure found by cell; an absent figure counts nobody.
func (t *Table) valueAt(c [2]int, ok bool) int64 {
	if !ok {
		return 0
	}
	return t.Count[c[0]][c[1]]
}
