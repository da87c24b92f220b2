package samplegen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// DefaultMix is the format mix of Synthetic when none is given: roughly what an
// agency inbox holds.
const DefaultMix = "pdf=45,pdf2col=15,docx=25,txt=15"

// Kinds Synthetic can write, and the file extension of each.
var syntheticKinds = map[string]string{"pdf": ".pdf", "pdf2col": ".pdf", "docx": ".docx", "txt": ".txt"}

// ParseMix reads "kind=weight,..." (kinds pdf, pdf2col, docx, txt; weights are
// non-negative integers, at least one positive). "" means DefaultMix.
func ParseMix(mix string) (kinds []string, weights []int, err error) {
	if strings.TrimSpace(mix) == "" {
		mix = DefaultMix
	}
	seen := map[string]bool{}
	total := 0
	for _, part := range strings.Split(mix, ",") {
		kind, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, nil, fmt.Errorf("mix %q: want kind=weight, got %q", mix, part)
		}
		if _, known := syntheticKinds[kind]; !known {
			return nil, nil, fmt.Errorf("mix %q: unknown kind %q (want pdf, pdf2col, docx or txt)", mix, kind)
		}
		if seen[kind] {
			return nil, nil, fmt.Errorf("mix %q: kind %q given twice", mix, kind)
		}
		seen[kind] = true
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 {
			return nil, nil, fmt.Errorf("mix %q: weight of %s must be a whole number ≥ 0", mix, kind)
		}
		kinds, weights = append(kinds, kind), append(weights, n)
		total += n
	}
	if total == 0 {
		return nil, nil, fmt.Errorf("mix %q: all weights are zero", mix)
	}
	return kinds, weights, nil
}

// SyntheticFile says what Synthetic writes as the i-th file (1-based) for seed: its
// candidate, kind and name. Each file depends only on (seed, i).
func SyntheticFile(seed uint64, i int, kinds []string, weights []int) (c Candidate, kind, name string) {
	fileSeed := splitmix(seed ^ uint64(i)*0x9e3779b97f4a7c15)
	r := newRand(fileSeed)
	total := 0
	for _, w := range weights {
		total += w
	}
	roll := r.IntN(total)
	for k, w := range weights {
		if roll < w {
			kind = kinds[k]
			break
		}
		roll -= w
	}
	// One to three pages: the job count drives the length.
	tier := r.IntN(3)
	jobs := []int{2 + r.IntN(2), 4 + r.IntN(2), 9 + r.IntN(3)}[tier]
	c = newCandidate(fileSeed, Options{Jobs: jobs, Bullets: []int{2, 3, 5}[tier]})
	return c, kind, fmt.Sprintf("cv-%06d%s", i, syntheticKinds[kind])
}

// Render writes a candidate in a Synthetic kind.
func Render(c Candidate, kind string) []byte {
	switch kind {
	case "pdf":
		return PDF(c, false)
	case "pdf2col":
		return PDF(c, true)
	case "docx":
		return DOCX(c)
	}
	return []byte(Text(c))
}

// Synthetic writes n CVs named cv-000001.pdf, cv-000002.docx, ... into dir, in the
// formats of mix (see ParseMix), for benchmarks. Files are generated and written
// one at a time per worker, so memory stays flat whatever n is; the output is the
// same for the same (n, seed, mix).
func Synthetic(n int, seed uint64, dir string, mix string) error {
	if n < 0 {
		return fmt.Errorf("synthetic: n must be ≥ 0, got %d", n)
	}
	kinds, weights, err := ParseMix(mix)
	if err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1 + w; i <= n; i += workers {
				c, kind, name := SyntheticFile(seed, i, kinds, weights)
				if err := os.WriteFile(filepath.Join(dir, name), Render(c, kind), 0o644); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	return nil
}

// splitmix scrambles a seed so neighbouring file numbers give unrelated candidates.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
