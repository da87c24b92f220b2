package classifiers

import (
	"testing"
	"time"
)

func TestNormalisePostcode(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"LS1 4AP", "LS1 4AP", true},
		{"ls1 4ap", "LS1 4AP", true},
		{"LS14AP", "LS1 4AP", true},
		{" ls1   4ap ", "LS1 4AP", true},
		{"M1 1AE", "M1 1AE", true},
		{"B15 2TT", "B15 2TT", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"W1A 0AX", "W1A 0AX", true},
		{"SW1A 2AA", "SW1A 2AA", true},
		{"BT1 5GS", "BT1 5GS", true},
		{"GIR 0AA", "GIR 0AA", true},
		{"gir0aa", "GIR 0AA", true},
		{"QA1 1AA", "", false},  // Q never starts a postcode
		{"LS1 4CI", "", false},  // C and I never appear in the inward code
		{"AA1 1AA", "", false},  // valid shape, but AA is not a postcode area
		{"XY10 1AB", "", false}, // X never starts a postcode
		{"LZ1 1AA", "", false},  // Z is never the second letter
		{"LS1", "", false},
		{"12345", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := normalisePostcode(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("normalisePostcode(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestPostcodeAndTown(t *testing.T) {
	cases := []struct {
		name           string
		text           string
		postcode, town string
	}{
		{"same line after town", "Jane Doe\n12 Park Row, Leeds LS1 4AP", "LS1 4AP", "Leeds"},
		{"county between town and postcode", "Jane Doe\n3 Mill Lane, Headingley, Leeds, West Yorkshire, LS6 3AA", "LS6 3AA", "Leeds"},
		{"multi-line address", "Jane Doe\n14 Wellington Street\nLeeds\nLS1 4AP", "LS1 4AP", "Leeds"},
		{"labelled lines", "Address: 9 Bank Street\nTown: Sheffield\nPostcode: S1 2HE", "S1 2HE", "Sheffield"},
		{"town not in gazetteer", "Jane Doe\n2 Grove Road, Ilkley LS29 9DZ", "LS29 9DZ", "Ilkley"},
		{"all-caps town", "JANE DOE\n2 GROVE ROAD, ILKLEY, LS29 9DZ", "LS29 9DZ", "Ilkley"},
		{"street right before postcode gives no town", "Jane Doe\n22 Kirkstall Road LS5 3BQ", "LS5 3BQ", ""},
		{"lower case postcode", "Location: Birmingham b15 2tt", "B15 2TT", "Birmingham"},
		{"in a pipe list", "Jane Doe | Manchester M1 1AE | jane@example.com", "M1 1AE", "Manchester"},
		{"mixed case is not a postcode", "Contact: Ls1 4aP", "", ""},
		{"invalid area", "Jane Doe\n1 High Street, Leeds AA1 1AA", "", ""},
		{"address without postcode", "Jane Doe\n12 Park Row, Leeds", "", "Leeds"},
		{"employer address ignored", "Jane Doe\n\nWork Experience\nCarer, Sunrise Care Home, Leeds LS8 2AA (2015 - 2019)", "", ""},
		{"referee address ignored", "Jane Doe\nReferences\nMr Ben Hall, 1 Kings Road, York YO1 7HH", "", ""},
		{"town without postcode", "Jane Doe\nLeeds, West Yorkshire | jane@example.com", "", "Leeds"},
		{"labelled location", "Jane Doe\nLocation: Sheffield", "", "Sheffield"},
		{"town then country", "Jane Doe\nLeeds, United Kingdom | jane@example.com", "", "Leeds"},
		{"LinkedIn location under the name", "Contact\njane@example.com\n\nTop Skills\nCare Planning\n\nJane Doe\nStaff Nurse at Sunrise Care Home\nGlasgow, Scotland, United Kingdom\n\nSummary\nNurse.", "", "Glasgow"},
		{"town outside the header is not taken", "Jane Doe\n\nProfile\nI moved to Leeds in 2019.", "", ""},
		{"no address", "Jane Doe\njane@example.com", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parse(c.text)
			if deref(got.Postcode) != c.postcode || deref(got.Town) != c.town {
				t.Errorf("got postcode %q town %q, want %q %q", deref(got.Postcode), deref(got.Town), c.postcode, c.town)
			}
		})
	}
}

func TestNormaliseNI(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"AB123456C", "AB123456C", true},
		{"AB 12 34 56 C", "AB123456C", true},
		{"ab 123456 c", "AB123456C", true},
		{"JT987654B", "JT987654B", true},
		{"QQ123456C", "", false}, // Q is never a first letter
		{"DA123456A", "", false}, // D is never a first letter
		{"FA123456A", "", false},
		{"IA123456A", "", false},
		{"UA123456A", "", false},
		{"VA123456A", "", false},
		{"AO123456A", "", false}, // O is never a second letter
		{"AD123456A", "", false},
		{"AQ123456A", "", false},
		{"BG123456A", "", false}, // unallocated prefixes
		{"GB123456A", "", false},
		{"KN123456A", "", false},
		{"NK123456A", "", false},
		{"NT123456A", "", false},
		{"TN123456A", "", false},
		{"ZZ123456A", "", false},
		{"AB123456E", "", false}, // suffix is A-D
		{"AB12345C", "", false},
		{"AB1234567C", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := normaliseNI(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("normaliseNI(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestNINumberInText(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"labelled with spaces", "NI Number: AB 12 34 56 C", "AB123456C"},
		{"national insurance label", "National Insurance No. ab123456c", "AB123456C"},
		{"unlabelled", "Jane Doe | AB123456C", "AB123456C"},
		{"invalid prefix QQ", "NI: QQ 12 34 56 C", ""},
		{"first valid one wins", "NI: GB 12 34 56 A or JT 98 76 54 B", "JT987654B"},
		{"referee section ignored", "REFERENCES\nAB123456C", ""},
		{"none", "Jane Doe", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := deref(parse(c.text).NINumber); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestDateOfBirth(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"slashes", "Date of Birth: 14/03/1988", "1988-03-14"},
		{"dashes, two-digit year", "DOB: 14-03-88", "1988-03-14"},
		{"two-digit year this century", "DOB: 14-03-05", "2005-03-14"},
		{"two-digit year too young for this century", "DOB: 14-03-15", ""},
		{"dots", "D.O.B. 14.03.1988", "1988-03-14"},
		{"ordinal and month name", "Born: 14th March 1988", "1988-03-14"},
		{"month first", "Date of birth - March 14, 1988", "1988-03-14"},
		{"ISO", "DOB 1988-03-14", "1988-03-14"},
		{"abbreviated month", "Date of Birth: 14 Mar 1988", "1988-03-14"},
		{"next line in a table", "Date of Birth:\n14/03/1988", "1988-03-14"},
		{"born on", "Born on 2nd November 1979 in Leeds", "1979-11-02"},
		{"label after other fields", "Nationality: British | DOB: 02/11/1979", "1979-11-02"},
		{"unlabelled date is not a date of birth", "Jane Doe\n14/03/1988", ""},
		{"employment date is not a date of birth", "Started 01/04/2019 as Staff Nurse", ""},
		{"impossible day", "DOB: 31/02/1988", ""},
		{"impossible month", "DOB: 14/13/1988", ""},
		{"US order is not read as UK", "DOB: 03/14/1988", ""},
		{"future date", "DOB: 14/03/2099", ""},
		{"a child's age", "DOB: 01/01/2020", ""},
		{"too old", "DOB: 14/03/1850", ""},
		{"year only", "Born: 1988", ""},
		{"born without a date", "Born and raised in Leeds", ""},
		{"word containing dob", "Adobe Photoshop 14/03/2020", ""},
		{"none", "Jane Doe", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := deref(parse(c.text).DateOfBirth); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestExpandYear(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for yy, want := range map[int]int{88: 1988, 5: 2005, 12: 2012, 13: 1913, 99: 1999} {
		if got := expandYear(yy, now); got != want {
			t.Errorf("expandYear(%d) = %d, want %d", yy, got, want)
		}
	}
}
