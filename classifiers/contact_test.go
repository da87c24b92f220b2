package classifiers

import (
	"reflect"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// parse runs the whole parser on text with the fixed test clock.
func parse(text string) profile.Candidate {
	return parseCandidate(text, profile.Candidate{}, testNow)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestEmails(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "Jane Doe\njane.doe@example.com", []string{"jane.doe@example.com"}},
		{"domain lowercased, local part kept", "Email: Jane.Doe@EXAMPLE.Com", []string{"Jane.Doe@example.com"}},
		{"deduplicated ignoring case", "jane@example.com | JANE@example.com\njane@Example.com", []string{"jane@example.com"}},
		{"several in order", "jane@example.com / j.doe+cv@example.co.uk", []string{"jane@example.com", "j.doe+cv@example.co.uk"}},
		{"mailto and brackets", "<mailto:jane@example.com>.", []string{"jane@example.com"}},
		{"trailing full stop", "Contact me at jane@example.com.", []string{"jane@example.com"}},
		{"no top-level domain", "jane@localhost", []string{}},
		{"double dot in local part", "jane..doe@example.com", []string{}},
		{"at sign in prose", "Met targets @ 98% accuracy", []string{}},
		{"referee address skipped", "Jane Doe\njane@example.com\n\nREFERENCES\nMr Ben Hall, ben.hall@example.com", []string{"jane@example.com"}},
		{"none", "Jane Doe\nStaff Nurse", []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parse(c.text).Emails; !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestPhones(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"international with trunk zero", "Mobile: +44 (0)7700 900123", []string{"+447700900123"}},
		{"UK mobile spaced", "07700 900 123", []string{"+447700900123"}},
		{"UK mobile unspaced", "Tel:07700900123", []string{"+447700900123"}},
		{"plus forty-four", "+44 7700 900123", []string{"+447700900123"}},
		{"brackets around country code", "(+44) 7700 900123", []string{"+447700900123"}},
		{"Leeds landline", "Home: 0113 496 0000", []string{"+441134960000"}},
		{"bracketed area code", "(0113) 496 0000", []string{"+441134960000"}},
		{"London landline dashed", "020-7946-0123", []string{"+442079460123"}},
		{"US number", "Cell: +1 415 555 2671", []string{"+14155552671"}},
		{"Irish number with 00", "00353 1 234 5678", []string{"+35312345678"}},
		{"two numbers side by side", "0113 496 0000 07700 900123", []string{"+441134960000", "+447700900123"}},
		{"two numbers with labels", "Tel: 0113 496 0000, Mob: 07700 900123", []string{"+441134960000", "+447700900123"}},
		{"deduplicated across formats", "07700 900123\n+44 7700 900123", []string{"+447700900123"}},
		{"year range is not a phone", "Staff Nurse 2019-2021", []string{}},
		{"spaced year ranges", "2015 - 2019 2019 - 2021", []string{}},
		{"date is not a phone", "DOB 14/03/1988 and 1988-03-14", []string{}},
		{"NI number is not a phone", "AB 12 34 56 C", []string{}},
		{"salary is not a phone", "£25,000 - £30,000", []string{}},
		{"too short", "Ext 0113 496", []string{}},
		{"invalid UK number", "01000 123456", []string{}},
		{"glued to letters", "Ref ID12345678901", []string{}},
		{"referee phone skipped", "07700 900123\nReferences\nMrs Ann Lee 07700 900999", []string{"+447700900123"}},
		{"no phone", "Jane Doe\njane@example.com", []string{}},
		{"North American pattern is not coerced into the UK", "New York, NY | 123-456-7890", []string{}},
		{"North American number without USA is dropped", "Phone: 212-555-0147", []string{}},
		{"North American number with USA nearby", "Springfield, IL, USA\nPhone: (212) 555-0147", []string{"+12125550147"}},
		{"United States nearby, dotted", "Address: Boston, United States\n617.253.1000", []string{"+16172531000"}},
		{"USA nearby but not a valid US number", "New York, USA\n123-456-7890", []string{}},
		{"the word us is not the country", "Call us on 212-555-0147", []string{}},
		{"UK number next to USA still UK", "Worked in the USA\n0113 496 0000", []string{"+441134960000"}},
		{"number without 0 or + is not UK", "Mobile: 1234 567890", []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parse(c.text).Phones; !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestNormalisePhone(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"07700 900123", "+447700900123", true},
		{"+44 (0) 113 496 0000", "+441134960000", true},
		{"01632 960123", "+441632960123", true}, // Ofcom fictional range
		{"07700 901123", "", false},             // outside the fictional range, unallocated
		{"12345", "", false},
		{"123-456-7890", "", false}, // North American pattern: not +44 1234 567890
		{"212-555-0147", "", false}, // a US number, but nothing says the US
		{"+1 212 555 0147", "+12125550147", true},
		{"not a number", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := normalisePhone(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("normalisePhone(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"bare LinkedIn", "linkedin.com/in/jane-doe", []string{"https://linkedin.com/in/jane-doe"}},
		{"LinkedIn with www and slash, deduplicated", "https://www.linkedin.com/in/jane-doe/\nlinkedin.com/in/jane-doe", []string{"https://linkedin.com/in/jane-doe"}},
		{"country LinkedIn", "uk.linkedin.com/in/jane-doe", []string{"https://uk.linkedin.com/in/jane-doe"}},
		{"GitHub", "GitHub: github.com/janedoe.", []string{"https://github.com/janedoe"}},
		{"http upgraded", "Portfolio: http://example.com/portfolio.", []string{"https://example.com/portfolio"}},
		{"bare www", "www.janedoe-example.co.uk", []string{"https://www.janedoe-example.co.uk"}},
		{"host lowercased", "HTTPS://Example.COM/Jane", []string{"https://example.com/Jane"}},
		{"in a pipe list", "jane@example.com | https://example.com/cv | 07700 900123", []string{"https://example.com/cv"}},
		{"e-mail is not a link", "jane@github.com", []string{}},
		{"referee link skipped", "REFERENCES\nwww.referee-example.com", []string{}},
		{"no links", "Jane Doe", []string{}},
		{"bare Indeed profile", "Leeds - Email me on Indeed: indeed.com/r/Jane-Doe/1a2b3c4d", []string{"https://indeed.com/r/Jane-Doe/1a2b3c4d"}},
		{"bare GitHub with www", "www.github.com/janedoe", []string{"https://github.com/janedoe"}},
		{"Indeed link cut by a line break after a hyphen", "Email me on Indeed: indeed.com/r/Jane-\nDoe/1a2b3c4d\n\nProfile", []string{"https://indeed.com/r/Jane-Doe/1a2b3c4d"}},
		{"Indeed link cut by a line break after a slash", "indeed.com/r/Jane-Doe/\n1a2b3c4d", []string{"https://indeed.com/r/Jane-Doe/1a2b3c4d"}},
		{"a word on the next line is not a link's path", "Portfolio: https://example.com/\nSkills\nPython", []string{"https://example.com"}},
		{"a link on the next line is its own", "linkedin.com/in/jane-doe/\ngithub.com/janedoe", []string{"https://linkedin.com/in/jane-doe", "https://github.com/janedoe"}},
		{"profile link again with a tracking query", "indeed.com/r/Jane-Doe/1a2b3c4d\n\nhttps://www.indeed.com/r/Jane-Doe/1a2b3c4d?isid=rex-download&ikw=download-top", []string{"https://indeed.com/r/Jane-Doe/1a2b3c4d"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parse(c.text).Links; !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
