package duckstore

import (
	"context"
	"fmt"
	"regexp"
)

var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// BoundWriterMemory sets how much memory DuckDB may hold while this process writes in
// bulk (ingest). Why: DuckDB's buffer pool keeps every block it writes cached up to
// memory_limit (default 80% of RAM), so without a bound ingest's footprint grows with
// the store (scripts/rss-profile.sh, docs/benchmarks.md); beyond the limit DuckDB
// evicts written blocks, which are on disk already, or spills to a temp file. The
// allocator setting makes DuckDB return freed buffers to the OS as it evicts them
// instead of keeping them in its jemalloc arenas. Empty limit: DuckDB's default.
func (s *Store) BoundWriterMemory(ctx context.Context, limit string) error {
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
	return nil
}
