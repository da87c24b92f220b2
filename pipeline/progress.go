package pipeline

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress reports how far a run has got.
type Progress interface {
	Start(total int)
	Add(n int)
	Finish()
}

// NoProgress reports nothing: for CI, pipes and tests.
type NoProgress struct{}

func (NoProgress) Start(int) {}
func (NoProgress) Add(int)   {}
func (NoProgress) Finish()   {}

// NewProgress returns a bar on w when w is a terminal, and NoProgress otherwise, so
// logs captured by a scheduler stay clean.
func NewProgress(w *os.File) Progress {
	if os.Getenv("CI") != "" {
		return NoProgress{}
	}
	if fi, err := w.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return NoProgress{}
	}
	return &bar{w: w}
}

type bar struct {
	mu          sync.Mutex
	w           io.Writer
	total, done int
	start, last time.Time
}

func (b *bar) Start(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total, b.start = total, time.Now()
	b.draw()
}

func (b *bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if time.Since(b.last) > 100*time.Millisecond || b.done == b.total {
		b.draw()
	}
}

func (b *bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw()
	fmt.Fprintln(b.w)
}

func (b *bar) draw() {
	b.last = time.Now()
	const width = 30
	filled := width
	if b.total > 0 {
		filled = width * b.done / b.total
	}
	rate := float64(b.done) / max(time.Since(b.start).Seconds(), 1e-3)
	fmt.Fprintf(b.w, "\r[%-*s] %d/%d files  %.0f files/s ", width, strings.Repeat("=", filled), b.done, b.total, rate)
}
