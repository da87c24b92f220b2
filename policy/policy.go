// Package policy reads, validates and explains retention policies: one YAML file per
// controller saying, with the sentence of the privacy notice each rule comes from, when
// each kind of data subject's data is deleted, archived or re-consented.
package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Policy is one controller's retention policy.
type Policy struct {
	// ID names the policy in manifests ("tophat"); a preset's id is its file name.
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Notice names the privacy notice the rules are read from.
	Notice string `yaml:"notice,omitempty" json:"notice,omitempty"`
	// Extends names a preset this file starts from: its rules, floors and exceptions
	// with the same id are replaced, others added; Periods then override periods by id.
	Extends    string     `yaml:"extends,omitempty" json:"extends,omitempty"`
	Controller Controller `yaml:"controller" json:"controller"`
	// SpecialCategories the controller says it collects (profile.Categories).
	SpecialCategories []string          `yaml:"special_categories,omitempty" json:"special_categories,omitempty"`
	Rights            Rights            `yaml:"rights" json:"rights"`
	Rules             []Rule            `yaml:"rules" json:"rules"`
	Floors            []Floor           `yaml:"floors,omitempty" json:"floors,omitempty"`
	Exceptions        []Exception       `yaml:"exceptions,omitempty" json:"exceptions,omitempty"`
	Review            []Trigger         `yaml:"review,omitempty" json:"review,omitempty"`
	Periods           map[string]Period `yaml:"periods,omitempty" json:"periods,omitempty"`
	// Quarantine is how long copies of files that failed extraction are kept; a policy
	// without the section keeps them DefaultQuarantineKeep.
	Quarantine Quarantine `yaml:"quarantine,omitempty" json:"quarantine"`
	// NoticeTemplate is the controller's text for Article 14 notices (purposes, lawful
	// bases, automated matching); nil: notices cannot be rendered under this policy.
	NoticeTemplate *NoticeTemplate `yaml:"notice_template,omitempty" json:"notice_template,omitempty"`
	// Notes record promises of the notice that are not retention rules (kept for people
	// and for other jobs, e.g. the matching and notices manifests).
	Notes []string `yaml:"notes,omitempty" json:"notes,omitempty"`

	file string
	pos  pos
}

// Controller is who the policy's promises are made by: what Article 13/14 notices name.
type Controller struct {
	Name    string `yaml:"name" json:"name"`
	Contact string `yaml:"contact,omitempty" json:"contact"` // e-mail for data protection matters
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
	Address string `yaml:"address,omitempty" json:"address,omitempty"`
	// CompanyNumber is the Companies House number, when the notice gives it.
	CompanyNumber string `yaml:"company_number,omitempty" json:"company_number,omitempty"`
	DPO           *DPO   `yaml:"dpo,omitempty" json:"dpo,omitempty"`
	// ICORegistration is the ICO data protection fee registration, when the notice gives it.
	ICORegistration string `yaml:"ico_registration,omitempty" json:"ico_registration,omitempty"`
	Source          string `yaml:"source,omitempty" json:"source,omitempty"`

	pos pos
}

// DPO is the data protection officer or, where none is appointed, the named contact.
type DPO struct {
	Name    string `yaml:"name" json:"name,omitempty"`
	Email   string `yaml:"email,omitempty" json:"email,omitempty"`
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
	Address string `yaml:"address,omitempty" json:"address,omitempty"`

	pos pos
}

// Rights are the promises about data subjects' requests.
type Rights struct {
	// RespondWithin is the deadline for answering a request (Art. 12(3): one month);
	// a request counts as open for this long.
	RespondWithin Period `yaml:"respond_within,omitempty" json:"respond_within"`
	Source        string `yaml:"source,omitempty" json:"source,omitempty"`
	Basis         string `yaml:"basis,omitempty" json:"basis,omitempty"`

	pos pos
}

// Rule says: for these subjects, when this condition holds, PERIOD after the anchor
// the ACTION is due.
type Rule struct {
	ID      string    `yaml:"id" json:"id"`
	Subject Subjects  `yaml:"subject,omitempty" json:"subject"`
	When    Condition `yaml:"when,omitempty" json:"when"`
	Anchor  Anchor    `yaml:"anchor,omitempty" json:"anchor"`
	Period  Period    `yaml:"period,omitempty" json:"period"`
	Action  Action    `yaml:"action,omitempty" json:"action"`
	// NotBefore names rules whose due date this rule waits for when they apply ("now,
	// unless the 6-month rule still runs").
	NotBefore []string `yaml:"not_before,omitempty" json:"not_before,omitempty"`
	// Supersedes names rules (or follow-ups) that no longer count once this one is due.
	Supersedes []string  `yaml:"supersedes,omitempty" json:"supersedes,omitempty"`
	FollowUp   *FollowUp `yaml:"follow_up,omitempty" json:"follow_up,omitempty"`
	// Scope is what the action covers: "subject" (default) or "channel:<kind>", only the
	// records received through that channel kind.
	Scope string `yaml:"scope,omitempty" json:"scope,omitempty"`
	// Review is a review reason this rule always raises (e.g. account_closure).
	Review string `yaml:"review,omitempty" json:"review,omitempty"`
	// Source quotes the sentence of the notice the rule comes from.
	Source string `yaml:"source,omitempty" json:"source"`
	// Note says what was chosen where the notice is vague.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`

	pos pos
}

// FollowUp is due AFTER the rule it follows is due, unless an ANSWERED_BY event
// happened on or after that day ("no answer within 30 days → archive").
type FollowUp struct {
	ID         string   `yaml:"id" json:"id"`
	After      Period   `yaml:"after,omitempty" json:"after"`
	Action     Action   `yaml:"action,omitempty" json:"action"`
	AnsweredBy []string `yaml:"answered_by,omitempty" json:"answered_by,omitempty"`
	Review     string   `yaml:"review,omitempty" json:"review,omitempty"`
	Source     string   `yaml:"source,omitempty" json:"source"`
	Note       string   `yaml:"note,omitempty" json:"note,omitempty"`

	pos pos
}

// Floor is a minimum retention: until PERIOD after the anchor, no rule may delete or
// anonymise the subject's data.
type Floor struct {
	ID      string    `yaml:"id" json:"id"`
	Subject Subjects  `yaml:"subject,omitempty" json:"subject"`
	When    Condition `yaml:"when,omitempty" json:"when"`
	Anchor  Anchor    `yaml:"anchor,omitempty" json:"anchor"`
	Period  Period    `yaml:"period,omitempty" json:"period"`
	Source  string    `yaml:"source,omitempty" json:"source"`
	Note    string    `yaml:"note,omitempty" json:"note,omitempty"`

	pos pos
}

// Exception suspends the named rules while its condition holds.
type Exception struct {
	ID       string    `yaml:"id" json:"id"`
	Suspends []string  `yaml:"suspends,omitempty" json:"suspends"`
	When     Condition `yaml:"when,omitempty" json:"when"`
	Source   string    `yaml:"source,omitempty" json:"source"`
	Note     string    `yaml:"note,omitempty" json:"note,omitempty"`

	pos pos
}

// Trigger switches on one computed review reason for deletion rows.
type Trigger struct {
	Reason string `yaml:"reason,omitempty" json:"reason"`
	// Within is the look-back window of windowed reasons (released holds, ended floors,
	// open rights requests).
	Within Period `yaml:"within,omitempty" json:"within,omitempty"`
	// Source quotes the notice; Basis names another ground (law, POLICIES.md).
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	Basis  string `yaml:"basis,omitempty" json:"basis,omitempty"`

	pos pos
}

// File is the path the policy was read from, or "preset:<id>".
func (p *Policy) File() string { return p.file }

// Digest is a short hash of the policy's content: manifests name the policy by id and
// digest, so a changed period changes the manifest id.
func (p *Policy) Digest() string {
	b, _ := json.Marshal(p)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// Rule finds a rule or follow-up by id.
func (p *Policy) Rule(id string) (Rule, bool) {
	for _, r := range p.Rules {
		if r.ID == id {
			return r, true
		}
		if r.FollowUp != nil && r.FollowUp.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Trigger returns the enabled review trigger for reason, with its window filled in.
func (p *Policy) Trigger(reason string) (Trigger, bool) {
	for _, t := range p.Review {
		if t.Reason == reason {
			if def, ok := windowed[reason]; ok && t.Within.IsZero() {
				t.Within = def
				if def.IsZero() {
					t.Within = p.Rights.RespondWithin
				}
			}
			return t, true
		}
	}
	return Trigger{}, false
}

// Validate checks the whole policy, reporting every problem with its line and field.
func (p *Policy) Validate() error {
	var ps problems
	if !idPattern.MatchString(p.ID) {
		ps.add(p.pos.at("id"), "id", "want lower-case letters, digits and dashes, got %q", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		ps.add(p.pos.at("name"), "name", "required")
	}
	ps.merge("controller", p.pos.at("controller"), p.Controller.Validate())
	for i, c := range p.SpecialCategories {
		if !slices.Contains(categories, c) {
			ps.add(p.pos.at("special_categories"), fmt.Sprintf("special_categories[%d]", i), "unknown category %q (known: %v)", c, categories)
		}
	}
	ps.merge("rights", p.pos.at("rights"), p.Rights.Validate())
	ps.merge("quarantine", p.pos.at("quarantine"), p.Quarantine.Validate())
	if len(p.Rules) == 0 {
		ps.add(p.pos.at("rules"), "rules", "at least one rule is required")
	}
	ids := map[string]string{} // id → where it was first defined
	define := func(id, where string, line int) {
		if prev, dup := ids[id]; dup && id != "" {
			ps.add(line, where+".id", "id %q is already used by %s", id, prev)
			return
		}
		ids[id] = where
	}
	for i, r := range p.Rules {
		where := fmt.Sprintf("rules[%d]", i)
		ps.merge(where, r.pos.line, r.Validate())
		define(r.ID, where, r.pos.at("id"))
		if r.FollowUp != nil {
			define(r.FollowUp.ID, where+".follow_up", r.FollowUp.pos.at("id"))
		}
	}
	for i, f := range p.Floors {
		where := fmt.Sprintf("floors[%d]", i)
		ps.merge(where, f.pos.line, f.Validate())
		define(f.ID, where, f.pos.at("id"))
	}
	for i, e := range p.Exceptions {
		where := fmt.Sprintf("exceptions[%d]", i)
		ps.merge(where, e.pos.line, e.Validate())
		define(e.ID, where, e.pos.at("id"))
	}
	if p.NoticeTemplate != nil {
		ps.merge("notice_template", p.pos.at("notice_template"), p.NoticeTemplate.Validate())
	}
	p.checkReferences(&ps)
	seen := map[string]bool{}
	for i, t := range p.Review {
		where := fmt.Sprintf("review[%d]", i)
		ps.merge(where, t.pos.line, t.Validate())
		if seen[t.Reason] {
			ps.add(t.pos.at("reason"), where+".reason", "%q is listed twice", t.Reason)
		}
		seen[t.Reason] = true
	}
	for id, per := range p.Periods {
		if _, ok := ids[id]; !ok {
			ps.add(per.line, "periods."+id, "no rule, follow-up or floor has this id")
		}
	}
	err := ps.err()
	if es, ok := err.(Errors); ok {
		for _, e := range es {
			e.File = p.file
		}
	}
	return err
}

// checkReferences checks that not_before, supersedes and suspends name rules.
func (p *Policy) checkReferences(ps *problems) {
	ruleIDs := map[string]Rule{}
	for _, r := range p.Rules {
		ruleIDs[r.ID] = r
		if r.FollowUp != nil {
			ruleIDs[r.FollowUp.ID] = r
		}
	}
	for i, r := range p.Rules {
		for j, ref := range r.NotBefore {
			field := fmt.Sprintf("rules[%d].not_before[%d]", i, j)
			target, ok := ruleIDs[ref]
			switch {
			case !ok || (target.FollowUp != nil && target.FollowUp.ID == ref):
				ps.add(r.pos.at("not_before"), field, "%q is not a rule of this policy", ref)
			case ref == r.ID:
				ps.add(r.pos.at("not_before"), field, "a rule cannot wait for itself")
			case len(target.NotBefore) > 0:
				ps.add(r.pos.at("not_before"), field, "%q itself waits for other rules; chains are not supported", ref)
			}
		}
		for j, ref := range r.Supersedes {
			if _, ok := ruleIDs[ref]; !ok || ref == r.ID {
				ps.add(r.pos.at("supersedes"), fmt.Sprintf("rules[%d].supersedes[%d]", i, j), "%q is not another rule or follow-up of this policy", ref)
			}
		}
	}
	for i, e := range p.Exceptions {
		for j, ref := range e.Suspends {
			if _, ok := ruleIDs[ref]; !ok {
				ps.add(e.pos.at("suspends"), fmt.Sprintf("exceptions[%d].suspends[%d]", i, j), "%q is not a rule or follow-up of this policy", ref)
			}
		}
	}
}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	icoPattern   = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{6,8}$`)
)

// Validate checks the controller's identity.
func (c Controller) Validate() error {
	var ps problems
	if strings.TrimSpace(c.Name) == "" {
		ps.add(c.pos.at("name"), "name", "required: the controller's legal name")
	}
	if !emailPattern.MatchString(c.Contact) {
		ps.add(c.pos.at("contact"), "contact", "want the e-mail address for data protection matters")
	}
	if c.ICORegistration != "" && !icoPattern.MatchString(c.ICORegistration) {
		ps.add(c.pos.at("ico_registration"), "ico_registration", "want an ICO registration number such as Z1234567")
	}
	if c.DPO != nil {
		ps.merge("dpo", c.pos.at("dpo"), c.DPO.Validate())
	}
	return ps.err()
}

// Validate checks the DPO contact.
func (d DPO) Validate() error {
	var ps problems
	if d.Email == "" && d.Address == "" && d.Phone == "" {
		ps.add(d.pos.line, "", "give at least an email, phone or address")
	}
	if d.Email != "" && !emailPattern.MatchString(d.Email) {
		ps.add(d.pos.at("email"), "email", "not an e-mail address")
	}
	return ps.err()
}

// Validate checks the rights section.
func (r Rights) Validate() error {
	var ps problems
	if r.RespondWithin.IsZero() || r.RespondWithin.N == 0 {
		ps.add(r.pos.at("respond_within"), "respond_within", "required: the deadline for answering requests, e.g. \"1 month\"")
	}
	if r.Source == "" && r.Basis == "" {
		ps.add(r.pos.line, "source", "quote the notice (source) or name the legal basis (basis)")
	}
	return ps.err()
}

// Validate checks one rule and its follow-up.
func (r Rule) Validate() error {
	var ps problems
	checkID(&ps, r.pos, r.ID)
	ps.merge("subject", r.pos.at("subject"), r.Subject.Validate())
	ps.merge("when", r.pos.at("when"), r.When.Validate())
	ps.merge("anchor", r.pos.at("anchor"), r.Anchor.Validate())
	if r.Period.IsZero() {
		ps.add(r.pos.at("period"), "period", "required, e.g. \"6 months\" (\"0 days\": due on the anchor day)")
	} else {
		ps.merge("period", r.pos.at("period"), r.Period.Validate())
	}
	checkAction(&ps, r.pos, "action", r.Action)
	if r.Scope != "" && r.Scope != "subject" {
		kind, ok := strings.CutPrefix(r.Scope, "channel:")
		if !ok || !slices.Contains(ChannelKinds, kind) {
			ps.add(r.pos.at("scope"), "scope", "want \"subject\" or \"channel:<kind>\" with kind one of %v", ChannelKinds)
		}
	}
	if r.Review != "" && !reasonPattern.MatchString(r.Review) {
		ps.add(r.pos.at("review"), "review", "want a snake_case reason, e.g. account_closure")
	}
	checkSource(&ps, r.pos, r.Source)
	if r.FollowUp != nil {
		ps.merge("follow_up", r.pos.at("follow_up"), r.FollowUp.Validate())
	}
	return ps.err()
}

// Validate checks a follow-up.
func (f FollowUp) Validate() error {
	var ps problems
	checkID(&ps, f.pos, f.ID)
	if f.After.IsZero() {
		ps.add(f.pos.at("after"), "after", "required, e.g. \"30 days\"")
	} else {
		ps.merge("after", f.pos.at("after"), f.After.Validate())
	}
	checkAction(&ps, f.pos, "action", f.Action)
	for i, e := range f.AnsweredBy {
		if !knownEvent(e) {
			ps.add(f.pos.at("answered_by"), fmt.Sprintf("answered_by[%d]", i), "unknown event %q (known: %v)", e, knownEvents())
		}
	}
	if f.Review != "" && !reasonPattern.MatchString(f.Review) {
		ps.add(f.pos.at("review"), "review", "want a snake_case reason")
	}
	checkSource(&ps, f.pos, f.Source)
	return ps.err()
}

// Validate checks a floor.
func (f Floor) Validate() error {
	var ps problems
	checkID(&ps, f.pos, f.ID)
	ps.merge("subject", f.pos.at("subject"), f.Subject.Validate())
	ps.merge("when", f.pos.at("when"), f.When.Validate())
	ps.merge("anchor", f.pos.at("anchor"), f.Anchor.Validate())
	if f.Period.IsZero() || f.Period.N == 0 {
		ps.add(f.pos.at("period"), "period", "required: how long the data must be kept at least")
	} else {
		ps.merge("period", f.pos.at("period"), f.Period.Validate())
	}
	checkSource(&ps, f.pos, f.Source)
	return ps.err()
}

// Validate checks an exception.
func (e Exception) Validate() error {
	var ps problems
	checkID(&ps, e.pos, e.ID)
	if len(e.Suspends) == 0 {
		ps.add(e.pos.at("suspends"), "suspends", "name at least one rule the exception suspends")
	}
	if e.When.IsZero() {
		ps.add(e.pos.at("when"), "when", "required: an exception without a condition would disable its rules")
	}
	ps.merge("when", e.pos.at("when"), e.When.Validate())
	checkSource(&ps, e.pos, e.Source)
	return ps.err()
}

// Validate checks a review trigger.
func (t Trigger) Validate() error {
	var ps problems
	if !slices.Contains(ReviewReasons, t.Reason) {
		ps.add(t.pos.at("reason"), "reason", "unknown reason %q (known: %v)", t.Reason, ReviewReasons)
	}
	if _, ok := windowed[t.Reason]; !ok && !t.Within.IsZero() {
		ps.add(t.pos.at("within"), "within", "%q takes no window", t.Reason)
	}
	if t.Source == "" && t.Basis == "" {
		ps.add(t.pos.line, "source", "quote the notice (source) or name another ground (basis)")
	}
	return ps.err()
}

func checkID(ps *problems, p pos, id string) {
	if !idPattern.MatchString(id) {
		ps.add(p.at("id"), "id", "want lower-case letters, digits and dashes, got %q", id)
	}
}

func checkAction(ps *problems, p pos, field string, a Action) {
	if a.Rank() == 0 {
		ps.add(p.at(field), field, "want one of %v, got %q", Actions, a)
	}
}

func checkSource(ps *problems, p pos, source string) {
	if strings.TrimSpace(source) == "" {
		ps.add(p.line, "source", "required: quote the sentence of the notice this comes from")
	}
}
