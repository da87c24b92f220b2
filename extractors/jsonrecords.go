package extractors

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

func init() {
	Register(FormatJSONLines, jsonRecordsExtractor{})
	Register(FormatJSONArray, jsonRecordsExtractor{})
}

// jsonMaxDepth bounds how deep a flat record's nested objects are followed; deeper
// values are dropped rather than recursed into without end.
const jsonMaxDepth = 16

// jsonRecordsExtractor reads a multi-record JSON export: JSON Lines (one object a line)
// or a top-level array of objects. Each object is a JSON Resume (it has a "basics"
// object) or a flat record mapped like an applicant CSV row, and becomes one Part with
// origin "line N" or "record N". A bad record is a Problem; the others still count.
//
// The input is already in memory (the runner caps it at MaxFileBytes), so records are
// taken one at a time from it: lines are sliced in place and array elements come from
// a json.Decoder, never a parsed copy of the whole file.
type jsonRecordsExtractor struct{}

func (jsonRecordsExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	var forced *compiledCSVMapping
	if name, ok := ctx.Value(csvMappingKey{}).(string); ok && name != "" {
		m, found := lookupCSVMapping(name)
		if !found {
			return nil, Errorf(ReasonUnsupported, "CSV mapping %q is not registered", name)
		}
		forced = &m
	}
	data := bytes.TrimPrefix(in.Data, []byte("\xEF\xBB\xBF"))
	acc := &jsonRecordAcc{forced: forced}
	var err error
	if body := bytes.TrimLeft(data, " \t\r\n"); len(body) > 0 && body[0] == '[' {
		acc.doc.Format = FormatJSONArray
		err = acc.readArray(ctx, data)
	} else {
		acc.doc.Format = FormatJSONLines
		err = acc.readLines(ctx, data)
	}
	if err != nil {
		return nil, err
	}
	return acc.finish()
}

// jsonRecordAcc collects the parts and problems of one export.
type jsonRecordAcc struct {
	forced        *compiledCSVMapping
	doc           Document
	records       int // records seen, bad ones included
	bad           int
	unlisted      int // bad records beyond csvMaxProblems
	firstUnlisted string
	targetCache   map[string][]string // key list → fields
}

func (a *jsonRecordAcc) problem(p Problem) {
	a.bad++
	if len(a.doc.Problems) >= csvMaxProblems {
		if a.unlisted == 0 {
			a.firstUnlisted = p.Origin
		}
		a.unlisted++
		return
	}
	a.doc.Problems = append(a.doc.Problems, p)
}

func (a *jsonRecordAcc) finish() (*Document, error) {
	if a.unlisted > 0 {
		a.doc.Problems = append(a.doc.Problems, Problem{Origin: a.firstUnlisted, Reason: ReasonBadRows,
			Detail: fmt.Sprintf("%d more bad records not listed", a.unlisted)})
	}
	switch {
	case len(a.doc.Parts) > 0:
		return &a.doc, nil
	case a.bad > 0:
		return nil, Errorf(ReasonBadRows, "none of %d records is usable (first: %s, %s)",
			a.records, a.doc.Problems[0].Origin, a.doc.Problems[0].Detail)
	default:
		return nil, Errorf(ReasonNoText, "no records")
	}
}

// readLines takes each non-blank line as one record, numbered by its physical line.
func (a *jsonRecordAcc) readLines(ctx context.Context, data []byte) error {
	for n, rest := 1, data; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if a.records%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		a.record(fmt.Sprintf("line %d", n), line)
	}
	return nil
}

// readArray decodes the elements of a top-level array one by one. A syntax error ends
// the reading: the decoder cannot find the next element after it.
func (a *jsonRecordAcc) readArray(ctx context.Context, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // the '[' Sniff saw
		return jrSyntaxError(data, err)
	}
	for n := 1; dec.More(); n++ {
		if a.records%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if len(a.doc.Parts) == 0 {
				return jsonStreamError(data, start)
			}
			a.records++
			a.problem(Problem{Origin: fmt.Sprintf("record %d", n), Reason: ReasonMalformed,
				Detail: jsonStreamError(data, start).Detail + "; the records after it are not read"})
			return nil
		}
		a.record(fmt.Sprintf("record %d", n), raw)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		a.problem(Problem{Origin: "end of array", Reason: ReasonMalformed, Detail: jsonStreamError(data, dec.InputOffset()).Detail})
	}
	return nil
}

// jsonStreamError locates the decoder error at or after start in data. A Decoder's offsets do not count
// bytes the way Unmarshal's do, so the element starting at or after start is decoded
// again on its own, which gives an offset jrSyntaxError can place.
func jsonStreamError(data []byte, start int64) *Error {
	at := int(min(max(start, 0), int64(len(data))))
	for at < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[at]) >= 0 {
		at++
	}
	var raw json.RawMessage
	err := json.NewDecoder(bytes.NewReader(data[at:])).Decode(&raw)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		err = &json.SyntaxError{Offset: se.Offset + int64(at)}
	case err != nil: // EOF: the element is cut off
		err = &json.SyntaxError{Offset: int64(len(data))}
	}
	var e *Error
	if err != nil && errors.As(jrSyntaxError(data, err), &e) {
		return e
	}
	return Errorf(ReasonMalformed, "JSON does not parse")
}

// record turns one object into a Part, or a Problem naming its origin.
func (a *jsonRecordAcc) record(origin string, raw []byte) {
	a.records++
	fr, err := flattenJSONRecord(raw)
	if err != nil {
		// The token walk's offsets are not Unmarshal's; Unmarshal places the error.
		if uerr := json.Unmarshal(raw, new(json.RawMessage)); uerr != nil {
			err = uerr
		}
		a.problem(Problem{Origin: origin, Reason: ReasonMalformed, Detail: recordSyntaxDetail(raw, err)})
		return
	}
	if fr.notObject != "" {
		a.problem(Problem{Origin: origin, Reason: ReasonMalformed, Detail: "a JSON " + fr.notObject + ", not an object"})
		return
	}
	if fr.resume {
		part, problems, err := jrPart(raw, origin+", ")
		if err != nil {
			var e *Error
			errors.As(err, &e)
			a.problem(Problem{Origin: origin, Reason: ReasonOf(err), Detail: e.Detail})
			return
		}
		for _, p := range problems {
			a.problem(p)
		}
		part.Origin = origin
		a.doc.Parts = append(a.doc.Parts, part)
		return
	}
	part, ok := csvCandidateRow(fr.keys, a.targets(fr.keys), csvRecord{fields: fr.values})
	if !ok || !partHasValues(part) {
		a.problem(Problem{Origin: origin, Reason: ReasonNoText, Detail: "the record has no values"})
		return
	}
	part.Origin = origin
	a.doc.Parts = append(a.doc.Parts, part)
}

// partHasValues reports whether a flat record gave anything about a person: a record
// of ids and statuses only ("candidate_id", "stage") is not a candidate.
func partHasValues(p Part) bool {
	c := p.Fields
	return p.Text != "" || c.Name != nil || len(c.Emails) > 0 || len(c.Phones) > 0 || c.Postcode != nil ||
		c.Town != nil || c.NINumber != nil || c.DateOfBirth != nil || len(c.Skills) > 0 ||
		len(c.Employment) > 0 || len(c.Education) > 0 || len(c.Links) > 0
}

// targets resolves a record's keys to fields. Records of one export nearly always have
// the same keys, so the resolution is kept per key list rather than redone per record.
func (a *jsonRecordAcc) targets(keys []string) []string {
	var b strings.Builder // each key length-prefixed: no two key lists share a signature
	for _, k := range keys {
		b.WriteString(strconv.Itoa(len(k)))
		b.WriteByte(':')
		b.WriteString(k)
	}
	sig := b.String()
	if t, ok := a.targetCache[sig]; ok {
		return t
	}
	m := compiledCSVMapping{}
	if a.forced != nil {
		m = *a.forced
	} else {
		m, _ = selectCSVMapping(keys)
	}
	t := csvColumnTargets(m, keys)
	if a.targetCache == nil {
		a.targetCache = map[string][]string{}
	}
	if len(a.targetCache) < 1024 { // bounded: a file of ever-different keys gains nothing
		a.targetCache[sig] = t
	}
	return t
}

// recordSyntaxDetail says where a one-record JSON value breaks, by column only: the
// origin already names the line or record.
func recordSyntaxDetail(raw []byte, err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "JSON ends early"
	}
	var e *Error
	if !errors.As(jrSyntaxError(raw, err), &e) {
		return "JSON does not parse"
	}
	d := e.Detail
	if i := strings.Index(d, " at line 1, "); i >= 0 && !bytes.Contains(raw, []byte("\n")) {
		d = d[:i] + " at " + d[i+len(" at line 1, "):]
	}
	return d
}

// flatRecord is one JSON object as header/value pairs, in the object's own key order
// so that the Part text is the same on every run.
type flatRecord struct {
	keys, values []string
	resume       bool   // the object has a "basics" object: read it as a JSON Resume
	notObject    string // the kind of a top-level value that is not an object
}

// flattenJSONRecord walks one JSON value with the decoder's tokens. Nested objects give
// dotted keys ("location.city"); each scalar of an array is a value of its own under
// the array's key, as a CSV export repeats a column. Nulls and empty strings are
// dropped.
func flattenJSONRecord(raw []byte) (flatRecord, error) {
	var fr flatRecord
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fr, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		fr.notObject = jsonKind(tok)
		return fr, nil
	}
	if err := fr.object(dec, "", 0); err != nil {
		return fr, err
	}
	return fr, jsonTrailing(dec)
}

// jsonTrailing fails when more than one value was given where one was expected.
func jsonTrailing(dec *json.Decoder) error {
	if dec.More() {
		// Token on the extra value: a syntax error when it is not valid JSON either.
		if _, err := dec.Token(); err != nil {
			return err
		}
		return &json.SyntaxError{Offset: dec.InputOffset()}
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = &json.SyntaxError{Offset: dec.InputOffset()}
		}
		return err
	}
	return nil
}

// object reads the members of an object whose '{' has been read.
func (fr *flatRecord) object(dec *json.Decoder, prefix string, depth int) error {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		if depth == 0 && key == "basics" {
			next, err := dec.Token()
			if err != nil {
				return err
			}
			if d, ok := next.(json.Delim); ok && d == '{' {
				fr.resume = true
				if err := fr.object(dec, path, depth+1); err != nil {
					return err
				}
				continue
			}
			if err := fr.valueFrom(dec, next, path, depth+1); err != nil {
				return err
			}
			continue
		}
		if err := fr.value(dec, path, depth+1); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	return err
}

func (fr *flatRecord) value(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	return fr.valueFrom(dec, tok, path, depth)
}

func (fr *flatRecord) valueFrom(dec *json.Decoder, tok json.Token, path string, depth int) error {
	switch v := tok.(type) {
	case json.Delim:
		if depth > jsonMaxDepth {
			return skipJSON(dec, 1)
		}
		if v == '{' {
			return fr.object(dec, path, depth)
		}
		for dec.More() { // '[': every element under the same key
			if err := fr.value(dec, path, depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ']'
		return err
	case string:
		fr.add(path, v)
	case json.Number:
		fr.add(path, v.String())
	case bool:
		fr.add(path, fmt.Sprint(v))
	}
	return nil
}

func (fr *flatRecord) add(path, v string) {
	if strings.TrimSpace(v) == "" {
		return
	}
	fr.keys = append(fr.keys, path)
	fr.values = append(fr.values, v)
}

// skipJSON discards tokens until open nesting levels are closed.
func skipJSON(dec *json.Decoder, open int) error {
	for open > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				open++
			} else {
				open--
			}
		}
	}
	return nil
}

func jsonKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "array"
		}
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}
