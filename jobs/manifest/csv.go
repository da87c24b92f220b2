package manifest

import (
	"bufio"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
)

// csvSink writes a header line and one line per row: dates as YYYY-MM-DD, booleans as
// true/false, lists joined by ";", null as an empty field.
type csvSink struct {
	tmp  string
	f    *os.File
	bw   *bufio.Writer
	w    *csv.Writer
	cols []Column
	rec  []string
}

func newCSVSink(path string, cols []Column) (*csvSink, error) {
	s := &csvSink{tmp: tmpName(path), cols: cols, rec: make([]string, len(cols))}
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, err
	}
	s.f, s.bw = f, bufio.NewWriterSize(f, 1<<20)
	s.w = csv.NewWriter(s.bw)
	for i, c := range cols {
		s.rec[i] = c.Name
	}
	if err := s.w.Write(s.rec); err != nil {
		f.Close()
		os.Remove(s.tmp)
		return nil, err
	}
	return s, nil
}

func (s *csvSink) write(row []any) error {
	for i, c := range s.cols {
		v := row[i]
		switch c.Type {
		case Bool:
			b, _ := v.(bool)
			s.rec[i] = strconv.FormatBool(b)
		case StringList:
			s.rec[i] = strings.Join(stringList(v), ";")
		case Date:
			s.rec[i], _ = dateString(v)
		case Float:
			s.rec[i] = ""
			if f, ok := v.(float64); ok {
				s.rec[i] = strconv.FormatFloat(f, 'g', -1, 64)
			}
		default:
			s.rec[i], _ = v.(string)
		}
	}
	return s.w.Write(s.rec)
}

func (s *csvSink) finish(Meta) error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	return s.f.Close()
}

func (s *csvSink) abort() {
	s.f.Close()
	os.Remove(s.tmp)
}

func (s *csvSink) tmpPath() string { return s.tmp }
