package specialcat

import (
	"slices"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

func TestMentions(t *testing.T) {
	cases := []struct {
		text string
		want profile.Category // "" = none
	}{
		{"Client said he has epilepsy", profile.Health},
		{"unreliable: missed three shifts without notice", ""},
		{"asked not to be sent because of his diabetes", profile.Health},
		{"conviction for theft disclosed on DBS", profile.CriminalConvictions},
		{"rude to the client's receptionist", ""},
	}
	for _, c := range cases {
		got := Mentions(c.text)
		if c.want == "" && len(got) > 0 {
			t.Errorf("%q: %v, want none", c.text, got)
		}
		if c.want != "" && !slices.Contains(got, c.want) {
			t.Errorf("%q: %v, want %s", c.text, got, c.want)
		}
	}
}
