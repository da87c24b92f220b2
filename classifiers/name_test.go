package classifiers

import "testing"

func TestName(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"first line", "Jane Doe\n12 Park Row, Leeds LS1 4AP", "Jane Doe"},
		{"after CV title", "CURRICULUM VITAE\nJane Doe\njane@example.com", "Jane Doe"},
		{"after Resume title", "Resume\n\nJane Doe", "Jane Doe"},
		{"all caps to title case", "JANE DOE\nStaff Nurse", "Jane Doe"},
		{"apostrophe and hyphen in caps", "MARY-JANE O'NEILL", "Mary-Jane O'Neill"},
		{"Mc prefix in caps", "CALLUM MCDONALD", "Callum McDonald"},
		{"labelled", "Personal Details\nName: Jane Doe\nEmail: jane@example.com", "Jane Doe"},
		{"labelled full name", "Full name - Jane Doe", "Jane Doe"},
		{"labelled after the header", "Curriculum Vitae\nStaff Nurse\n\nPersonal Details\nName: Jane Doe", "Jane Doe"},
		{"pipe list", "Jane Doe | jane@example.com | 07700 900123", "Jane Doe"},
		{"name then job title", "Jane Doe - Registered Nurse", "Jane Doe"},
		{"name comma job title", "Jane Doe, Registered Nurse", "Jane Doe"},
		{"post-nominals dropped", "Jane Doe BSc (Hons) RGN", "Jane Doe"},
		{"honorific dropped", "Dr. Jane Doe", "Jane Doe"},
		{"middle initial", "Jane A. Doe", "Jane A. Doe"},
		{"particle", "Ludwig van Beethoven", "Ludwig van Beethoven"},
		{"three names", "Mohammed Ali Khan\nLeeds", "Mohammed Ali Khan"},
		{"job title line before name", "Registered General Nurse\nJane Doe", "Jane Doe"},
		{"name run into a job title", "Jane Doe Registered Nurse\n07700 900123", "Jane Doe"},
		{"introduced in the profile", "Profile\nI am a caring support worker called Sarah Jones with five years of experience.", "Sarah Jones"},
		{"my name is", "My name is Sarah Jones.", "Sarah Jones"},
		{"I'm, then a clause", "Hi, I'm Sarah Jones, a support worker from Leeds", "Sarah Jones"},
		{"introduction without a name", "Profile\nI am a hard-working carer. I am Registered Nurse qualified.", ""},
		{"region is not a name", "Greater Manchester Area", ""},
		{"role after 'I'm' is not a name", "Profile\nI'm Team Leader at a busy warehouse.", ""},
		{"only a title", "Curriculum Vitae\n\nProfile\nExperienced nurse.", ""},
		{"job title is not a name", "Staff Nurse\nLeeds", ""},
		{"town is not a name", "Leeds\nWest Yorkshire", ""},
		{"employer is not a name", "Leeds Teaching Hospitals", ""},
		{"heading is not a name", "Personal Statement", ""},
		{"single word", "Jane\njane@example.com", ""},
		{"initial only first name", "J. Doe", ""},
		{"lower case words", "jane doe", ""},
		{"address line", "Flat 2 Park View", ""},
		{"too many words", "Jane Mary Anne Louise Doe", ""},
		{"name in a later section is not the header", "Staff Nurse\n\nReferences\nJane Doe", ""},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := deref(parse(c.text).Name); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
