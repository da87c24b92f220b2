package stats

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// tableOf builds a partition table (one subject per unit) with margins from inner counts.
func tableOf(counts [][]int64) *Table {
	R, C := len(counts), len(counts[0])
	rows, cols := make([]string, R), make([]string, C)
	for i := range rows {
		rows[i] = string(rune('a' + i))
	}
	for j := range cols {
		cols[j] = string(rune('A' + j))
	}
	t := newTable("t", rows, cols)
	for i := 0; i < R; i++ {
		for j := 0; j < C; j++ {
			v := counts[i][j]
			t.Count[i][j] += v
			t.Count[i][C] += v
			t.Count[R][j] += v
			t.Count[R][C] += v
		}
	}
	for i := range t.Count {
		copy(t.Subjects[i], t.Count[i])
	}
	return t
}

// bruteForceMovable enumerates the tables that agree with the release, each withheld
// cell from 1 to its value + 1 (enough: if another table exists, one exists that moves
// cells by ±1), and reports whether cell (a, b) takes another value in one of them.
func bruteForceMovable(t *Table, a, b int) bool {
	var unknown [][2]int
	for i := range t.Count {
		for j := range t.Count[i] {
			if t.Suppressed[i][j] {
				unknown = append(unknown, [2]int{i, j})
			}
		}
	}
	vals := make([]int64, len(unknown))
	for k := range vals {
		vals[k] = 1
	}
	for {
		w := Witness{}
		differs := false
		for k, c := range unknown {
			if d := vals[k] - t.Count[c[0]][c[1]]; d != 0 {
				w[c] = d
				if c == [2]int{a, b} {
					differs = true
				}
			}
		}
		if differs && t.Consistent(w) {
			return true
		}
		k := 0
		for ; k < len(vals); k++ {
			if vals[k]++; vals[k] <= t.Count[unknown[k][0]][unknown[k][1]]+1 {
				break
			}
			vals[k] = 1
		}
		if k == len(vals) {
			return false
		}
	}
}

// TestMovableAgreesWithBruteForce checks the cycle search against exhaustive search on
// random small tables with random withheld cells, pinned ones included.
func TestMovableAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	pinned, free := 0, 0
	for n := 0; n < 400; n++ {
		R, C := 1+rng.IntN(3), 1+rng.IntN(3)
		counts := make([][]int64, R)
		for i := range counts {
			counts[i] = make([]int64, C)
			for j := range counts[i] {
				counts[i][j] = int64(rng.IntN(5))
			}
		}
		tb := tableOf(counts)
		withheld := 0
		for i := range tb.Count {
			for j := range tb.Count[i] {
				if tb.Count[i][j] > 0 && rng.IntN(3) == 0 && withheld < 5 {
					tb.Suppressed[i][j] = true
					withheld++
				}
			}
		}
		for i := range tb.Count {
			for j := range tb.Count[i] {
				if !tb.Suppressed[i][j] {
					continue
				}
				if searchSpace(tb) > 2e5 {
					continue
				}
				w, got := tb.Movable(i, j)
				want := bruteForceMovable(tb, i, j)
				if got != want {
					t.Fatalf("table %v withheld %v: cell (%d,%d) movable = %v, brute force says %v", tb.Count, tb.Suppressed, i, j, got, want)
				}
				if got {
					free++
					if !tb.Consistent(w) || w[[2]int{i, j}] == 0 {
						t.Fatalf("table %v: witness %v for (%d,%d) does not agree with the release", tb.Count, w, i, j)
					}
				} else {
					pinned++
				}
			}
		}
	}
	if pinned == 0 || free == 0 {
		t.Fatalf("the random tables exercised only one case: %d pinned, %d free", pinned, free)
	}
}

func TestSuppressProtectsEveryWithheldCell(t *testing.T) {
	cases := map[string][][]int64{
		// one small cell: its row and column and total would give it away
		"single small cell": {{20, 30, 3}, {25, 40, 50}, {30, 35, 45}},
		// a small cell alone in a row whose other cells are empty
		"alone in its row": {{0, 0, 4}, {25, 40, 50}},
		// every cell small: the margins carry the protection
		"all small":    {{1, 2}, {3, 1}},
		"one column":   {{12}, {3}, {40}},
		"one row":      {{12, 3, 40}},
		"zeros around": {{0, 0, 0}, {0, 7, 0}, {0, 0, 0}},
	}
	for name, counts := range cases {
		t.Run(name, func(t *testing.T) {
			tb := tableOf(counts)
			if err := Suppress(tb, 10); err != nil {
				t.Fatal(err)
			}
			checkProtected(t, tb, 10)
		})
	}
}

func TestSuppressRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		R, C := 1+rng.IntN(3), 1+rng.IntN(3)
		counts := make([][]int64, R)
		for i := range counts {
			counts[i] = make([]int64, C)
			for j := range counts[i] {
				counts[i][j] = int64(rng.IntN(25))
			}
		}
		tb := tableOf(counts)
		if err := Suppress(tb, 5); err != nil {
			t.Fatal(err)
		}
		checkProtected(t, tb, 5)
		for i := range tb.Count {
			for j := range tb.Count[i] {
				if tb.Suppressed[i][j] && searchSpace(tb) <= 2e5 && !bruteForceMovable(tb, i, j) {
					t.Fatalf("table %v: brute force pins withheld cell (%d,%d)", tb.Count, i, j)
				}
			}
		}
	}
}

// checkProtected is attack (a) and (b) on one table.
func checkProtected(t *testing.T, tb *Table, k int) {
	t.Helper()
	for i := range tb.Count {
		for j := range tb.Count[i] {
			c := tb.Count[i][j]
			if !tb.Suppressed[i][j] {
				if c != 0 && tb.Subjects[i][j] < int64(k) {
					t.Errorf("table %v: released cell (%d,%d) counts %d subjects < k", tb.Count, i, j, tb.Subjects[i][j])
				}
				continue
			}
			w, ok := tb.Movable(i, j)
			if !ok || !tb.Consistent(w) {
				t.Errorf("table %v withheld %v: cell (%d,%d) = %d is recoverable", tb.Count, tb.Suppressed, i, j, c)
			}
		}
	}
}

func TestSuppressRefusesSmallK(t *testing.T) {
	tb := tableOf([][]int64{{1}})
	if err := Suppress(tb, 4); !errors.Is(err, ErrKTooSmall) {
		t.Fatalf("k = 4: got %v, want ErrKTooSmall", err)
	}
}

// searchSpace is the number of tables bruteForceMovable enumerates.
func searchSpace(t *Table) float64 {
	n := 1.0
	for i := range t.Count {
		for j := range t.Count[i] {
			if t.Suppressed[i][j] {
				n *= float64(t.Count[i][j] + 1)
			}
		}
	}
	return n
}

// TestSharedFiguresAreWithheldTogether links the grand totals of random table pairs
// (the same people counted two ways) and checks the pair: the shared figure is withheld
// in both or neither, and every withheld figure has a witness that both tables accept.
func TestSharedFiguresAreWithheldTogether(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	withheldShared := 0
	for n := 0; n < 500; n++ {
		a := randomTable(rng, -1)
		total := a.Count[a.R()][a.C()]
		b := randomTable(rng, total) // the same grand total, split differently
		ga, gb := [2]int{a.R(), a.C()}, [2]int{b.R(), b.C()}
		a.partners = map[[2]int]partner{ga: {b, gb}}
		b.partners = map[[2]int]partner{gb: {a, ga}}
		if err := SuppressAll([]*Table{a, b}, 5); err != nil {
			t.Fatal(err)
		}
		if a.Suppressed[ga[0]][ga[1]] != b.Suppressed[gb[0]][gb[1]] {
			t.Fatalf("shared grand total %d withheld in one table only: %v / %v", total, a.Count, b.Count)
		}
		if a.Suppressed[ga[0]][ga[1]] {
			withheldShared++
		}
		r := &Release{K: 5, Tables: []*Table{a, b}}
		if err := r.Verify(); err != nil {
			t.Fatalf("%v / %v: %v", a.Count, b.Count, err)
		}
	}
	if withheldShared == 0 {
		t.Fatal("no shared figure was ever withheld: the joint check went untested")
	}
}

// randomTable makes a small partition table; with total ≥ 0, its cells sum to total.
func randomTable(rng *rand.Rand, total int64) *Table {
	R, C := 1+rng.IntN(3), 1+rng.IntN(3)
	counts := make([][]int64, R)
	for i := range counts {
		counts[i] = make([]int64, C)
	}
	if total < 0 {
		for i := range counts {
			for j := range counts[i] {
				counts[i][j] = int64(rng.IntN(12))
			}
		}
		return tableOf(counts)
	}
	for ; total > 0; total-- {
		counts[rng.IntN(R)][rng.IntN(C)]++
	}
	return tableOf(counts)
}
