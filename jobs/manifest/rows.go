package manifest

import (
	"context"
	"database/sql"
	"fmt"
)

// EachRow runs query on conn and calls fn with each row's values, after checking that
// the query's columns are cols, in order; source names the query in errors. The values
// slice is reused between calls.
func EachRow(ctx context.Context, conn *sql.Conn, query, source string, cols []Column, fn func([]any) error) error {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	if len(names) != len(cols) {
		return fmt.Errorf("%s: %d columns, want %d", source, len(names), len(cols))
	}
	for i, c := range names {
		if c != cols[i].Name {
			return fmt.Errorf("%s: column %d is %s, want %s", source, i, c, cols[i].Name)
		}
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}
