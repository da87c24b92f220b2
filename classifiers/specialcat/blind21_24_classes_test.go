package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error known on blind batches 21-24 (h30's notes, section 11), in
// new wording (none of these texts is in the labelled set), in every learned mode.

// TestCamelCaseExportKeys: a key written in CamelCase names its category as the
// dotted and underscored keys of h30 do.
func TestCamelCaseExportKeys(t *testing.T) {
	expectTaggedInEveryMode(t, []struct {
		name, text string
		want       profile.Category
	}{
		{"orientation", "Applicant.SexualOrientation = Gay man", profile.SexLifeOrientation},
		{"religion", "Candidate.ReligionBelief = Quaker", profile.ReligiousBeliefs},
		{"union colon", "emp.UnionMembership: NEU", profile.TradeUnionMembership},
	})
	expectQuietInEveryMode(t, []struct{ name, text string }{
		{"refused", "Applicant.SexualOrientation = PreferNotToSay"},
		{"product names", "Skills: JavaScript, PowerPoint, LinkedIn Recruiter"},
	})
}

// TestCSVHeaderAndPositionalRows: a header row names each column's question; the
// rows under it answer cell by cell, and the header alone discloses nothing.
func TestCSVHeaderAndPositionalRows(t *testing.T) {
	expectTaggedInEveryMode(t, []struct {
		name, text string
		want       profile.Category
	}{
		{"ethnicity cell", "PersonRef,Age,EthnicGroup,Faith\nP-208,41,Black British - Caribbean,Pentecostal", profile.RacialEthnicOrigin},
		{"faith cell", "PersonRef,Age,EthnicGroup,Faith\nP-208,41,Black British - Caribbean,Pentecostal", profile.ReligiousBeliefs},
		{"second row", "ref,sexual_orientation,criminal_record\n77,Prefer not to say,None\n78,Gay,Spent caution 2016", profile.CriminalConvictions},
	})
	expectQuietInEveryMode(t, []struct{ name, text string }{
		{"header alone", "id,ethnicity,religion,disability,union"},
		{"refusals and noes", "PersonRef,EthnicGroup,Faith,Disability\nP-311,Prefer not to say,None,No"},
	})
}

// TestCSVCellEvidenceIsTheCell: the evidence of a positional answer is its own
// cell, not the row (the row's other cells are not special-category data).
func TestCSVCellEvidenceIsTheCell(t *testing.T) {
	text := "PersonRef,Age,EthnicGroup,Faith\nP-208,41,Black British - Caribbean,Pentecostal"
	for _, g := range Detect(text) {
		if want := map[profile.Category]string{profile.RacialEthnicOrigin: "Black British - Caribbean", profile.ReligiousBeliefs: "Pentecostal"}[g.Category]; g.Evidence != want || text[g.Start:g.End] != want {
			t.Errorf("%s: evidence %q at %d-%d, want %q", g.Category, g.Evidence, g.Start, g.End, want)
		}
	}
}

// TestRelativesUnionOfficeStaysQuiet: a relative's union office is theirs, not
// the candidate's membership, for the model's sure additions too.
func TestRelativesUnionOfficeStaysQuiet(t *testing.T) {
	expectQuietInEveryMode(t, []struct{ name, text string }{
		{"mum steward", "My mum was a Unison steward for years and I grew up hearing about it."},
		{"father convenor", "My father served as convenor for the GMB at the plant."},
		{"uncle chair", "My uncle was Unite branch chair; I learned negotiation at his kitchen table."},
		{"dad rep", "Dad was an NUT rep all his career."},
		{"brother organiser", "My brother is the FBU's regional organiser."},
		{"partner steward", "My partner is a shop steward with Usdaw."},
	})
}

// TestFaithAndPoliticsInPassing: a practice or a campaign mentioned on the way to
// something else still discloses it; the rules need a stated membership, the
// vetted mode's model finds the practice.
func TestFaithAndPoliticsInPassing(t *testing.T) {
	expectTaggedInEveryMode(t, []struct {
		name, text string
		want       profile.Category
	}{
		{"stood as candidate", "I stood as a Liberal Democrat candidate in the 2022 council elections.", profile.PoliticalOpinions},
		{"leafleting", "I leaflet for Plaid Cymru at election time.", profile.PoliticalOpinions},
	})
	detect, err := DetectorFor(LearnedVetted)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"I help run the food bank at our mosque on Fridays.",
		"After Mass on Sundays I coach the under-10s.",
	} {
		if categories(detect(text))[profile.ReligiousBeliefs] == "" {
			t.Errorf("vetted: no religious_beliefs tag on %q", text)
		}
	}
}
