package lake

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// Row is one row of a table, column by column: nil, string (String, JSON), []string,
// time.Time (Date, Timestamp; UTC) or bool.
type Row []any

// rowGroupRows is how many rows go into one Arrow record and Parquet row group.
const rowGroupRows = 65536

// writeParquet writes rows to path as one file (see fileWriter).
func writeParquet(path string, t Table, rows []Row) error {
	w, err := newFileWriter(path, t)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.add(r); err != nil {
			w.abort()
			return err
		}
	}
	return w.close()
}

// fileWriter streams rows into a zstd Parquet file with the table's schema and the
// schema version in the file metadata, one row group per rowGroupRows rows, so
// memory stays bounded whatever the file's size. The same rows give the same bytes.
type fileWriter struct {
	path string
	t    Table
	f    *os.File
	fw   *pqarrow.FileWriter
	b    *array.RecordBuilder
	n    int // rows added
}

func newFileWriter(path string, t Table) (*fileWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	schema := t.arrowSchema()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCreatedBy("cvetl"))
	fw, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &fileWriter{path: path, t: t, f: f, fw: fw, b: array.NewRecordBuilder(memory.DefaultAllocator, schema)}, nil
}

func (w *fileWriter) add(r Row) error {
	if err := appendRow(w.b, w.t, r); err != nil {
		return fmt.Errorf("%s row %d: %w", w.t.Name, w.n, err)
	}
	w.n++
	if w.n%rowGroupRows == 0 {
		return w.flush()
	}
	return nil
}

func (w *fileWriter) flush() error {
	rec := w.b.NewRecord()
	defer rec.Release()
	if rec.NumRows() == 0 {
		return nil
	}
	return w.fw.Write(rec)
}

// close writes the last row group and the metadata, and closes the file.
func (w *fileWriter) close() error {
	defer w.b.Release()
	if err := w.flush(); err != nil {
		w.abortFile()
		return err
	}
	for _, kv := range [][2]string{{metaVersion, strconv.Itoa(SchemaVersion)}, {metaTable, w.t.Name}} {
		if err := w.fw.AppendKeyValueMetadata(kv[0], kv[1]); err != nil {
			w.abortFile()
			return err
		}
	}
	if err := w.fw.Close(); err != nil { // closes f
		os.Remove(w.path)
		return err
	}
	return nil
}

// abort drops the file.
func (w *fileWriter) abort() {
	w.b.Release()
	w.abortFile()
}

func (w *fileWriter) abortFile() {
	w.f.Close()
	os.Remove(w.path)
}

func appendRow(b *array.RecordBuilder, t Table, r Row) error {
	if len(r) != len(t.Columns) {
		return fmt.Errorf("%d values for %d columns", len(r), len(t.Columns))
	}
	for i, c := range t.Columns {
		v := r[i]
		fb := b.Field(i)
		if v == nil {
			fb.AppendNull()
			continue
		}
		var ok bool
		switch c.Type {
		case String, JSON:
			var s string
			if s, ok = v.(string); ok {
				fb.(*array.StringBuilder).Append(s)
			}
		case StringList:
			var l []string
			if l, ok = v.([]string); ok {
				lb := fb.(*array.ListBuilder)
				lb.Append(true)
				vb := lb.ValueBuilder().(*array.StringBuilder)
				for _, s := range l {
					vb.Append(s)
				}
			}
		case Date:
			var d time.Time
			if d, ok = v.(time.Time); ok {
				fb.(*array.Date32Builder).Append(arrow.Date32FromTime(d))
			}
		case Timestamp:
			var ts time.Time
			if ts, ok = v.(time.Time); ok {
				fb.(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UTC().UnixMicro()))
			}
		case Bool:
			var bv bool
			if bv, ok = v.(bool); ok {
				fb.(*array.BooleanBuilder).Append(bv)
			}
		}
		if !ok {
			return fmt.Errorf("column %s: %T is not a valid value", c.Name, v)
		}
	}
	return nil
}

// readParquet reads a lake file of table t. A file of another table, of a newer schema
// version or with different columns is an error naming the file and the reason.
func readParquet(ctx context.Context, path, name string, t Table) ([]Row, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("lake file %s: not Parquet: %w", name, err)
	}
	defer pf.Close()
	kv := pf.MetaData().KeyValueMetadata()
	if tbl := kv.FindValue(metaTable); tbl == nil || *tbl != t.Name {
		return nil, fmt.Errorf("lake file %s: not a cvetl %s file (metadata %s missing or different)", name, t.Name, metaTable)
	}
	v := kv.FindValue(metaVersion)
	if v == nil {
		return nil, fmt.Errorf("lake file %s: no %s in its metadata", name, metaVersion)
	}
	if n, err := strconv.Atoi(*v); err != nil || n != SchemaVersion {
		return nil, fmt.Errorf("lake file %s: schema version %s, this cvetl reads version %d", name, *v, SchemaVersion)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("lake file %s: %w", name, err)
	}
	tab, err := fr.ReadTable(ctx)
	if err != nil {
		return nil, fmt.Errorf("lake file %s: %w", name, err)
	}
	defer tab.Release()
	if !t.matches(tab.Schema()) {
		return nil, fmt.Errorf("lake file %s: columns %v differ from the %s schema", name, tab.Schema(), t.Name)
	}
	rows := make([]Row, 0, tab.NumRows())
	tr := array.NewTableReader(tab, rowGroupRows)
	defer tr.Release()
	for tr.Next() {
		rec := tr.Record()
		base := len(rows)
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, make(Row, len(t.Columns)))
		}
		for j, c := range t.Columns {
			col := rec.Column(j)
			for i := 0; i < col.Len(); i++ {
				if col.IsNull(i) {
					continue
				}
				rows[base+i][j] = value(col, c.Type, i)
			}
		}
	}
	return rows, tr.Err()
}

func value(col arrow.Array, t ColType, i int) any {
	switch t {
	case StringList:
		l := col.(*array.List)
		start, end := l.ValueOffsets(i)
		vals := l.ListValues().(*array.String)
		out := make([]string, 0, end-start)
		for k := start; k < end; k++ {
			out = append(out, vals.Value(int(k)))
		}
		return out
	case Date:
		return col.(*array.Date32).Value(i).ToTime()
	case Timestamp:
		return time.UnixMicro(int64(col.(*array.Timestamp).Value(i))).UTC()
	case Bool:
		return col.(*array.Boolean).Value(i)
	default:
		return col.(*array.String).Value(i)
	}
}
