package lake

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Fetch makes the lake's tables readable by DuckDB as local files, since DuckDB's
// httpfs (s3:// reads) cannot be loaded here: a folder lake is read in place and its
// folder returned; an S3 lake's files are downloaded with the SDK into dir, keeping
// the layout, and dir is returned. Then, for a table:
//
//	SELECT … FROM read_parquet('<root>/profiles/*/*.parquet', hive_partitioning = true)
//
// (Glob builds the pattern). Fetched files hold personal data: delete dir after use.
// tables nil means all.
func Fetch(ctx context.Context, l *Lake, dir string, tables []Table) (string, error) {
	if root := l.b.root(); root != "" {
		return root, nil
	}
	if tables == nil {
		tables = Tables
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("lake fetch: %w", err)
	}
	for _, t := range tables {
		files, err := l.Files(ctx, t.Name)
		if err != nil {
			return "", err
		}
		// A file compacted or erased since an earlier fetch must not linger.
		if err := os.RemoveAll(filepath.Join(dir, t.Name)); err != nil {
			return "", fmt.Errorf("lake fetch: %w", err)
		}
		for _, f := range files {
			if _, err := l.b.local(ctx, f.Key, dir); err != nil {
				return "", fmt.Errorf("lake %s: fetching %s: %w", l, f.Key, err)
			}
		}
	}
	return dir, nil
}
