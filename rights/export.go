package rights

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/restricted"
)

// ExportFormat names the layout of subject.json; import-export reads only this one.
const ExportFormat = "cvetl-subject-export/1"

// exportTables are the tables a subject's data lives in, in export and import order,
// each with the query selecting the subject's rows ($1 is the subject id). Special
// categories come from restricted without the sealed evidence, which is added
// decrypted. Decisions and manifest rows are decisions made about the subject.
var exportTables = []struct{ name, query string }{
	{"subjects", `SELECT * FROM subjects WHERE subject_id = $1`},
	{"subject_keys", `SELECT * FROM subject_keys WHERE subject_id = $1`},
	{"profiles", `SELECT * FROM profiles WHERE subject_id = $1`},
	{"sources", `SELECT * FROM sources WHERE subject_id = $1`},
	{"raw_file_deletions", `SELECT * FROM raw_file_deletions WHERE file_sha256 IN (
		SELECT file_sha256 FROM sources WHERE subject_id = $1)`},
	{"events", `SELECT * FROM events WHERE subject_id = $1`},
	{"special_categories", `SELECT * EXCLUDE (evidence_sealed) FROM restricted WHERE subject_id = $1`},
	{"restrictions", `SELECT * FROM restrictions WHERE subject_id = $1`},
	{"do_not_supply", `SELECT * FROM do_not_supply WHERE subject_id = $1`},
	{"requests", `SELECT * FROM requests WHERE subject_id = $1`},
	{"rectifications", `SELECT * FROM rectifications WHERE subject_id = $1`},
	{"manifests", `SELECT * FROM manifests WHERE manifest_id IN (
		SELECT manifest_id FROM manifest_rows WHERE subject_id = $1 UNION SELECT manifest_id FROM notice_rows WHERE subject_id = $1)`},
	{"manifest_rows", `SELECT * FROM manifest_rows WHERE subject_id = $1`},
	{"notice_rows", `SELECT * FROM notice_rows WHERE subject_id = $1`},
	{"decisions", `SELECT d.* FROM decisions d WHERE EXISTS (
		SELECT 1 FROM manifest_rows m WHERE m.subject_id = $1 AND m.manifest_id = d.manifest_id AND m.row_id = d.row_id
		UNION ALL SELECT 1 FROM notice_rows n WHERE n.subject_id = $1 AND n.manifest_id = d.manifest_id AND n.row_id = d.row_id)`},
}

// Document is subject.json: everything held about one subject, table by table, each
// row an object keyed by column name.
type Document struct {
	Format     string   `json:"format"`
	SubjectID  string   `json:"subject_id"`
	ExportedOn string   `json:"exported_on"`
	Controller string   `json:"controller,omitempty"`
	Notes      []string `json:"notes"`
	// Columns are each table's columns in schema order (also for empty tables).
	Columns map[string][]string         `json:"columns"`
	Tables  map[string][]map[string]any `json:"tables"`
}

// Collect reads everything held about the subject, decrypting special-category
// evidence through the key store.
func (s *Service) Collect(ctx context.Context, subject string) (*Document, error) {
	doc := &Document{Format: ExportFormat, SubjectID: subject, ExportedOn: s.today().Format(time.DateOnly),
		Notes: []string{}, Columns: map[string][]string{}, Tables: map[string][]map[string]any{}}
	if s.Policy != nil {
		doc.Controller = s.Policy.Controller.Name
	}
	for _, t := range exportTables {
		rows, err := jsonRows(ctx, s.DB, `SELECT to_json(x)::VARCHAR AS j FROM (`+t.query+`) x ORDER BY j`, subject)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", t.name, err)
		}
		doc.Tables[t.name] = rows
		if doc.Columns[t.name], err = columnNames(ctx, s.DB, t.query, subject); err != nil {
			return nil, fmt.Errorf("export %s: %w", t.name, err)
		}
	}
	if n := len(doc.Tables["raw_file_deletions"]); n > 0 {
		doc.Notes = append(doc.Notes, deletedFilesNote(doc.Tables["raw_file_deletions"]))
	}
	doc.Columns["special_categories"] = append(doc.Columns["special_categories"], "evidence")
	evidence, err := s.Store.SubjectEvidence(ctx, subject)
	if errors.Is(err, restricted.ErrKeyDestroyed) {
		doc.Notes = append(doc.Notes, "special-category evidence was crypto-shredded: only its category is left")
		evidence, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("export special_categories: %w", err)
	}
	byTag := map[string]string{}
	for _, e := range evidence {
		byTag[e.TagID] = e.Evidence
	}
	for _, row := range doc.Tables["special_categories"] {
		tag, _ := row["tag_id"].(string)
		if ev, ok := byTag[tag]; ok {
			row["evidence"] = ev
		} else {
			row["evidence"] = nil
		}
	}
	return doc, nil
}

func columnNames(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT * FROM (`+q+`) x LIMIT 0`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

func jsonRows(ctx context.Context, db *sql.DB, q string, args ...any) ([]map[string]any, error) {
	texts, err := sqlrows.Strings(ctx, db, q, args...)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(texts))
	for _, t := range texts {
		dec := json.NewDecoder(strings.NewReader(t))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Export writes the subject's data as a zip (Art. 15 and 20): subject.json (portable,
// re-importable with ImportExport), one CSV per table and a README, and records the
// access request as answered. The archive is byte-stable for the same data and day.
func (s *Service) Export(ctx context.Context, subject string, w io.Writer) (Request, error) {
	r, err := s.openRequest(ctx, subject, KindAccess)
	if err != nil {
		return r, err
	}
	if err := s.record(ctx, subject, "access_requested", nil); err != nil {
		return r, err
	}
	doc, err := s.Collect(ctx, subject)
	if err != nil {
		return r, err
	}
	if err := writeArchive(w, doc); err != nil {
		return r, err
	}
	return r, s.closeRequest(ctx, &r, Completed, "export written")
}

func writeArchive(w io.Writer, doc *Document) error {
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	modified, _ := time.Parse(time.DateOnly, doc.ExportedOn)
	z := zip.NewWriter(w)
	add := func(name string, data []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := add("README.txt", []byte(readme(doc))); err != nil {
		return err
	}
	if err := add("subject.json", append(body, '\n')); err != nil {
		return err
	}
	names := make([]string, 0, len(doc.Tables))
	for n := range doc.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := tableCSV(doc.Columns[n], doc.Tables[n])
		if err != nil {
			return err
		}
		if err := add("csv/"+n+".csv", data); err != nil {
			return err
		}
	}
	return z.Close()
}

// tableCSV writes rows under the table's columns; lists and objects as JSON.
func tableCSV(cols []string, rows []map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(cols); err != nil {
		return nil, err
	}
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			switch v := r[c].(type) {
			case nil:
			case string:
				rec[i] = v
			case json.Number:
				rec[i] = v.String()
			case bool:
				rec[i] = fmt.Sprint(v)
			default:
				b, _ := json.Marshal(v)
				rec[i] = string(b)
			}
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

func readme(doc *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Your personal data held by %s\n", orDefault(doc.Controller, "the controller"))
	fmt.Fprintf(&b, "Subject %s, exported on %s.\n\n", doc.SubjectID, doc.ExportedOn)
	b.WriteString(`This archive holds everything we hold about you (UK GDPR Articles 15 and 20).

subject.json   every record, in a machine-readable form another organisation can import
csv/*.csv      the same records, one spreadsheet per kind

What each part is:
  subjects            your record and its type (candidate, client contact, ...)
  subject_keys        the e-mail addresses and phone numbers we recognise you by
  profiles            what we read from each CV or application (name, contact details,
                      skills, employment, education)
  sources             where each record came from (job board, LinkedIn, referee, you)
                      and when we received it
  raw_file_deletions  files your data came from that no longer exist, and when they
                      were deleted (when another person named in the same file had
                      their data erased); sources still says where and when we
                      received them
  events              what happened: applications, contacts, placements, consents,
                      disclosures to clients (recipient named), notices sent, requests
  special_categories  special-category information found in your documents (health,
                      religion, criminal convictions, ...), with the text it was found
                      in and the legal condition we rely on; stored encrypted
  restrictions        whether processing of your data is restricted, and why
  do_not_supply       whether we have decided not to put you forward to a client, and why
  requests            your requests to us and when we answered them
  rectifications      corrections made at your request; old values are kept only as a
                      keyed hash, not readable
  manifests, manifest_rows, notice_rows, decisions
                      our retention and notice decisions about you and who reviewed them

Dates are YYYY-MM-DD; times are UTC.
`)
	for _, n := range doc.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", n)
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// deletedFilesNote says, in the README, that raw files the subject's data came from were
// deleted for another person's erasure: when, never whose.
func deletedFilesNote(rows []map[string]any) string {
	var days []string
	for _, r := range rows {
		d := fmt.Sprint(r["deleted_at"])
		if len(d) >= 10 {
			d = d[:10]
		}
		days = append(days, d)
	}
	sort.Strings(days)
	days = slices.Compact(days)
	return fmt.Sprintf("%d of the files your data came from no longer exist: deleted on %s, when another person "+
		"named in the same file had their data erased. Where and when we received them is kept in sources.",
		len(rows), strings.Join(days, ", "))
}
