// Package manifest writes a manifest — one decision per row for people to review — as
// <dir>/<kind>-<as-of>.json, .csv and .parquet, for any kind (deletion, notices,
// matches). Files appear whole or not at all: each is written beside its final name and
// renamed into place.
package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"time"
)

// Type is a column's type in all three formats.
type Type int

// Column types: JSON string/"YYYY-MM-DD"/bool/array/number; Parquet
// UTF8/DATE32/BOOLEAN/LIST/DOUBLE.
const (
	String Type = iota
	Date
	Bool
	StringList
	Float // a float64; written with the fewest digits that read back the same
)

// Column is one field of every row.
type Column struct {
	Name string
	Type Type
}

// Field is an extra top-level JSON member, written after "policy" in the order given.
type Field struct {
	Key   string
	Value any // marshalled with encoding/json
}

// Meta heads the JSON file: {"id","kind","as_of","policy", extras…, "rows":[…]}.
type Meta struct {
	ID, Kind, AsOf, Policy string
	Extra                  []Field
}

// Format is one output file format.
type Format string

// The formats written, in the order Commit reports them.
const (
	JSON    Format = "json"
	CSV     Format = "csv"
	Parquet Format = "parquet"
)

// Formats are all formats, JSON (the authoritative one) first.
var Formats = []Format{JSON, CSV, Parquet}

// sink is one format being written.
type sink interface {
	write(row []any) error
	// finish completes the temporary file; meta is final by now.
	finish(meta Meta) error
	abort()
	tmpPath() string
}

// Writer writes one manifest in every format at once, streaming rows.
type Writer struct {
	dir, base string
	cols      []Column
	sinks     map[Format]sink
	errs      map[Format]error
	digest    hash.Hash
	rows      int
	rowJSON   []byte
}

// Create starts <dir>/<kind>-<asOf>.{json,csv,parquet}. A format that cannot be
// started is reported by Commit; JSON failing is an error here.
func Create(dir, kind, asOf string, cols []Column) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("manifest folder: %w", err)
	}
	w := &Writer{dir: dir, base: kind + "-" + asOf, cols: cols, sinks: map[Format]sink{},
		errs: map[Format]error{}, digest: sha256.New()}
	// A run killed while writing leaves its temporary files; callers hold the nightly
	// lock, so any left for this manifest are from a dead run.
	if stale, err := filepath.Glob(filepath.Join(dir, w.base+".*.tmp-*")); err == nil {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	for _, f := range Formats {
		path := filepath.Join(dir, w.base+"."+string(f))
		var s sink
		var err error
		switch f {
		case JSON:
			s, err = newJSONSink(path)
		case CSV:
			s, err = newCSVSink(path, cols)
		case Parquet:
			s, err = newParquetSink(path, cols)
		}
		if err != nil {
			if f == JSON {
				w.Abort()
				return nil, fmt.Errorf("manifest %s: %w", path, err)
			}
			w.errs[f] = err
			continue
		}
		w.sinks[f] = s
	}
	return w, nil
}

// Write adds one row: values in column order (string, time.Time, bool, []string or
// []any of strings, nil). The row also feeds the digest.
func (w *Writer) Write(row []any) error {
	if len(row) != len(w.cols) {
		return fmt.Errorf("manifest row has %d values for %d columns", len(row), len(w.cols))
	}
	w.rowJSON = appendRowJSON(w.rowJSON[:0], w.cols, row)
	w.digest.Write(w.rowJSON)
	w.digest.Write([]byte{'\n'})
	w.rows++
	for f, s := range w.sinks {
		if w.errs[f] != nil {
			continue
		}
		var err error
		if js, ok := s.(*jsonSink); ok {
			err = js.writeEncoded(w.rowJSON)
		} else {
			err = s.write(row)
		}
		if err != nil {
			w.errs[f] = err
			if f == JSON {
				return fmt.Errorf("manifest JSON: %w", err)
			}
		}
	}
	return nil
}

// Rows is the number of rows written so far.
func (w *Writer) Rows() int { return w.rows }

// Digest is the SHA-256 of the rows' JSON, in order: same rows, same digest.
func (w *Writer) Digest() string { return hex.EncodeToString(w.digest.Sum(nil)) }

// Commit finishes every format and moves the files into place. It returns the paths
// written and an error naming each format that failed; JSON failing means nothing is
// published.
func (w *Writer) Commit(meta Meta) ([]string, error) {
	var paths []string
	var failed []error
	for _, f := range Formats {
		s, ok := w.sinks[f]
		if !ok || w.errs[f] != nil {
			if s != nil {
				s.abort()
			}
			failed = append(failed, fmt.Errorf("%s: %w", f, w.errs[f]))
			if f == JSON {
				w.Abort()
				return nil, errors.Join(failed...)
			}
			continue
		}
		final := filepath.Join(w.dir, w.base+"."+string(f))
		err := s.finish(meta)
		if err == nil {
			err = os.Rename(s.tmpPath(), final)
		}
		if err != nil {
			s.abort()
			failed = append(failed, fmt.Errorf("%s: %w", f, err))
			if f == JSON {
				w.Abort()
				return nil, errors.Join(failed...)
			}
			continue
		}
		paths = append(paths, final)
	}
	return paths, errors.Join(failed...)
}

// Abort removes every temporary file.
func (w *Writer) Abort() {
	for _, s := range w.sinks {
		s.abort()
	}
}

func tmpName(path string) string {
	return fmt.Sprintf("%s.tmp-%d-%d", path, os.Getpid(), time.Now().UnixNano())
}

// dateString renders a DATE value; DuckDB hands dates over as UTC midnight.
func dateString(v any) (string, bool) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC().Format(time.DateOnly), true
	case string:
		return t, true
	}
	return "", false
}

// stringList accepts what database/sql scanning of VARCHAR[] yields.
func stringList(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}
