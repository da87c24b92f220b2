package policy

import (
	"strings"
	"testing"
)

func TestEveryPresetHasANoticeTemplate(t *testing.T) {
	for _, id := range PresetIDs() {
		p, err := Preset(id)
		if err != nil {
			t.Fatal(err)
		}
		if p.NoticeTemplate == nil || len(p.NoticeTemplate.Purposes) == 0 || p.NoticeTemplate.AutomatedMatching == "" {
			t.Errorf("%s: no usable notice_template", id)
		}
	}
}

func TestNoticeTemplateIsOptionalAndValidated(t *testing.T) {
	base := `id: acme
name: Acme
controller: {name: Acme Ltd, contact: privacy@acme.example.com}
rights: {respond_within: 1 month, source: "One month."}
rules:
  - {id: r, subject: candidate, anchor: {event: applied}, period: 6 months, action: delete, source: "Six months."}
`
	p, err := Parse("old.yaml", []byte(base))
	if err != nil {
		t.Fatalf("a policy without notice_template: %v", err)
	}
	if p.NoticeTemplate != nil {
		t.Error("a template appeared from nowhere")
	}
	bad := base + `notice_template:
  subject: Hello
  from: not-an-address
  purposes:
    - {purpose: Matching}
`
	_, err = Parse("bad.yaml", []byte(bad))
	if err == nil {
		t.Fatal("an incomplete notice_template was accepted")
	}
	for _, want := range []string{"notice_template.from", "notice_template.purposes[0].basis", "notice_template.automated_matching", "bad.yaml:11: notice_template.purposes[0].basis"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	typo := base + "notice_template:\n  subjet: Hello\n"
	if _, err := Parse("typo.yaml", []byte(typo)); err == nil || !strings.Contains(err.Error(), "notice_template.subjet") {
		t.Errorf("a misspelt key: %v", err)
	}
	if got := (NoticeTemplate{}).ComplaintText(); !strings.Contains(got, "Information Commissioner") {
		t.Errorf("default complaint %q", got)
	}
}
