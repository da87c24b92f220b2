package policy

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pos remembers where a YAML mapping and each of its keys are, so that Validate can
// name the line of the field at fault.
type pos struct {
	line int
	keys map[string]int
}

func posOf(n *yaml.Node) pos {
	p := pos{line: n.Line}
	if n.Kind == yaml.MappingNode {
		p.keys = make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			p.keys[n.Content[i].Value] = n.Content[i].Line
		}
	}
	return p
}

// at is the line of key, or of the mapping when the key is absent.
func (p pos) at(key string) int {
	if l, ok := p.keys[key]; ok {
		return l
	}
	return p.line
}

// Load reads and validates a policy file.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return Parse(path, data)
}

// Resolve takes what --policy was given: a preset id or a YAML file path.
func Resolve(ref string) (*Policy, error) {
	if slices.Contains(PresetIDs(), ref) {
		return Preset(ref)
	}
	if _, err := os.Stat(ref); err != nil {
		return nil, fmt.Errorf("--policy %q is neither a preset (%s) nor a readable file", ref, strings.Join(PresetIDs(), ", "))
	}
	return Load(ref)
}

// Parse reads a policy from YAML; name is used in error messages. Every unknown key is
// reported with its line; then the first malformed value; then every invalid field.
func Parse(name string, data []byte) (*Policy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, nil, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, Errors{{File: name, Line: 1, Msg: "a policy is a YAML mapping (id:, controller:, rules: …)"}}
	}
	root := doc.Content[0]
	if unknown := unknownKeys(root, reflect.TypeOf(Policy{}), ""); len(unknown) > 0 {
		for _, e := range unknown {
			e.File = name
		}
		return nil, unknown
	}
	p := &Policy{}
	if err := root.Decode(p); err != nil {
		return nil, yamlError(name, root, err)
	}
	p.file = name
	if p.Extends != "" {
		merged, err := p.extend()
		if err != nil {
			return nil, err
		}
		p = merged
	}
	if _, given := p.pos.keys["quarantine"]; !given && p.Quarantine.Keep.IsZero() {
		p.Quarantine.Keep = DefaultQuarantineKeep
	}
	if err := p.applyPeriods(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// extend starts from the preset p.Extends and lays p over it.
func (p *Policy) extend() (*Policy, error) {
	if !slices.Contains(PresetIDs(), p.Extends) {
		return nil, Errors{{File: p.file, Line: p.pos.at("extends"), Field: "extends", Msg: fmt.Sprintf("no preset %q (presets: %s)", p.Extends, strings.Join(PresetIDs(), ", "))}}
	}
	base, err := Preset(p.Extends)
	if err != nil {
		return nil, err
	}
	out := *base
	out.file, out.pos, out.Extends = p.file, p.pos, p.Extends
	out.ID = p.ID
	if p.Name != "" {
		out.Name = p.Name
	}
	if p.Notice != "" {
		out.Notice = p.Notice
	}
	if p.Controller.Name != "" {
		out.Controller = p.Controller
	}
	if p.NoticeTemplate != nil {
		out.NoticeTemplate = p.NoticeTemplate
	}
	if len(p.SpecialCategories) > 0 {
		out.SpecialCategories = p.SpecialCategories
	}
	if !p.Rights.RespondWithin.IsZero() {
		out.Rights = p.Rights
	}
	out.Rules = overlay(base.Rules, p.Rules, func(r Rule) string { return r.ID })
	out.Floors = overlay(base.Floors, p.Floors, func(f Floor) string { return f.ID })
	out.Exceptions = overlay(base.Exceptions, p.Exceptions, func(e Exception) string { return e.ID })
	if len(p.Review) > 0 {
		out.Review = p.Review
	}
	if _, given := p.pos.keys["quarantine"]; given {
		out.Quarantine = p.Quarantine
	}
	out.Periods = p.Periods
	out.Notes = append(slices.Clone(base.Notes), p.Notes...)
	return &out, nil
}

// overlay replaces base items by id and appends the new ones.
func overlay[T any](base, over []T, id func(T) string) []T {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(b T) bool { return id(b) == id(o) })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}

// applyPeriods sets the periods overridden in the periods: section.
func (p *Policy) applyPeriods() error {
	for id, per := range p.Periods {
		for i := range p.Rules {
			if p.Rules[i].ID == id {
				p.Rules[i].Period = per
			}
			if f := p.Rules[i].FollowUp; f != nil && f.ID == id {
				cp := *f
				cp.After = per
				p.Rules[i].FollowUp = &cp
			}
		}
		for i := range p.Floors {
			if p.Floors[i].ID == id {
				p.Floors[i].Period = per
			}
		}
	}
	return nil
}

// unknownKeys walks the document beside the Go types and reports every mapping key
// that no field takes, so that a typo cannot silently drop a rule.
func unknownKeys(n *yaml.Node, t reflect.Type, path string) Errors {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out Errors
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" || !f.IsExported() {
				continue
			}
			fields[tag] = f.Type
			names = append(names, tag)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				out = append(out, &FieldError{Line: k.Line, Field: joinPath(path, k.Value), Msg: fmt.Sprintf("unknown field (known: %s)", strings.Join(names, ", "))})
				continue
			}
			out = append(out, unknownKeys(v, ft, joinPath(path, k.Value))...)
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Map:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, unknownKeys(n.Content[i+1], t.Elem(), joinPath(path, n.Content[i].Value))...)
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for i, c := range n.Content {
			out = append(out, unknownKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

var (
	yamlLine   = regexp.MustCompile(`line (\d+): `)
	yamlColumn = regexp.MustCompile(`^column (\d+): `)
)

// yamlError turns a yaml.v3 error into FieldErrors with the file, line and field path.
func yamlError(name string, root *yaml.Node, err error) error {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var out Errors
	for _, m := range msgs {
		e := &FieldError{File: name, Msg: strings.TrimPrefix(m, "yaml: ")}
		if loc := yamlLine.FindStringSubmatchIndex(e.Msg); loc != nil {
			e.Line, _ = strconv.Atoi(e.Msg[loc[2]:loc[3]])
			e.Msg = e.Msg[:loc[0]] + e.Msg[loc[1]:]
		}
		if loc := yamlColumn.FindStringSubmatchIndex(e.Msg); loc != nil {
			e.col, _ = strconv.Atoi(e.Msg[loc[2]:loc[3]])
			e.Msg = e.Msg[loc[1]:]
		}
		if root != nil {
			if e.Field = nodePath(root, e.Line, e.col, ""); e.Field == "" {
				e.Field = pathAt(root, e.Line, "")
			}
		}
		out = append(out, e)
	}
	return out
}

// nodePath finds the field path of the node that starts at line and column.
func nodePath(n *yaml.Node, line, col int, path string) string {
	if n.Line == line && n.Column == col && path != "" {
		return path
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if p := nodePath(n.Content[i+1], line, col, joinPath(path, n.Content[i].Value)); p != "" {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p := nodePath(c, line, col, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// pathAt finds the field path of the deepest key or item that starts on line.
func pathAt(n *yaml.Node, line int, path string) string {
	best := ""
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := joinPath(path, k.Value)
			if k.Line == line {
				best = p
			}
			if v.Line <= line && line <= lastLine(v) {
				if deeper := pathAt(v, line, p); deeper != "" {
					return deeper
				}
				if best == "" {
					best = p
				}
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Line <= line && line <= lastLine(c) {
				if deeper := pathAt(c, line, p); deeper != "" {
					return deeper
				}
				return p
			}
		}
	}
	return best
}

func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// decodeError reports a malformed value as a yaml.TypeError, which yaml.v3 collects
// while it goes on decoding, so that one run reports every malformed value.
func decodeError(n *yaml.Node, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: column %d: %s", n.Line, n.Column, msg)}}
}

// decodePlain decodes n into v (a type without its own UnmarshalYAML).
func decodePlain(n *yaml.Node, v any) error {
	if n.Kind != yaml.MappingNode {
		return decodeError(n, "want a mapping (key: value lines)")
	}
	return n.Decode(v)
}

// Marshal writes the policy as YAML (as loaded, with extends resolved).
func (p *Policy) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// UnmarshalYAML implementations record where each value was read from.

func (p *Policy) UnmarshalYAML(n *yaml.Node) error {
	type plain Policy
	if err := decodePlain(n, (*plain)(p)); err != nil {
		return err
	}
	p.pos = posOf(n)
	return nil
}

func (c *Controller) UnmarshalYAML(n *yaml.Node) error {
	type plain Controller
	if err := decodePlain(n, (*plain)(c)); err != nil {
		return err
	}
	c.pos = posOf(n)
	return nil
}

func (d *DPO) UnmarshalYAML(n *yaml.Node) error {
	type plain DPO
	if err := decodePlain(n, (*plain)(d)); err != nil {
		return err
	}
	d.pos = posOf(n)
	return nil
}

func (r *Rights) UnmarshalYAML(n *yaml.Node) error {
	type plain Rights
	if err := decodePlain(n, (*plain)(r)); err != nil {
		return err
	}
	r.pos = posOf(n)
	return nil
}

func (r *Rule) UnmarshalYAML(n *yaml.Node) error {
	type plain Rule
	if err := decodePlain(n, (*plain)(r)); err != nil {
		return err
	}
	r.pos = posOf(n)
	return nil
}

func (f *FollowUp) UnmarshalYAML(n *yaml.Node) error {
	type plain FollowUp
	if err := decodePlain(n, (*plain)(f)); err != nil {
		return err
	}
	f.pos = posOf(n)
	return nil
}

func (f *Floor) UnmarshalYAML(n *yaml.Node) error {
	type plain Floor
	if err := decodePlain(n, (*plain)(f)); err != nil {
		return err
	}
	f.pos = posOf(n)
	return nil
}

func (e *Exception) UnmarshalYAML(n *yaml.Node) error {
	type plain Exception
	if err := decodePlain(n, (*plain)(e)); err != nil {
		return err
	}
	e.pos = posOf(n)
	return nil
}

func (t *Trigger) UnmarshalYAML(n *yaml.Node) error {
	type plain Trigger
	if err := decodePlain(n, (*plain)(t)); err != nil {
		return err
	}
	t.pos = posOf(n)
	return nil
}
