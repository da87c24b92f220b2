// Package lake keeps cvetl's Parquet lake: profiles (redacted), sources, events and
// manifest rows as Hive-partitioned, zstd-compressed Parquet files
// (<table>/ingest_date=YYYY-MM-DD/part-<name>.parquet) in a local folder or under an
// s3:// prefix, for analysts' engines (DuckDB, Trino, Athena, Spark) to read.
//
// Writers (Export) own one file name per partition, so re-running an export replaces
// its own files and never duplicates rows; Compact merges a partition's files into
// one, deduplicated by each table's key (content-derived ids), so N shards that each
// exported give the rows one shard would have; EraseSubjects rewrites every file
// holding a subject. On S3 every write leaves exactly one version of a key: a
// rewritten or deleted file's older versions are deleted too, so an erased person's
// rows do not survive in a noncurrent version.
//
// Special-category evidence is not in the lake: it lives only, sealed, in the
// restricted store, and the profiles the lake copies were redacted before they were
// stored.
package lake

import (
	"context"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// Lake is an opened lake location.
type Lake struct {
	where string // folder or s3:// URL, for messages
	b     backend
}

// S3 is how to write a lake under an s3:// location.
type S3 struct {
	Client *s3.Client
	// SSE is "" (the bucket's default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS, with
	// KMSKeyID or the account's default key), sent with every upload.
	SSE      string
	KMSKeyID string
}

// Open opens the lake at a local folder (created if missing) or an s3://bucket/prefix
// (s.Client required).
func Open(location string, s S3) (*Lake, error) {
	if location == "" {
		return nil, fmt.Errorf("lake: no location given")
	}
	if !s3store.IsURL(location) {
		b, err := newLocal(location)
		if err != nil {
			return nil, err
		}
		return &Lake{where: location, b: b}, nil
	}
	loc, err := s3store.ParseURL(location)
	if err != nil {
		return nil, fmt.Errorf("lake: %w", err)
	}
	if s.Client == nil {
		return nil, fmt.Errorf("lake %s: no S3 client", location)
	}
	if err := s3store.ValidSSE(s.SSE); err != nil {
		return nil, fmt.Errorf("lake %s: %w", location, err)
	}
	return &Lake{where: loc.String(), b: &s3Backend{c: s.Client, loc: loc, sse: s.SSE, kms: s.KMSKeyID}}, nil
}

func (l *Lake) String() string { return l.where }

// LocalRoot is the lake's folder, or "" for a lake in S3 (use Fetch).
func (l *Lake) LocalRoot() string { return l.b.root() }

// File is one Parquet file of the lake.
type File struct {
	Key        string // relative to the lake root: <table>/ingest_date=<day>/part-<name>.parquet
	Table      string
	IngestDate string // YYYY-MM-DD
	Name       string // the writer's name: a shard label, "main", "compacted"
}

// Files lists a table's Parquet files in key order. Keys that do not follow the
// layout (a stray file, a temp file) are an error: the lake holds nothing unexplained.
func (l *Lake) Files(ctx context.Context, table string) ([]File, error) {
	keys, err := l.b.list(ctx, table+"/")
	if err != nil {
		return nil, fmt.Errorf("lake %s: listing %s: %w", l, table, err)
	}
	var out []File
	for _, k := range keys {
		if strings.HasSuffix(k, ".tmp") {
			continue // an interrupted local write; erasure prunes it
		}
		f, err := parseKey(k)
		if err != nil || f.Table != table {
			return nil, fmt.Errorf("lake %s: unexpected object %s: want %s/ingest_date=YYYY-MM-DD/part-NAME.parquet", l, k, table)
		}
		out = append(out, f)
	}
	return out, nil
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	keyRE  = regexp.MustCompile(`^([a-z_]+)/ingest_date=(\d{4}-\d{2}-\d{2})/part-([a-z0-9][a-z0-9-]*)\.parquet$`)
)

// ValidName checks a writer name: lower-case letters, digits and dashes.
func ValidName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("lake writer name %q: want lower-case letters, digits and dashes", name)
	}
	return nil
}

func fileKey(table, day, name string) string {
	return path.Join(table, "ingest_date="+day, "part-"+name+".parquet")
}

func parseKey(k string) (File, error) {
	m := keyRE.FindStringSubmatch(k)
	if m == nil {
		return File{}, fmt.Errorf("bad key")
	}
	if _, err := time.Parse(time.DateOnly, m[2]); err != nil {
		return File{}, err
	}
	return File{Key: k, Table: m[1], IngestDate: m[2], Name: m[3]}, nil
}

// Glob is the path pattern that reads a table of a lake in root (a local folder) with
// DuckDB: read_parquet(Glob(root, "profiles"), hive_partitioning = true).
func Glob(root, table string) string {
	return strings.TrimSuffix(root, "/") + "/" + table + "/*/*.parquet"
}

// read reads one file's rows. A file downloaded from S3 into tmp is deleted once read,
// so going through a large lake needs the disk of one file, not of the lake.
func (l *Lake) read(ctx context.Context, f File, t Table, tmp string) ([]Row, error) {
	p, err := l.b.local(ctx, f.Key, tmp)
	if err != nil {
		return nil, fmt.Errorf("lake %s: reading %s: %w", l, f.Key, err)
	}
	if l.b.root() == "" {
		defer os.Remove(p)
	}
	return readParquet(ctx, p, f.Key, t)
}
