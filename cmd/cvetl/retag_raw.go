package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/sinks/duckstore"
	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// Why a stored file's raw input was not re-read (retagSummary.Unavailable).
const (
	rawMissing      = "missing"             // no such path, key or bucket
	rawChanged      = "changed"             // its bytes no longer hash to what was ingested (or last rewritten)
	rawTooLarge     = "too_large"           // over limits.max_file_bytes
	rawUnreadable   = "unreadable"          // a read that failed (denied, I/O, timed out)
	rawS3Down       = "s3_unreachable"      // the S3 server failed after retries: the run's other S3 files are not tried
	rawS3NoClient   = "s3_not_configured"   // the S3 client could not be built from the environment
	rawNotOurs      = "rewrite_unconfirmed" // not a recorded erasure rewrite of the ingested file
	rawNotSupported = "unsupported_location"
)

// rawReader reads the raw inputs of stored files for retag: local paths from disk,
// s3:// objects through the S3 client ingest uses (same environment, same retries).
// Either way only bytes that still hash to the stored sha256 are returned, and at
// most maxBytes are held. Safe for concurrent use by the workers.
type rawReader struct {
	maxBytes int64
	all      bool        // re-hash files remembered as changed too
	s3       *s3.Client  // nil when no listed file is on S3, or no client could be built
	s3Down   atomic.Bool // set by the first transient S3 failure
	log      *slog.Logger
}

// newRawReader builds the S3 client only when a listed file is on S3. A client that
// cannot be built is not fatal: those files are unavailable, the others are read.
func newRawReader(ctx context.Context, files []duckstore.RetagFile, maxBytes int64, all bool, log *slog.Logger) *rawReader {
	r := &rawReader{maxBytes: maxBytes, all: all, log: log}
	for _, f := range files {
		if !s3store.IsURL(f.Location) {
			continue
		}
		cfg, err := s3store.ConfigFromEnv()
		if err == nil {
			r.s3, err = s3store.NewClient(ctx, cfg)
		}
		if err != nil {
			log.Warn("files on S3 are not re-read: no S3 client", "err", err)
		}
		break
	}
	return r
}

// rawRead is what reading one stored file's raw input found.
type rawRead struct {
	data []byte
	why  string // why data is nil: rawMissing, rawChanged, …; "" when read
	// seen is a local input found changed: its size and time, to remember so the
	// next run skips it until either changes. nil when unchanged, or already known.
	seen *duckstore.RawSeen
}

// read returns the file's bytes when they still hash to sha, else why not. A local
// file remembered as changed (f.Changed) whose size and modification time are still
// what was seen is not read again (unless all): re-hashing it each night would find
// the same. Nothing logged names a path or key: those may hold a person's name.
func (r *rawReader) read(ctx context.Context, f duckstore.RetagFile, sha string, timeout time.Duration) rawRead {
	var out rawRead
	var stat fs.FileInfo
	switch {
	case s3store.IsURL(f.Location):
		out.data, out.why = r.readS3(ctx, f.Location, timeout)
	case isURL(f.Location):
		return rawRead{why: rawNotSupported}
	default:
		if f.Changed != nil && !r.all {
			if st, err := os.Stat(f.Location); err == nil && sameAsSeen(st, *f.Changed) {
				return rawRead{why: rawChanged}
			}
		}
		out.data, stat, out.why = r.readLocal(f.Location)
	}
	if out.why == "" {
		sum := sha256.Sum256(out.data)
		if hex.EncodeToString(sum[:]) != sha {
			out.data, out.why = nil, rawChanged
			if stat != nil && (f.Changed == nil || !sameAsSeen(stat, *f.Changed)) {
				out.seen = &duckstore.RawSeen{Size: stat.Size(), ModTime: stat.ModTime().UnixNano()}
			}
		}
	}
	return out
}

func sameAsSeen(st fs.FileInfo, seen duckstore.RawSeen) bool {
	return st.Size() == seen.Size && st.ModTime().UnixNano() == seen.ModTime
}

// readLocal reads a local file, and its size and time as they were when it was opened.
func (r *rawReader) readLocal(location string) ([]byte, fs.FileInfo, string) {
	fh, err := os.Open(location)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, rawMissing
	} else if err != nil {
		return nil, nil, rawUnreadable
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, nil, rawUnreadable
	}
	data, err := io.ReadAll(io.LimitReader(fh, r.maxBytes+1))
	switch {
	case err != nil:
		return nil, nil, rawUnreadable
	case int64(len(data)) > r.maxBytes:
		return nil, nil, rawTooLarge
	}
	return data, st, ""
}

func (r *rawReader) readS3(ctx context.Context, location string, timeout time.Duration) ([]byte, string) {
	switch {
	case r.s3 == nil:
		return nil, rawS3NoClient
	case r.s3Down.Load():
		return nil, rawS3Down
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	data, err := s3store.ReadObject(ctx, r.s3, location, r.maxBytes)
	switch {
	case err == nil:
		return data, ""
	case errors.Is(err, s3store.ErrObjectMissing):
		return nil, rawMissing
	case errors.Is(err, s3store.ErrObjectTooLarge):
		return nil, rawTooLarge
	case ctx.Err() != nil, s3store.Permanent(err):
		return nil, rawUnreadable // this file's timeout, or denied: the others may still read
	}
	// The client retried already: do not make every other S3 file wait for it too.
	if r.s3Down.CompareAndSwap(false, true) {
		r.log.Warn("S3 unreachable: the run's other files on S3 are not re-read; the next run retries them", "err", err)
	}
	return nil, rawS3Down
}

// isURL reports a location with a scheme, which is not a local path.
func isURL(location string) bool { return strings.Contains(location, "://") }
