package duckstore

import (
	"context"
	"fmt"
	"regexp"
)

var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// bulkCheckpointThreshold is the write-ahead log size at which DuckDB checkpoints
// while this process writes in bulk. Why so large: DuckDB 1.1 rewrites every column
// of a table's unfinished row group (up to 122,880 rows) at each checkpoint, so
// checkpointing every 16 MB of log (its default) made a 20,000-file ingest spend a
// third of its time rewriting rows it had already written, more as the row group
// fills (docs/benchmarks.md, issue 2). 256 MB of log is about 50,000 files: a run
// below that checkpoints once, when the store closes, and a longer one every ~50,000
// files, which keeps the log and its replay after a crash bounded (1 GB was faster
// still but held 90 MB more at 150,000 files). Commits stay durable in the log.
const bulkCheckpointThreshold = "256MB"

// PrepareBulkWrites sets DuckDB up for this process to write in bulk (ingest, lake
// import): how much memory it may hold, and how rarely it checkpoints. DuckDB's
// buffer pool keeps every block it writes cached up to memory_limit (default 80% of
// RAM); beyond the limit it evicts written blocks, which are on disk already, or
// spills to a temp file. The allocator setting makes DuckDB return freed buffers to
// the OS as it evicts them instead of keeping them in its jemalloc arenas. Empty
// limit: DuckDB's default.
func (s *Store) PrepareBulkWrites(ctx context.Context, limit string) error {
	if limit != "" {
		if !memorySize.MatchString(limit) {
			return fmt.Errorf("DuckDB memory limit %q: want a size such as 64MB or 1GB", limit)
		}
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("SET memory_limit = '%s'", limit)); err != nil {
			return fmt.Errorf("DuckDB memory limit %q: %w", limit, err)
		}
	}
	if _, err := s.db.ExecContext(ctx, "SET allocator_bulk_deallocation_flush_threshold = '0MB'"); err != nil {
		return fmt.Errorf("DuckDB allocator flush threshold: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "SET checkpoint_threshold = '"+bulkCheckpointThreshold+"'"); err != nil {
		return fmt.Errorf("DuckDB checkpoint threshold: %w", err)
	}
	return nil
}
