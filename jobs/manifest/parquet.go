package manifest

import (
	"os"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// batchRows is how many rows go into one Arrow record (and one Parquet row group).
const batchRows = 65536

// parquetSink writes zstd-compressed Parquet through Arrow: strings as UTF8, dates as
// DATE32 (no time zone, so DuckDB can do date arithmetic on them), lists of strings.
type parquetSink struct {
	tmp string
	f   *os.File
	fw  *pqarrow.FileWriter
	b   *array.RecordBuilder
	n   int
}

func newParquetSink(path string, cols []Column) (*parquetSink, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		var t arrow.DataType
		switch c.Type {
		case Date:
			t = arrow.FixedWidthTypes.Date32
		case Bool:
			t = arrow.FixedWidthTypes.Boolean
		case StringList:
			t = arrow.ListOf(arrow.BinaryTypes.String)
		case Float:
			t = arrow.PrimitiveTypes.Float64
		default:
			t = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: c.Name, Type: t, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	s := &parquetSink{tmp: tmpName(path)}
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCreatedBy("cvetl"))
	fw, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(s.tmp)
		return nil, err
	}
	s.f, s.fw = f, fw
	s.b = array.NewRecordBuilder(memory.DefaultAllocator, schema)
	return s, nil
}

func (s *parquetSink) write(row []any) error {
	for i, fb := range s.b.Fields() {
		v := row[i]
		switch b := fb.(type) {
		case *array.StringBuilder:
			if str, ok := v.(string); ok {
				b.Append(str)
			} else {
				b.AppendNull()
			}
		case *array.Date32Builder:
			if t, ok := v.(time.Time); ok {
				b.Append(arrow.Date32FromTime(t))
			} else if str, ok := v.(string); ok && str != "" {
				t, err := time.Parse(time.DateOnly, str)
				if err != nil {
					return err
				}
				b.Append(arrow.Date32FromTime(t))
			} else {
				b.AppendNull()
			}
		case *array.Float64Builder:
			if f, ok := v.(float64); ok {
				b.Append(f)
			} else {
				b.AppendNull()
			}
		case *array.BooleanBuilder:
			bv, _ := v.(bool)
			b.Append(bv)
		case *array.ListBuilder:
			b.Append(true)
			vb := b.ValueBuilder().(*array.StringBuilder)
			for _, x := range stringList(v) {
				vb.Append(x)
			}
		}
	}
	s.n++
	if s.n == batchRows {
		return s.flush()
	}
	return nil
}

func (s *parquetSink) flush() error {
	if s.n == 0 {
		return nil
	}
	rec := s.b.NewRecord()
	defer rec.Release()
	s.n = 0
	return s.fw.Write(rec)
}

func (s *parquetSink) finish(meta Meta) error {
	if err := s.flush(); err != nil {
		return err
	}
	for k, v := range map[string]string{"cvetl.manifest.id": meta.ID, "cvetl.manifest.kind": meta.Kind,
		"cvetl.manifest.as_of": meta.AsOf, "cvetl.manifest.policy": meta.Policy} {
		if err := s.fw.AppendKeyValueMetadata(k, v); err != nil {
			return err
		}
	}
	s.b.Release()
	if err := s.fw.Close(); err != nil { // closes the file too
		return err
	}
	return nil
}

func (s *parquetSink) abort() {
	s.f.Close()
	os.Remove(s.tmp)
}

func (s *parquetSink) tmpPath() string { return s.tmp }
