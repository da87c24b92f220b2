package manifest

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"strconv"
)

// jsonSink writes the rows to a body file, one object a line; finish wraps them in the
// header once the id (a hash of the rows) is known.
type jsonSink struct {
	path, tmp, bodyPath string
	body                *os.File
	bw                  *bufio.Writer
	n                   int
}

func newJSONSink(path string) (*jsonSink, error) {
	s := &jsonSink{path: path, tmp: tmpName(path)}
	s.bodyPath = s.tmp + ".rows"
	f, err := os.Create(s.bodyPath)
	if err != nil {
		return nil, err
	}
	s.body, s.bw = f, bufio.NewWriterSize(f, 1<<20)
	return s, nil
}

func (s *jsonSink) write(row []any) error { return nil } // rows arrive encoded

func (s *jsonSink) writeEncoded(b []byte) error {
	if s.n > 0 {
		if _, err := s.bw.WriteString(",\n"); err != nil {
			return err
		}
	}
	s.n++
	_, err := s.bw.Write(b)
	return err
}

func (s *jsonSink) finish(meta Meta) error {
	if err := s.bw.Flush(); err != nil {
		return err
	}
	if _, err := s.body.Seek(0, io.SeekStart); err != nil {
		return err
	}
	out, err := os.Create(s.tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	head := []byte(`{`)
	for i, kv := range append([]Field{{"id", meta.ID}, {"kind", meta.Kind}, {"as_of", meta.AsOf}, {"policy", meta.Policy}}, meta.Extra...) {
		if i > 0 {
			head = append(head, ',')
		}
		head = appendString(head, kv.Key)
		head = append(head, ':')
		v, err := marshal(kv.Value)
		if err != nil {
			out.Close()
			return err
		}
		head = append(head, v...)
	}
	head = append(head, `,"rows":[`...)
	if s.n > 0 {
		head = append(head, '\n')
	}
	w.Write(head)
	if _, err := io.Copy(w, s.body); err != nil {
		out.Close()
		return err
	}
	if s.n > 0 {
		w.WriteString("\n")
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	s.body.Close()
	os.Remove(s.bodyPath)
	return out.Close()
}

func (s *jsonSink) abort() {
	s.body.Close()
	os.Remove(s.bodyPath)
	os.Remove(s.tmp)
}

func (s *jsonSink) tmpPath() string { return s.tmp }

// marshal is encoding/json without HTML escaping, so quotes from notices stay readable.
func marshal(v any) ([]byte, error) {
	var buf jsonBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.b[:len(buf.b)-1], nil // Encode adds a newline
}

type jsonBuffer struct{ b []byte }

func (j *jsonBuffer) Write(p []byte) (int, error) { j.b = append(j.b, p...); return len(p), nil }

// appendRowJSON encodes one row as an object with the columns in order.
func appendRowJSON(b []byte, cols []Column, row []any) []byte {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c.Name)
		b = append(b, ':')
		v := row[i]
		switch c.Type {
		case Bool:
			bv, _ := v.(bool)
			b = strconv.AppendBool(b, bv)
		case StringList:
			b = append(b, '[')
			for j, s := range stringList(v) {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, s)
			}
			b = append(b, ']')
		case Float:
			if f, ok := v.(float64); ok {
				b = strconv.AppendFloat(b, f, 'g', -1, 64)
			} else {
				b = append(b, "null"...)
			}
		case Date:
			if s, ok := dateString(v); ok {
				b = appendString(b, s)
			} else {
				b = append(b, "null"...)
			}
		default:
			if s, ok := v.(string); ok {
				b = appendString(b, s)
			} else {
				b = append(b, "null"...)
			}
		}
	}
	return append(b, '}')
}

// appendString appends s as a JSON string, as encoding/json would (without HTML
// escaping); plain ASCII, the common case, takes the fast path.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			v, _ := marshal(s)
			return append(b, v...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
