package samplegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// event is one line of testdata/events.jsonl, in the DESIGN.md shape.
type event struct {
	Subject string            `json:"subject"`
	Event   string            `json:"event"`
	At      string            `json:"at"`
	Detail  map[string]string `json:"detail,omitempty"`
	bad     string            // why the line must be rejected; "" for a good line
}

// sampleEvents are lifecycle events for people in the sample inbox, by e-mail. Two
// are deliberately bad. Dates run from a 2024 rejection (old enough for retention
// rules to fall due) to after the inbox was received.
var sampleEvents = []event{
	{Subject: "amara.okafor@example.com", Event: "registered", At: "2026-11-18", Detail: map[string]string{"subject_type": "candidate"}},
	{Subject: "amara.okafor@example.com", Event: "applied", At: "2026-11-18", Detail: map[string]string{"vacancy": "BS-CARE-0142"}},
	{Subject: "amara.okafor@example.com", Event: "consent_given", At: "2026-11-18", Detail: map[string]string{"purpose": "marketing", "until": "2028-11-18"}},
	{Subject: "tomasz.nowak@example.org", Event: "registered", At: "2026-11-10", Detail: map[string]string{"subject_type": "candidate"}},
	{Subject: "tomasz.nowak@example.org", Event: "placed", At: "2026-11-24"},
	{Subject: "james.smith@example.com", Event: "unsuccessful", At: "2026-11-21"},
	{Subject: "james.smith84@example.net", Event: "objected", At: "2026-11-22", Detail: map[string]string{"processing": "automated_matching"}},
	{Subject: "sian.hughes@example.net", Event: "unsuccessful", At: "2024-02-12"},
	{Subject: "eilidh.macleod@example.com", Event: "legal_hold", At: "2026-10-01", Detail: map[string]string{"reason": "employment tribunal claim"}},
	{Subject: "grace.adeyemi@example.net", Event: "erasure_requested", At: "2026-11-23"},
	{Subject: "priya.raman@example.com", Event: "access_requested", At: "2026-11-20"},
	{Subject: "daniel.kowalczyk@example.org", Event: "disclosed", At: "2026-11-19", Detail: map[string]string{"recipient": "Ironbridge Distribution Ltd"}},
	{Subject: "renee.ashworth@example.org", Event: "meaningful_contact", At: "2025-03-03"},
	{Subject: "niamh.murphy@example.com", Event: "notice_sent", At: "2026-11-22"},
	{Subject: "fatima.begum@example.net", Event: "work_finding_service", At: "2026-11-19"},
	{Subject: "amara.okafor@example.com", Event: "interviewed", At: "2026-11-19", bad: "unknown event name"},
	{Subject: "nobody.known@example.com", Event: "registered", At: "2026-11-19", Detail: map[string]string{"subject_type": "candidate"}, bad: "unknown subject: no such e-mail in the inbox"},
}

// Events returns testdata/events.jsonl.
func Events() []byte {
	var b bytes.Buffer
	for _, e := range sampleEvents {
		line, err := json.Marshal(e)
		if err != nil {
			panic(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ConfigYAML is testdata/cvetl.yaml: the demo configuration mapping inbox folders
// to provenance channels. Limits stay at their defaults.
const ConfigYAML = `# Demo configuration for the sample inbox (testdata/inbox). Paths are matched
# against the file's path relative to the folder given to "cvetl ingest"; the
# longest matching prefix wins. Files in direct/ and bad/ get the default channel.
default_channel: direct
sources:
  - {match: "indeed/", channel: "job_board:indeed"}
  - {match: "reed/", channel: "job_board:reed"}
  - {match: "totaljobs/", channel: "job_board:totaljobs", csv_mapping: "totaljobs"}
  - {match: "linkedin/", channel: "linkedin"}
  - {match: "agency-brightstaff/", channel: "agency:brightstaff"}
  - {match: "referrals/", channel: "referee"}
  - {match: "feeds/", channel: "job_board:indeed"}
csv_mappings:
  # Totaljobs exports use Reed's column names; the mapping is spelled out here to
  # show a per-source mapping.
  - name: totaljobs
    columns:
      First Name: first_name
      Last Name: last_name
      Email Address: email
      Mobile: phone
      Postcode: postcode
      Town: town
      Current Job Title: job_title
      Current Employer: employer
      Skills: skills
    free_text: [Cover Note]
# The Art. 9 / Art. 10 condition the controller records for special-category data,
# by the section it was found in. Anything else found (a diagnosis volunteered in a
# personal statement) has no condition and is flagged for review.
special_categories:
  sections:
    "equal opportunities": equal_opportunities_monitoring
    "diversity": equal_opportunities_monitoring
    "health declaration": occupational_health
    "reasonable adjustments": employment_law
    "disclosure": employment_law
  # The learned model beside the rules: vetted (default), off (rules alone), backstop or
  # union. vetted finds more than the rules at their precision on text by new authors;
  # union finds more still and tags more wrongly (docs/quality-special-categories.md,
  # sections 7-10).
  learned: vetted
# Matching: the sample vacancy feeds are from November 2026; a wide window keeps them
# open whenever the demo runs. Production default: 60 days.
matching:
  top_n: 10
  vacancy_max_age_days: 3650
`

// Readme returns testdata/README.md, generated from the manifest so it cannot drift
// from the files.
func Readme() []byte {
	var b strings.Builder
	b.WriteString(`# Sample data

Generated by ` + "`go run ./tools/gensamples -testdata testdata`" + ` (internal/samplegen); do not edit
by hand. ` + "`go test ./internal/samplegen`" + ` fails when the files drift from the generator.
Every person, employer and contact detail is fictional: e-mails are @example.com/.org/.net,
mobiles are Ofcom's drama range 07700 900000–900999, the agency's landline is the
drama range 0113 496 0xxx.

- ` + "`inbox/`" + ` — one folder per source; the folder gives the provenance channel (see
  ` + "`cvetl.yaml`" + `). Only inputs live there.
- ` + "`cvetl.yaml`" + ` — demo configuration: folder → channel, and a per-source CSV mapping
  for totaljobs/. Size and decompression limits stay at their defaults.
- ` + "`events.jsonl`" + ` — lifecycle events for inbox subjects, by e-mail.

## Inbox files

Format is what ` + "`extractors.Sniff`" + ` reports. Outcome is the quarantine reason, or
what a parse yields. Special categories are what the tagger should find about the
candidate; traps are listed under "tests" and must not be tagged. ` + "`bad/`" + ` holds the
files quarantined whole; files with a recoverable defect (the ragged export, the e-mail
with a corrupt attachment) sit in their source's folder, because their good parts are
ingested under that source's channel. The people each file was made from, with the
values as written, are ` + "`samplegen.Manifest()[i].People()`" + `.

| file | channel | format | outcome | special categories | tests |
|---|---|---|---|---|---|
`)
	for _, e := range Manifest() {
		outcome := e.Reason
		if outcome == "" {
			switch {
			case e.Vacancies > 0:
				outcome = fmt.Sprintf("%d vacancies", e.Vacancies)
			case e.Candidates == 1:
				outcome = "1 candidate"
			default:
				outcome = fmt.Sprintf("%d candidates", e.Candidates)
			}
			if len(e.Problems) > 0 {
				outcome += "; problems: " + strings.Join(e.Problems, "; ")
			}
		} else {
			outcome = "quarantine: " + outcome
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", e.Path, e.Channel, e.Sniff, outcome,
			strings.Join(e.Special, ", "), strings.ReplaceAll(e.Tests, "|", "\\|"))
	}
	b.WriteString(`
The over-size case (` + "`too_large`" + `) is not committed: tests write a file just over a
small ` + "`limits.max_file_bytes`" + ` at run time, so the demo config keeps the default caps.

## Identity cases

| person | records | merge? | why |
|---|---|---|---|
`)
	for _, c := range IdentityCases {
		merge := "merge"
		if !c.Merge {
			merge = "**keep apart**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Name, "`"+strings.Join(c.Records, "`, `")+"`", merge, c.Why)
	}
	b.WriteString(`
## events.jsonl

`)
	for i, e := range sampleEvents {
		note := "ok"
		if e.bad != "" {
			note = "**rejected**: " + e.bad
		}
		fmt.Fprintf(&b, "%d. `%s` %s %s — %s\n", i+1, e.Subject, e.Event, e.At, note)
	}
	return []byte(b.String())
}

// WriteTestdata writes the whole sample set under dir: inbox/, events.jsonl,
// cvetl.yaml and README.md.
func WriteTestdata(dir string) error {
	if err := WriteInbox(filepath.Join(dir, "inbox")); err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"events.jsonl": Events(), "cvetl.yaml": []byte(ConfigYAML), "README.md": Readme(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
