package s3store

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/cvetl/cvetl/pipeline"
)

// Sink wraps the ingest's store. Before a batch is committed it archives the
// batch's new inputs (when Archive is set), and it refuses to commit once Source has
// recorded a transient failure, so an input that could not be read because the
// server went away is never recorded as quarantined: the run fails and a re-run
// ingests it. Archiving before committing means every committed input is archived.
type Sink struct {
	pipeline.Sink
	Source  *Source  // optional: the S3 source whose failures stop the run
	Archive *Archive // optional
	// Workers archive a batch's files concurrently (default 8).
	Workers int
}

// Commit archives then commits one batch.
func (s *Sink) Commit(ctx context.Context, runID int64, batch []*pipeline.FileResult) error {
	if s.Archive != nil {
		if err := s.archive(ctx, batch); err != nil {
			return err
		}
	}
	if s.Source != nil {
		if err := s.Source.Err(); err != nil {
			return fmt.Errorf("input source failed, batch not committed: %w", err)
		}
	}
	return s.Sink.Commit(ctx, runID, batch)
}

func (s *Sink) archive(ctx context.Context, batch []*pipeline.FileResult) error {
	work := make(chan *pipeline.FileResult)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	n := s.Workers
	if n <= 0 {
		n = 8
	}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for res := range work {
				if err := s.archiveOne(ctx, res); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("archiving input %s…: %w", res.SHA256[:12], err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, res := range batch {
		if res.Duplicate || (res.Quarantined() && res.Size == 0 && res.Data == nil) {
			continue // known content, or nothing was read
		}
		work <- res
	}
	close(work)
	wg.Wait()
	return first
}

func (s *Sink) archiveOne(ctx context.Context, res *pipeline.FileResult) error {
	if res.Data != nil && int64(len(res.Data)) == res.Size {
		_, err := s.Archive.Put(ctx, res.SHA256, bytes.NewReader(res.Data), res.Size)
		return err
	}
	if IsURL(res.Item.Location) {
		rest := strings.TrimPrefix(res.Item.Location, "s3://")
		bucket, key, _ := strings.Cut(rest, "/")
		etag := ""
		if s.Source != nil && s.Source.Loc.Bucket == bucket && strings.HasPrefix(key, s.Source.Loc.Prefix) {
			etag = s.Source.ETag(strings.TrimPrefix(key, s.Source.Loc.Prefix))
		}
		_, err := s.Archive.CopyFrom(ctx, res.SHA256, bucket, key, etag)
		return err
	}
	_, err := s.Archive.PutFile(ctx, res.SHA256, res.Item.Location)
	return err
}
