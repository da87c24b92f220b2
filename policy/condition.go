package policy

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/cvetl/cvetl/profile"
)

// Subjects are the subject types a rule is for; empty means any subject.
// In YAML: "any", one type, or a list of types.
type Subjects []string

// Any reports whether the rule is for every subject.
func (s Subjects) Any() bool { return len(s) == 0 }

// UnmarshalYAML reads "any", "candidate" or [candidate, employee].
func (s *Subjects) UnmarshalYAML(n *yaml.Node) error {
	var list []string
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "any" {
			list = []string{n.Value}
		}
	case yaml.SequenceNode:
		if err := n.Decode(&list); err != nil {
			return decodeError(n, "want a subject type or a list of them")
		}
	default:
		return decodeError(n, "want \"any\", a subject type or a list of them")
	}
	*s = list
	return nil
}

// MarshalYAML writes "any" for every subject.
func (s Subjects) MarshalYAML() (any, error) {
	if s.Any() {
		return "any", nil
	}
	return []string(s), nil
}

// Validate checks the subject types.
func (s Subjects) Validate() error {
	var ps problems
	for i, t := range s {
		if !slices.Contains(profile.SubjectTypes, t) {
			ps.add(0, fmt.Sprintf("[%d]", i), "unknown subject type %q (known: any, %v)", t, profile.SubjectTypes)
		}
	}
	return ps.err()
}

// Condition must hold for a rule, floor or exception to apply. Every part given must
// hold; within a list, one match is enough.
type Condition struct {
	// Status: the subject's latest lifecycle event is one of these (LifecycleEvents).
	Status []string `yaml:"status,omitempty" json:"status,omitempty"`
	// Has: at least one of these events happened on or before the as-of day.
	Has []string `yaml:"has,omitempty" json:"has,omitempty"`
	// Lacks: none of these events happened.
	Lacks []string `yaml:"lacks,omitempty" json:"lacks,omitempty"`
	// Consent: the state of consent for one purpose ("*": any purpose).
	Consent *ConsentCondition `yaml:"consent,omitempty" json:"consent,omitempty"`
	// Channel: a record about the subject came through one of these channel kinds.
	Channel []string `yaml:"channel,omitempty" json:"channel,omitempty"`

	pos pos
}

// ConsentCondition tests the latest consent event for a purpose: given (consent_given
// is the latest), withdrawn (consent_withdrawn is, or both on the same day) or none.
type ConsentCondition struct {
	Purpose string `yaml:"purpose,omitempty" json:"purpose"`
	State   string `yaml:"state,omitempty" json:"state"`

	pos pos
}

// Validate checks the purpose and the state.
func (cc ConsentCondition) Validate() error {
	var ps problems
	if !purposePat.MatchString(cc.Purpose) {
		ps.add(cc.pos.at("purpose"), "purpose", "want a snake_case purpose or \"*\" for any")
	}
	if !slices.Contains(ConsentStates, cc.State) {
		ps.add(cc.pos.at("state"), "state", "want one of %v, got %q", ConsentStates, cc.State)
	}
	return ps.err()
}

// IsZero reports whether no condition was given.
func (c Condition) IsZero() bool {
	return len(c.Status) == 0 && len(c.Has) == 0 && len(c.Lacks) == 0 && c.Consent == nil && len(c.Channel) == 0
}

// Validate checks the events, states and channel kinds named.
func (c Condition) Validate() error {
	var ps problems
	for i, s := range c.Status {
		if !slices.Contains(LifecycleEvents, s) {
			ps.add(c.pos.at("status"), fmt.Sprintf("status[%d]", i), "%q is not a lifecycle status (known: %v)", s, LifecycleEvents)
		}
	}
	for field, list := range map[string][]string{"has": c.Has, "lacks": c.Lacks} {
		for i, e := range list {
			if !knownEvent(e) || e == EventCreated || e == EventReceived {
				ps.add(c.pos.at(field), fmt.Sprintf("%s[%d]", field, i), "unknown event %q (known: %v)", e, knownEventsOnly())
			}
		}
	}
	for i, k := range c.Channel {
		if !slices.Contains(ChannelKinds, k) {
			ps.add(c.pos.at("channel"), fmt.Sprintf("channel[%d]", i), "unknown channel kind %q (known: %v)", k, ChannelKinds)
		}
	}
	if c.Consent != nil {
		ps.merge("consent", c.pos.at("consent"), c.Consent.Validate())
	}
	// Map iteration order must not reorder the report.
	slices.SortStableFunc(ps.list, func(a, b *FieldError) int { return a.Line - b.Line })
	return ps.err()
}

// UnmarshalYAML accepts `channel: social` as well as a list.
func (c *Condition) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, v := n.Content[i], n.Content[i+1]; k.Value == "channel" && v.Kind == yaml.ScalarNode {
				n.Content[i+1] = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: v.Line, Column: v.Column, Content: []*yaml.Node{v}}
			}
		}
	}
	type plain Condition
	if err := decodePlain(n, (*plain)(c)); err != nil {
		return err
	}
	c.pos = posOf(n)
	return nil
}

func knownEventsOnly() []string { return profile.EventNames() }

// Anchor is the day a period runs from: the latest (or earliest) of its terms; when
// none of them happened, the Else anchor. `event: X` is short for `latest_of: [X]`.
type Anchor struct {
	Event   string `yaml:"event,omitempty" json:"event,omitempty"`
	Purpose string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	Channel string `yaml:"channel,omitempty" json:"channel,omitempty"`
	Field   string `yaml:"field,omitempty" json:"field,omitempty"`

	LatestOf   []Term  `yaml:"latest_of,omitempty" json:"latest_of,omitempty"`
	EarliestOf []Term  `yaml:"earliest_of,omitempty" json:"earliest_of,omitempty"`
	Else       *Anchor `yaml:"else,omitempty" json:"else,omitempty"`

	pos pos
}

// Term is one candidate anchor date: the date of an event (optionally for one consent
// purpose or one channel kind), or the "until" date a consent_given event carries.
// In YAML a bare event name is a term.
type Term struct {
	Event   string `yaml:"event,omitempty" json:"event"`
	Purpose string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	Channel string `yaml:"channel,omitempty" json:"channel,omitempty"`
	Field   string `yaml:"field,omitempty" json:"field,omitempty"` // "" (the event's date) or "until"

	pos pos
}

// Alternative is one level of an anchor: its terms and how they combine.
type Alternative struct {
	Latest bool
	Terms  []Term
}

// Alternatives flattens the anchor and its Else chain, first choice first.
func (a Anchor) Alternatives() []Alternative {
	var out []Alternative
	for cur := &a; cur != nil; cur = cur.Else {
		switch {
		case cur.Event != "":
			out = append(out, Alternative{Latest: true, Terms: []Term{{Event: cur.Event, Purpose: cur.Purpose, Channel: cur.Channel, Field: cur.Field}}})
		case len(cur.LatestOf) > 0:
			out = append(out, Alternative{Latest: true, Terms: cur.LatestOf})
		default:
			out = append(out, Alternative{Latest: false, Terms: cur.EarliestOf})
		}
	}
	return out
}

// Label names the term in manifests: "consent_given.until", "received(social)".
func (t Term) Label() string {
	s := t.Event
	if t.Purpose != "" && t.Purpose != "*" {
		s += "(" + t.Purpose + ")"
	}
	if t.Channel != "" {
		s += "(" + t.Channel + ")"
	}
	if t.Field != "" {
		s += "." + t.Field
	}
	return s
}

// Validate checks that exactly one form is used and every term is well formed.
func (a Anchor) Validate() error {
	var ps problems
	forms := 0
	for _, used := range []bool{a.Event != "", len(a.LatestOf) > 0, len(a.EarliestOf) > 0} {
		if used {
			forms++
		}
	}
	switch {
	case forms == 0:
		ps.add(a.pos.line, "", "required: event, latest_of or earliest_of")
	case forms > 1:
		ps.add(a.pos.line, "", "give only one of event, latest_of and earliest_of")
	}
	if a.Event == "" && (a.Purpose != "" || a.Channel != "" || a.Field != "") {
		ps.add(a.pos.line, "", "purpose, channel and field go with event")
	}
	if a.Event != "" {
		t := Term{Event: a.Event, Purpose: a.Purpose, Channel: a.Channel, Field: a.Field, pos: a.pos}
		ps.merge("", a.pos.line, t.Validate())
	}
	for i, t := range a.LatestOf {
		ps.merge(fmt.Sprintf("latest_of[%d]", i), a.pos.at("latest_of"), t.Validate())
	}
	for i, t := range a.EarliestOf {
		ps.merge(fmt.Sprintf("earliest_of[%d]", i), a.pos.at("earliest_of"), t.Validate())
	}
	if a.Else != nil {
		ps.merge("else", a.pos.at("else"), a.Else.Validate())
	}
	return ps.err()
}

// Validate checks one term.
func (t Term) Validate() error {
	var ps problems
	if !knownEvent(t.Event) {
		ps.add(t.pos.at("event"), "event", "unknown event %q (known: %v)", t.Event, knownEvents())
	}
	consent := t.Event == "consent_given" || t.Event == "consent_withdrawn"
	if t.Purpose != "" && (!consent || !purposePat.MatchString(t.Purpose)) {
		ps.add(t.pos.at("purpose"), "purpose", "a snake_case purpose, only for consent_given and consent_withdrawn")
	}
	if t.Channel != "" && (t.Event != EventReceived || !slices.Contains(ChannelKinds, t.Channel)) {
		ps.add(t.pos.at("channel"), "channel", "a channel kind (%v), only for received", ChannelKinds)
	}
	if t.Field != "" && (t.Field != "until" || t.Event != "consent_given") {
		ps.add(t.pos.at("field"), "field", "only \"until\", only for consent_given")
	}
	return ps.err()
}

// UnmarshalYAML accepts a bare event name or a mapping.
func (t *Term) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = Term{Event: n.Value, pos: pos{line: n.Line}}
		return nil
	}
	type plain Term
	if err := decodePlain(n, (*plain)(t)); err != nil {
		return err
	}
	t.pos = posOf(n)
	return nil
}

// UnmarshalYAML records positions.
func (a *Anchor) UnmarshalYAML(n *yaml.Node) error {
	type plain Anchor
	if err := decodePlain(n, (*plain)(a)); err != nil {
		return err
	}
	a.pos = posOf(n)
	return nil
}

// UnmarshalYAML records positions.
func (c *ConsentCondition) UnmarshalYAML(n *yaml.Node) error {
	type plain ConsentCondition
	if err := decodePlain(n, (*plain)(c)); err != nil {
		return err
	}
	c.pos = posOf(n)
	return nil
}
