package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batches 11 and 12 (h3v), each tested in new
// wording (none of these texts is in the labelled set).
func TestBlind11to12ClassesStayQuiet(t *testing.T) {
	expectQuiet(t, []quietCase{
		// A withheld answer in one word, as drop-downs and exports write it.
		{"declined", "Equality monitoring\nEthnic group: Declined\nReligion or belief: Declined"},
		{"i decline", "Sexual orientation - I decline"},
		{"decline to answer", "Are you a member of a trade union?  Decline to answer"},
		{"choose not to say", "Disability: choose not to say"},
		// A bilingual form: one version refuses, the other says the same.
		{"bilingual refusal", "Crefydd / Religion: Gwell peidio ateb / Prefer not to answer"},
		{"bilingual refusal, irish", "Eitneacht / Ethnicity: B'fhearr liom gan a rá / Prefer not to say"},
		// A key=value export: an empty value answers nothing, "no" denies.
		{"empty export values", "# export v2\nunion_member=\nparty_member=\nconvictions_declared=no"},
		{"export refusal", "ethnic_origin=prefer_not_to_say\nreligion=declined"},
		// A counterfactual: "if I had …, I would …".
		{"if i had a conviction", "If I had a caution on my record I would have said so at the start."},
		{"if i did have a condition", "If I did have a disability I'd tell you, but there is nothing to report."},
	})
}

func TestBlind11to12ClassesStillTag(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"bilingual answer naming a faith", "Crefydd / Religion: Sikhiaeth / Sikh", profile.ReligiousBeliefs},
		{"export value naming a faith", "# export v2\nreligion=Sikh\nunion_member=", profile.ReligiousBeliefs},
		{"the disclosure before the if", "I received a caution in 2016 for shoplifting; if you need details I would be glad to explain.", profile.CriminalConvictions},
		{"if i had my time again", "If I had my time again I would still say my epilepsy made me tougher.", profile.Health},
	})
}
