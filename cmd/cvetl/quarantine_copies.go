package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// copySource serves quarantine copies as the files they were: each Item carries the
// location and received time recorded when the file was first ingested, so provenance
// names where the file came from, never the copy under <out>/quarantine.
type copySource struct {
	dir     string
	items   []pipeline.Item
	sha     map[string]string          // Item.Key → content hash, the copy's name
	channel map[string]profile.Channel // Item.Key → the channel first recorded
}

func (c *copySource) List(context.Context) ([]pipeline.Item, error) { return c.items, nil }

func (c *copySource) Open(_ context.Context, it pipeline.Item) (io.ReadCloser, error) {
	return os.Open(filepath.Join(c.dir, c.sha[it.Key]))
}

// newCopySource takes the chosen files that can be read from their copies: the copy
// is there with the bytes quarantined, and the retention purge has not cleared the
// original location. It returns the others' hashes too.
func newCopySource(dir string, files []duckstore.QuarantinedFile) (*copySource, []string, error) {
	c := &copySource{dir: dir, sha: map[string]string{}, channel: map[string]profile.Channel{}}
	var without []string
	for _, f := range files {
		size, ok, err := copyHolds(filepath.Join(dir, f.SHA256), f.SHA256)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the copy of %s: %w", f.SHA256[:12], err)
		}
		if !ok || f.Location == duckstore.PurgedLocation {
			without = append(without, f.SHA256)
			continue
		}
		// The key keeps the file's name (extractors sniff by it too) and is unique per
		// content; source rules match keys, so the recorded channel is given instead.
		key := f.SHA256[:16] + "/" + filepath.Base(f.Location)
		c.items = append(c.items, pipeline.Item{Key: key, Location: f.Location, Size: size, ModTime: f.ReceivedAt})
		c.sha[key], c.channel[key] = f.SHA256, profile.Channel(f.Channel)
	}
	return c, without, nil
}

// copyHolds reports whether the copy at path exists and holds the bytes of sha.
func copyHolds(path, sha string) (int64, bool, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, false, err
	}
	return n, hex.EncodeToString(h.Sum(nil)) == sha, nil
}

// ingestCopies reads the released files from their copies in an ingest run of its own,
// with the configured readers and limits: what `cvetl ingest` of the cleaned inbox
// would have done.
func ingestCopies(ctx context.Context, g globals, store *openedStore, src *copySource) (int64, pipeline.Summary, error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return 0, pipeline.Summary{}, err
	}
	if ctx, err = applyConfig(ctx, cfg); err != nil {
		return 0, pipeline.Summary{}, err
	}
	runID, err := store.BeginRun(ctx, "ingest")
	if err != nil {
		return 0, pipeline.Summary{}, fmt.Errorf("starting the ingest run: %w", err)
	}
	runner := &pipeline.Runner{
		Source:     src,
		Sink:       store,
		Workers:    cfg.WorkerCount(),
		Limits:     cfg.ExtractorLimits(),
		Timeout:    30 * time.Second,
		ChannelFor: func(key string) profile.Channel { return src.channel[key] },
		Condition:  cfg.ConditionFor,
		BatchSize:  64,
		Log:        slog.Default().With("run", runID),
	}
	sum, runErr := runner.Run(ctx, runID)
	if err := store.FinishRun(context.WithoutCancel(ctx), runID, sum, runErr); err != nil && runErr == nil {
		runErr = fmt.Errorf("recording run %d: %w", runID, err)
	}
	return runID, sum, runErr
}
