package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

// Runner ingests every input of a Source into a Sink.
type Runner struct {
	Source  Source
	Sink    Sink
	Workers int
	Limits  extractors.Limits
	// Timeout bounds the extraction of one input.
	Timeout time.Duration
	// ChannelFor gives the provenance channel of an input by its key.
	ChannelFor func(key string) profile.Channel
	// InputContext, when set, decorates the context one input is extracted with
	// (e.g. to force the CSV mapping of its source).
	InputContext func(ctx context.Context, key string) context.Context
	// Condition gives the recorded Art. 9 / Art. 10 condition for special-category
	// data found in a section of an input from a channel; nil records none.
	Condition func(channel profile.Channel, section string) string
	// BatchSize is how many files are committed in one transaction.
	BatchSize int
	// Shard, when Of > 1, keeps only the inputs whose key hashes to Index.
	Shard    Shard
	Progress Progress
	Log      *slog.Logger
}

// Summary is what a run did; it is printed and stored in the runs table.
type Summary struct {
	FilesSeen           int            `json:"files_seen"`
	FilesNew            int            `json:"files_new"`
	FilesDuplicate      int            `json:"files_duplicate"`
	FilesQuarantined    int            `json:"files_quarantined"`
	QuarantinedByReason map[string]int `json:"quarantined_by_reason"`
	FilesWithProblems   int            `json:"files_with_problems"`
	FilesUnreadable     int            `json:"files_unreadable"` // retried next run
	Candidates          int            `json:"candidates"`
	Vacancies           int            `json:"vacancies"`
}

// Run processes every input. It returns an error only when the run itself failed
// (the source cannot be listed, the sink cannot commit); bad files are quarantined
// and counted, never returned.
func (r *Runner) Run(ctx context.Context, runID int64) (Summary, error) {
	sum := Summary{QuarantinedByReason: map[string]int{}}
	walk, total, err := r.inputs(ctx)
	if err != nil {
		return sum, err
	}
	if r.Progress == nil {
		r.Progress = NoProgress{}
	}
	r.Progress.Start(total)
	defer r.Progress.Finish()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(r.Workers, 1)
	// window bounds how far workers may run ahead of the in-order writer, and so
	// bounds memory whatever the number of inputs.
	window := make(chan struct{}, workers*4)
	jobs := make(chan indexedItem)
	results := make(chan indexed, workers)
	var walkErr error
	seen := 0
	go func() {
		defer close(jobs)
		walkErr = walk(ctx, func(it Item) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- indexedItem{seen, it}:
			case <-ctx.Done():
				return ctx.Err()
			}
			seen++
			return nil
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res := r.process(ctx, j.item)
				select {
				case results <- indexed{j.i, res}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	err = r.writeInOrder(ctx, runID, results, window, &sum)
	if err != nil {
		cancel()
		for range results { // let workers exit
		}
	}
	// results is closed, so the walk has ended: seen and walkErr are final.
	sum.FilesSeen = seen
	if err == nil && walkErr != nil {
		err = walkErr
	}
	return sum, err
}

// inputs returns how to go through this run's inputs (its shard, in order) and how many
// there are, for progress. A Walker source is walked twice, once to count and once to
// run, so that the run never holds every Item; a listing error then still stops the run
// before anything is processed.
func (r *Runner) inputs(ctx context.Context) (walk func(context.Context, func(Item) error) error, total int, err error) {
	if w, ok := r.Source.(Walker); ok {
		err := w.Walk(ctx, func(it Item) error {
			if r.Shard.Keeps(it.Key) {
				total++
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		walk = func(ctx context.Context, fn func(Item) error) error {
			return w.Walk(ctx, func(it Item) error {
				if !r.Shard.Keeps(it.Key) {
					return nil
				}
				return fn(it)
			})
		}
		return walk, total, nil
	}
	items, err := r.Source.List(ctx)
	if err != nil {
		return nil, 0, err
	}
	items = r.Shard.Filter(items)
	walk = func(_ context.Context, fn func(Item) error) error {
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		return nil
	}
	return walk, len(items), nil
}

// maxBatchBytes caps the quarantined-file copies one batch holds in memory.
const maxBatchBytes = 32 << 20

type indexedItem struct {
	i    int
	item Item
}

type indexed struct {
	i   int
	res *FileResult
}

// writeInOrder commits results in input order, in batches, until results is closed.
//
// Content seen twice in one run: a copy whose Known check ran after the first copy was
// committed is marked Duplicate by its worker; a copy whose check ran before is caught
// here, by the hashes of recent inputs. How recent: when input j was checked, the first
// copy i was not yet committed, so i was in the batch being built (i ≥ next - batchSize)
// or in flight; and j held a window token, so j < next + cap(window). Hence
// j - i < batchSize + cap(window), and that many hashes are enough, however long the run.
func (r *Runner) writeInOrder(ctx context.Context, runID int64, results <-chan indexed, window <-chan struct{}, sum *Summary) error {
	batchSize := max(r.BatchSize, 1)
	pending := map[int]*FileResult{}
	recent := newRecentHashes(batchSize + cap(window))
	var batch []*FileResult
	batchBytes := 0
	next := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := r.Sink.Commit(ctx, runID, batch); err != nil {
			return fmt.Errorf("committing %d files: %w", len(batch), err)
		}
		for _, res := range batch {
			r.count(res, sum)
		}
		r.Progress.Add(len(batch))
		clear(batch) // drop the results, not just the length: they hold parsed profiles
		batch, batchBytes = batch[:0], 0
		return nil
	}
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case in, ok := <-results:
			if !ok {
				if err := ctx.Err(); err != nil {
					return err
				}
				if len(pending) > 0 {
					return errors.New("workers stopped before every input was processed")
				}
				return flush()
			}
			pending[in.i] = in.res
			for pending[next] != nil {
				res := pending[next]
				delete(pending, next)
				next++
				if !res.Duplicate && !res.Unreadable && recent.has(res.SHA256) {
					*res = FileResult{Item: res.Item, SHA256: res.SHA256, Size: res.Size, Duplicate: true}
				}
				recent.add(res.SHA256)
				batch = append(batch, res)
				batchBytes += len(res.Data)
				<-window // in the batch now: let another input start
				if len(batch) >= batchSize || batchBytes >= maxBatchBytes {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		case <-ticker.C:
			// Commit what is ready so a slow file does not hold finished work hostage.
			if err := flush(); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// recentHashes remembers the last n hashes added, with how often each occurs among them.
type recentHashes struct {
	ring  []string
	next  int
	count map[string]int
}

func newRecentHashes(n int) *recentHashes {
	return &recentHashes{ring: make([]string, max(n, 1)), count: map[string]int{}}
}

func (h *recentHashes) has(sha string) bool { return h.count[sha] > 0 }

func (h *recentHashes) add(sha string) {
	if old := h.ring[h.next]; old != "" {
		if h.count[old]--; h.count[old] == 0 {
			delete(h.count, old)
		}
	}
	h.ring[h.next] = sha
	h.count[sha]++
	h.next = (h.next + 1) % len(h.ring)
}

func (r *Runner) count(res *FileResult, sum *Summary) {
	switch {
	case res.Duplicate:
		sum.FilesDuplicate++
		return
	case res.Unreadable:
		sum.FilesUnreadable++
		return
	case res.Quarantined():
		sum.FilesQuarantined++
		sum.QuarantinedByReason[string(extractors.ReasonOf(res.Err))]++
	}
	sum.FilesNew++
	if len(res.Problems) > 0 {
		sum.FilesWithProblems++
	}
	sum.Candidates += len(res.Candidates)
	sum.Vacancies += len(res.Vacancies)
}

// process reads, hashes and analyses one input. Every failure becomes part of the
// result; nothing here stops the batch.
func (r *Runner) process(ctx context.Context, it Item) *FileResult {
	res := &FileResult{Item: it, Channel: r.ChannelFor(it.Key)}
	data, sha, size, err := r.read(ctx, it)
	res.SHA256, res.Size = sha, size
	if err != nil {
		res.Err = err
		res.Unreadable = extractors.ReasonOf(err) == extractors.ReasonUnreadable
		r.logQuarantine(res)
		return res
	}
	if r.Sink.Known(sha) {
		res.Duplicate = true
		return res
	}
	if r.InputContext != nil {
		ctx = r.InputContext(ctx, it.Key)
	}
	a, err := Analyse(ctx, extractors.Input{Name: it.Key, Data: data}, r.Limits, r.Timeout)
	if err != nil {
		res.Err, res.Data = err, data
		r.logQuarantine(res)
		return res
	}
	res.Format, res.Candidates, res.Vacancies, res.Problems = a.Format, a.Candidates, a.Vacancies, a.Problems
	res.TaggedBy = specialDetector(ctx).fingerprint
	RecordConditions(res.Candidates, res.Channel, r.Condition)
	for _, p := range a.Problems {
		r.Log.Warn("part of file skipped", "sha256", short(sha), "origin", p.LogOrigin(), "reason", p.Reason)
	}
	return res
}

// read streams a file through SHA-256, keeping at most MaxFileBytes in memory: a file
// over the cap is still hashed (so it is recognised next time) but not kept.
func (r *Runner) read(ctx context.Context, it Item) (data []byte, sha string, size int64, err error) {
	// An input the source cannot deliver is keyed by its location, never by a hash of
	// what little was read, and is retried next run: a failed read is not a bad file.
	unreadable := func(what string, err error) ([]byte, string, int64, error) {
		h := sha256.Sum256([]byte("unreadable:" + it.Location))
		return nil, hex.EncodeToString(h[:]), 0, extractors.Errorf(extractors.ReasonUnreadable, "%s: %v", what, errors.Unwrap(err))
	}
	rc, err := r.Source.Open(ctx, it)
	if err != nil {
		return unreadable("cannot open", err)
	}
	defer rc.Close()
	h := sha256.New()
	capped := &capWriter{max: r.Limits.MaxFileBytes}
	size, err = io.Copy(io.MultiWriter(h, capped), rc)
	sha = hexSum(h)
	if err != nil {
		return unreadable(fmt.Sprintf("read failed after %d bytes", size), err)
	}
	if capped.over {
		return nil, sha, size, extractors.Errorf(extractors.ReasonTooLarge, "%d bytes, cap %d", size, r.Limits.MaxFileBytes)
	}
	return capped.buf, sha, size, nil
}

func (r *Runner) logQuarantine(res *FileResult) {
	r.Log.Warn("file quarantined", "sha256", short(res.SHA256), "reason", extractors.ReasonOf(res.Err))
}

// capWriter keeps the first max bytes written and notes whether there were more.
type capWriter struct {
	max  int64
	buf  []byte
	over bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	if !c.over {
		if int64(len(c.buf)+len(p)) > c.max {
			c.over, c.buf = true, nil
		} else {
			c.buf = append(c.buf, p...)
		}
	}
	return len(p), nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func short(sha string) string { return sha[:min(12, len(sha))] }
