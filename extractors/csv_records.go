package extractors

import (
	"bytes"
	"context"
	"errors"
	"strings"
)

// ErrNotByteExact means an applicant export's rows cannot be located in its raw bytes:
// the text the CSV extractor parsed is not the file's bytes (UTF-16, Windows-1252, NUL
// bytes removed, classic Mac line ends), or reading restarted after a runaway quote.
var ErrNotByteExact = errors.New("the rows of this export are not at fixed byte positions")

// CSVRecord is one well-formed data row of an applicant export and where its bytes are.
type CSVRecord struct {
	Row        int // the number in the row's Part origin, "row N"
	Start, End int // byte range in the file, the line end included
	Fields     []string
}

// CSVRecords is an applicant export as the CSV extractor reads it, positioned in bytes.
type CSVRecords struct {
	Header   []string
	DataRows int // data rows, bad ones included: the numbering's end
	Records  []CSVRecord
}

// LocateCSVRecords parses data exactly as the CSV extractor does and says where each
// well-formed row lies in the raw bytes, numbered as its Part origin is, so that an
// erasure can cut one person's rows out of a shared export and keep every other byte.
func LocateCSVRecords(ctx context.Context, data []byte) (CSVRecords, error) {
	tab, err := readCSVTable(ctx, data)
	if err != nil {
		return CSVRecords{}, err
	}
	bom := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		bom = 3
	}
	text, err := csvDecodeText(data)
	if err != nil {
		return CSVRecords{}, err
	}
	if tab.restarts > 0 || text != string(data[bom:]) || !strings.Contains(text, "\n") {
		return CSVRecords{}, ErrNotByteExact
	}
	out := CSVRecords{Header: tab.header, DataRows: tab.dataRows, Records: make([]CSVRecord, 0, len(tab.rows))}
	for _, r := range tab.rows {
		start := r.start
		// The reader skips blank lines before a record; they are not the record's.
		for {
			if strings.HasPrefix(text[start:r.end], "\n") {
				start++
			} else if strings.HasPrefix(text[start:r.end], "\r\n") {
				start += 2
			} else {
				break
			}
		}
		out.Records = append(out.Records, CSVRecord{Row: r.n, Start: bom + start, End: bom + r.end, Fields: r.fields})
	}
	return out, nil
}
