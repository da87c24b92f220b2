// Package pipeline is the batch runner: it discovers inputs, extracts and parses them
// in a bounded worker pool, skips content already ingested, and hands results to a Sink
// in input order so an interrupted run resumes to exactly the uninterrupted result.
// It knows the Extractor and Sink interfaces, not formats or databases.
package pipeline

import (
	"context"
	"io"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

// Item is one input discovered by a Source.
type Item struct {
	Key      string    // path relative to the source root; decides the channel
	Location string    // what provenance records: absolute path or s3:// URL
	Size     int64     // as listed; -1 when unknown
	ModTime  time.Time // when the file landed, the best "received" time we have
}

// ParsedCandidate is one candidate record parsed from a file.
type ParsedCandidate struct {
	Origin    string // "" for a whole-file CV, "row 7", "attachment cv.pdf"
	Format    extractors.Format
	Candidate profile.Candidate
}

// FileResult is everything one input produced.
type FileResult struct {
	Item       Item
	SHA256     string
	Size       int64
	Format     extractors.Format
	Channel    profile.Channel
	Candidates []ParsedCandidate
	Vacancies  []profile.Vacancy
	Problems   []extractors.Problem
	// TaggedBy is the fingerprint of the special-category detector that tagged
	// Candidates (specialcat.Fingerprint); "" when unknown.
	TaggedBy string
	// Err is a whole-file failure: the file is quarantined with ReasonOf(Err).
	Err error
	// Duplicate marks content the sink already holds; nothing else is set.
	Duplicate bool
	// Unreadable marks an input the source could not deliver (a network or disk
	// failure): it is reported but not recorded as seen, so the next run retries it.
	Unreadable bool
	// Data is the file's content, kept only for quarantined files so the sink can
	// copy them aside.
	Data []byte
}

// Quarantined reports whether the whole file failed.
func (r *FileResult) Quarantined() bool { return r.Err != nil }

// Sink receives results in input order. Implementations commit each batch atomically:
// a batch is either wholly stored (files, profiles, sources, quarantine rows) or not at all.
type Sink interface {
	// Known reports whether content with this hash was already ingested or quarantined.
	Known(sha256 string) bool
	Commit(ctx context.Context, runID int64, batch []*FileResult) error
}

// Source lists and reads inputs.
type Source interface {
	List(ctx context.Context) ([]Item, error)
	Open(ctx context.Context, it Item) (io.ReadCloser, error)
}

// Walker is a Source that can also yield its inputs one at a time, in List's order, so
// a run over a million inputs does not hold a million Items. An error from fn stops the
// walk and is returned as is.
type Walker interface {
	Walk(ctx context.Context, fn func(Item) error) error
}
