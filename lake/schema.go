package lake

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
)

// SchemaVersion is written into every file's key-value metadata
// (cvetl.lake.schema_version). Bump it when a column is renamed, removed or changes
// type, and say what changed in docs/lake.md; adding a column at the end keeps it.
const SchemaVersion = 1

// Metadata keys in every lake file.
const (
	metaVersion = "cvetl.lake.schema_version"
	metaTable   = "cvetl.lake.table"
)

// ColType is a column's logical type.
type ColType int

const (
	String     ColType = iota // UTF-8, nullable
	StringList                // list<string>
	Date                      // DATE32, no zone
	Timestamp                 // microseconds, no zone (DuckDB 1.1 reads a zoned one as TIMESTAMPTZ)
	Bool
	JSON // a JSON document kept as UTF-8 text
)

// Column is one column of a lake table.
type Column struct {
	Name string
	Type ColType
}

// Table is one lake table: its columns, the key that identifies a row for
// deduplication, and the columns that choose between rows with the same key.
type Table struct {
	Name    string
	Columns []Column
	Key     []string
	// Prefer orders rows that share a key; the first is kept. Nil: all columns in
	// order, which is deterministic but arbitrary.
	Prefer []string
	// ErasedBy is the column erasure matches: profile_id where shards write the
	// table (a content-derived id, the same in every shard's store, unlike subject
	// ids, which each store numbers from S0000001), subject_id where only the main
	// store does.
	ErasedBy string
}

// The lake's tables. Column order is the file order; the partition column
// ingest_date is in the path, not in the files.
var (
	Profiles = Table{
		Name: "profiles",
		Columns: []Column{
			{"profile_id", String}, {"subject_id", String}, {"file_sha256", String},
			{"origin", String}, {"format", String}, {"name", String},
			{"emails", StringList}, {"phones", StringList}, {"postcode", String},
			{"town", String}, {"ni_number", String}, {"date_of_birth", Date},
			{"skills", StringList}, {"employment", JSON}, {"education", JSON},
			{"links", StringList},
		},
		Key:      []string{"profile_id"},
		ErasedBy: "profile_id",
	}
	Sources = Table{
		Name: "sources",
		Columns: []Column{
			{"profile_id", String}, {"subject_id", String}, {"channel", String},
			{"obtained_from_subject", Bool}, {"received_at", Timestamp},
			{"file_sha256", String}, {"location", String}, {"origin", String},
		},
		Key: []string{"profile_id"},
		// The same content under two keys, ingested by two shards: keep the first
		// key, as one ingest that lists keys in order keeps it.
		Prefer:   []string{"location", "received_at"},
		ErasedBy: "profile_id",
	}
	Events = Table{
		Name: "events",
		Columns: []Column{
			{"event_key", String}, {"subject_id", String}, {"event", String},
			{"at", Date}, {"detail", JSON}, {"source", String},
		},
		Key:      []string{"event_key"},
		ErasedBy: "subject_id",
	}
	Manifests = Table{
		Name: "manifests",
		Columns: []Column{
			{"manifest_id", String}, {"kind", String}, {"as_of", Date}, {"policy", String},
			{"superseded_by", String}, {"row_id", String}, {"subject_id", String},
			{"subject_type", String}, {"action", String}, {"rule_id", String},
			{"anchor_event", String}, {"anchor_date", Date}, {"due_date", Date},
			{"earliest_permitted_date", Date}, {"legal_hold", Bool},
			{"review_required", Bool}, {"review_reasons", StringList}, {"status", String},
			{"created_at", Timestamp},
		},
		Key:      []string{"manifest_id", "row_id"},
		ErasedBy: "subject_id",
	}
)

// Tables are every lake table, in export order.
var Tables = []Table{Profiles, Sources, Events, Manifests}

// TableNamed finds a table by name.
func TableNamed(name string) (Table, error) {
	for _, t := range Tables {
		if t.Name == name {
			return t, nil
		}
	}
	names := make([]string, len(Tables))
	for i, t := range Tables {
		names[i] = t.Name
	}
	return Table{}, fmt.Errorf("lake table %q: unknown (known: %v)", name, names)
}

// index is the position of a column, or -1.
func (t Table) index(name string) int {
	return slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
}

func (t Table) arrowSchema() *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.arrow(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// matches reports whether a file's Arrow schema has this table's columns, in order.
func (t Table) matches(s *arrow.Schema) bool {
	if s.NumFields() != len(t.Columns) {
		return false
	}
	for i, c := range t.Columns {
		f := s.Field(i)
		want := c.Type.arrow()
		if f.Name != c.Name || f.Type.ID() != want.ID() {
			return false
		}
		if l, ok := f.Type.(*arrow.ListType); ok && l.Elem().ID() != arrow.STRING {
			return false
		}
		if ts, ok := f.Type.(*arrow.TimestampType); ok && (ts.TimeZone != "" || ts.Unit != arrow.Microsecond) {
			return false
		}
	}
	return true
}

func (c ColType) arrow() arrow.DataType {
	switch c {
	case StringList:
		return arrow.ListOf(arrow.BinaryTypes.String)
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond} // no TimeZone: zone-less
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	default:
		return arrow.BinaryTypes.String
	}
}
