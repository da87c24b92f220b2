package classifiers

import (
	"reflect"
	"testing"
)

func TestSkills(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"synonyms map to canonical names", "Moving and handling, PEG feeds and administering medication.",
			[]string{"Manual Handling", "PEG Feeding", "Medication Administration"}},
		{"case-insensitive whole phrases", "KUBERNETES, python and sql", []string{"Kubernetes", "Python", "SQL"}},
		{"longest phrase wins", "Counterbalance forklift and reach truck licences; forklift truck",
			[]string{"Forklift (Counterbalance)", "Forklift (Reach Truck)", "Forklift Operation"}},
		{"canonical name with brackets", "Licences: HGV Class 1 (C+E), Forklift (Counterbalance)",
			[]string{"HGV Class 1 (C+E)", "Forklift (Counterbalance)"}},
		{"symbols inside words", "C#, C++, .NET, Node.js and CI/CD", []string{"C#", "C++", ".NET", "Node.js", "CI/CD"}},
		{"deduplicated in order of first mention", "SQL, Xero, sql, Sage 50, XERO", []string{"SQL", "Xero", "Sage 50"}},
		{"whole words only", "Gosport, escalation, mysqlx, Pythonic, Javanese", []string{}},
		{"part of a longer skill name", "MySQL and PostgreSQL", []string{"MySQL", "PostgreSQL"}},
		{"exact-case synonym matches the product", "Advanced Excel and Word", []string{"Microsoft Excel", "Microsoft Word"}},
		{"exact-case synonym ignores the verb", "I excel at teamwork and send reports", []string{"Teamwork"}},
		{"SEND only in capitals", "SEND support and EYFS", []string{"SEND", "EYFS"}},
		{"construction tickets", "CSCS card, SMSTS, IPAF and PASMA", []string{"CSCS Card", "SMSTS", "IPAF", "PASMA"}},
		{"hospitality and teaching", "Food Hygiene Level 2, Makaton and phonics", []string{"Food Hygiene Level 2", "Makaton", "Phonics"}},
		{"condition names are not skills", "I have diabetes and autism.", []string{}},
		{"skills across a line break", "Safeguarding\nadults", []string{"Safeguarding Adults"}},
		{"nothing", "", []string{}},
		{"common IT terms", "Languages: C, C++, Java. OS: Windows, Linux, Unix. Tools: Eclipse, SVN, Maven, Jenkins, JIRA, XML, JSON",
			[]string{"C (Programming)", "C++", "Java", "Microsoft Windows", "Linux", "Unix", "Eclipse IDE", "Subversion (SVN)", "Apache Maven", "Jenkins", "Jira", "XML", "JSON"}},
		{"exact-case synonyms in capitals", "EXCEL, WORD, GIT, SOAP", []string{"Microsoft Excel", "Microsoft Word", "Git", "SOAP Web Services"}},
		{"soap is not SOAP", "Hand washing with soap and water", []string{}},
		{"GCSE grade C is not a skill", "GCSEs: Maths (C), English (C), Science (C)", []string{}},
		{"a glazier's Windows are not a skill", "Fitting Windows, Doors and Conservatories", []string{}},
		{"Windows beside an office skill", "Windows, MS Office", []string{"Microsoft Windows", "Microsoft Office"}},
		{"C alone as a stated skill", "C", []string{"C (Programming)"}},
		{"Go and R in a list", "Python, Go, R and SQL", []string{"Python", "Go (Golang)", "R (Programming)", "SQL"}},
		{"Go in a sentence", "Go to the next page", []string{}},
		{"business skills", "Key account management, business development and B2B sales", []string{"Account Management", "Business Development", "Sales"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Skills(c.text); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestSkillsSkipReferences checks that a referee's job does not become the
// candidate's skill.
func TestSkillsSkipReferences(t *testing.T) {
	text := "Jane Doe\nSkills\nPython\nReferences\nDr Ann Lee, Kubernetes lead\nInterests\nXero"
	want := []string{"Python", "Xero"}
	if got := parse(text).Skills; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTokenize(t *testing.T) {
	tk := tokenize("C# & C++, Node.js. ASP.NET + Zoë's 7.5t\n.NET")
	want := []string{"c#", "c++", "node.js", "asp.net", "zoë", "s", "7.5t", ".net"}
	if !reflect.DeepEqual(tk.lower, want) {
		t.Errorf("got %q, want %q", tk.lower, want)
	}
	if tk.original(4) != "Zoë" {
		t.Errorf("offsets: %q", tk.original(4))
	}
}

func BenchmarkSkills(b *testing.B) {
	text := "Experienced carer: moving and handling, PEG feeding, medication administration, " +
		"dementia care, safeguarding adults, care planning, Excel and food hygiene level 2."
	Skills(text)
	b.ReportAllocs()
	for b.Loop() {
		Skills(text)
	}
}
