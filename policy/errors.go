package policy

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is one problem in a policy, located by file, line and field path
// ("rules[2].period"). Messages quote policy text only, never personal data.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string

	col int // column of the YAML node at fault, to find its path
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one policy, in file order.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects FieldErrors while validating.
type problems struct{ list Errors }

func (p *problems) add(line int, field, format string, args ...any) {
	p.list = append(p.list, &FieldError{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// merge adds a nested Validate result, prefixing its field paths with prefix; errors
// without a line get line (where the nested value starts).
func (p *problems) merge(prefix string, line int, err error) {
	if err == nil {
		return
	}
	var es Errors
	var fe *FieldError
	switch {
	case errors.As(err, &es):
	case errors.As(err, &fe):
		es = Errors{fe}
	default:
		p.list = append(p.list, &FieldError{Line: line, Field: prefix, Msg: err.Error()})
		return
	}
	for _, e := range es {
		c := *e
		c.Field = joinPath(prefix, e.Field)
		if c.Line == 0 {
			c.Line = line
		}
		p.list = append(p.list, &c)
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}
