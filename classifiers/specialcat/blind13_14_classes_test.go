package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batches 13 and 14 (h3p), each tested in new
// wording (none of these texts is in the labelled set).
func TestBlind13to14ClassesStayQuiet(t *testing.T) {
	expectQuiet(t, []quietCase{
		// A work history's duty lines name the conditions of patients and
		// clients, with no subject: job vocabulary, not the writer's health.
		{"coder's duties", "Work history\nClinical Coder - Northfield Community Hospital (2019 - 2024)\n- Coded stroke and epilepsy admissions for the tariff returns\n- Cut the asthma clinic backlog by a third"},
		{"kitchen duties", "Employment\nHead Cook - Lakeside Care Home (2016 - 2021)\n- Prepared special diets including coeliac and diabetic"},
		{"prison officer", "Career history\nCustody Officer, HMP Eastmoor (2015 - 2020)\n- Halved self-harm incidents on B wing in two years"},
		// People around the candidate, named in passing (found by h3v while
		// choosing test texts; not in the labelled set).
		{"neighbours' worship", "My neighbours go to the mandir every Saturday."},
		{"housemates' worship", "My housemates go to Mass on Sundays."},
		// A union named as someone else's office, the object of the work.
		{"with the rep", "Liaised with the NEU rep on cover arrangements during the strike days."},
		{"to the convenor", "Escalated the rota dispute to the Unite convenor, 2022."},
		// "straight" as an adverb of time or way.
		{"straight afterwards", "I'm happy to travel up to Leeds straight afterwards."},
		{"straight after", "I'm fine to come in straight after the school run."},
		// A reference letter: its "I" is the referee.
		{"referee's faith", "Character reference for Tomasz Bielski\nI have supervised Tomasz at the depot since 2021. I am a lay reader at my parish church, and he helped us move the food bank last winter."},
		{"referee's health", "Subject: Reference - Priya Nair (Lab Technician)\nSorry this is late: I have been off with shingles for three weeks. Priya was our most careful technician."},
	})
}

func TestBlind13to14ClassesStillTag(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"a subject-less line outside the work history", "Work history\nClinical Coder - Northfield Community Hospital (2019 - 2024)\n- Coded stroke admissions\n\nAdditional information\n- Type 1 diabetic, well controlled with a pump", profile.Health},
		{"the candidate in a reference", "Employment reference for Dana Clarke\nDana joined us in 2019. She has type 1 diabetes, which she manages without fuss, and her attendance has been excellent.", profile.Health},
		{"a form's reference number is no letter", "Reference number: HR-4471\nI have type 1 diabetes, well controlled.", profile.Health},
		{"the candidate's own office", "I am the NEU rep for our school and sit on the branch committee.", profile.TradeUnionMembership},
		{"straight as an identity", "I'm straight, for what it's worth, and married to Tom.", profile.SexLifeOrientation},
		{"the candidate with the neighbours", "My neighbours and I go to the gurdwara every Sunday.", profile.ReligiousBeliefs},
		{"first person inside the work history", "Work history\nClinical Coder - Northfield Community Hospital (2019 - 2024)\n- Coded stroke admissions; I left in 2024 after my own epilepsy diagnosis", profile.Health},
	})
}
