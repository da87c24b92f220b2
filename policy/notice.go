package policy

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// ICOComplaint is the complaint paragraph a notice uses when the policy gives none: the
// right to complain to the UK supervisory authority (Art. 14(2)(e)).
const ICOComplaint = "You have the right to complain to the Information Commissioner's Office (ICO), the UK supervisory authority for data protection: https://ico.org.uk/make-a-complaint/, telephone 0303 123 1113, or write to Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF."

// NoticeTemplate is the controller's part of an Article 14 notice: what it says to
// everyone. cvetl fills in, per person, the categories held, the sources with dates,
// the recipients so far and the retention rule that applies. Optional: a policy
// without it cannot render notices.
type NoticeTemplate struct {
	// From is the sender of the e-mail; default the controller's contact.
	From string `yaml:"from,omitempty" json:"from,omitempty"`
	// Subject is the e-mail's subject line.
	Subject string `yaml:"subject" json:"subject"`
	// Purposes are why the data is processed and on which lawful basis (Art. 14(1)(c)).
	Purposes []NoticePurpose `yaml:"purposes" json:"purposes"`
	// AutomatedMatching says whether automated matching or profiling is used and its
	// logic (Art. 14(2)(g)); say so plainly when there is none.
	AutomatedMatching string `yaml:"automated_matching" json:"automated_matching"`
	// Complaint is the right to complain; default ICOComplaint.
	Complaint string `yaml:"complaint,omitempty" json:"complaint,omitempty"`
	// Signature closes the notice.
	Signature string `yaml:"signature,omitempty" json:"signature,omitempty"`
	// Source quotes the privacy notice the text is read from.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`

	pos pos
}

// NoticePurpose is one purpose of processing and its lawful basis.
type NoticePurpose struct {
	Purpose string `yaml:"purpose" json:"purpose"`
	Basis   string `yaml:"basis" json:"basis"`
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`

	pos pos
}

// ComplaintText is the complaint paragraph the notice uses.
func (t NoticeTemplate) ComplaintText() string {
	if strings.TrimSpace(t.Complaint) != "" {
		return t.Complaint
	}
	return ICOComplaint
}

// Validate checks the notice template.
func (t NoticeTemplate) Validate() error {
	var ps problems
	if t.From != "" && !emailPattern.MatchString(t.From) {
		ps.add(t.pos.at("from"), "from", "want an e-mail address")
	}
	if strings.TrimSpace(t.Subject) == "" {
		ps.add(t.pos.at("subject"), "subject", "required: the e-mail's subject line")
	}
	if len(t.Purposes) == 0 {
		ps.add(t.pos.at("purposes"), "purposes", "at least one purpose with its lawful basis is required (Art. 14(1)(c))")
	}
	for i, p := range t.Purposes {
		if strings.TrimSpace(p.Purpose) == "" {
			ps.add(p.pos.at("purpose"), fmt.Sprintf("purposes[%d].purpose", i), "required")
		}
		if strings.TrimSpace(p.Basis) == "" {
			ps.add(p.pos.at("basis"), fmt.Sprintf("purposes[%d].basis", i), "required: the lawful basis (Art. 6)")
		}
	}
	if strings.TrimSpace(t.AutomatedMatching) == "" {
		ps.add(t.pos.at("automated_matching"), "automated_matching", "required: say whether automated matching is used and its logic, or that it is not (Art. 14(2)(g))")
	}
	return ps.err()
}

func (t *NoticeTemplate) UnmarshalYAML(n *yaml.Node) error {
	type plain NoticeTemplate
	if err := decodePlain(n, (*plain)(t)); err != nil {
		return err
	}
	t.pos = posOf(n)
	return nil
}

func (p *NoticePurpose) UnmarshalYAML(n *yaml.Node) error {
	type plain NoticePurpose
	if err := decodePlain(n, (*plain)(p)); err != nil {
		return err
	}
	p.pos = posOf(n)
	return nil
}
