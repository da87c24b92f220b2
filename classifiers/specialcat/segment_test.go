package specialcat

import (
	"reflect"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"terminal punctuation", "I have asthma. It is mild! Is it? Yes.", []string{"I have asthma.", "It is mild!", "Is it?", "Yes."}},
		{"abbreviation", "Referee: Dr. Patel, St. Mary's. She knows me.", []string{"Referee: Dr. Patel, St. Mary's.", "She knows me."}},
		{"initial", "J. Smith wrote it. Done.", []string{"J. Smith wrote it.", "Done."}},
		{"lines", "PROFILE\nNurse with five years\n\n- Drug round\n• Care plans", []string{"PROFILE", "Nurse with five years", "Drug round", "Care plans"}},
		{"wrapped line", "I have type 1\ndiabetes and a pump.", []string{"I have type 1\ndiabetes and a pump."}},
		{"crlf", "One line\r\nTwo line", []string{"One line", "Two line"}},
		{"decimal", "Grew sales 2.5 times.", []string{"Grew sales 2.5 times."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range splitSentences(c.text) {
				got = append(got, c.text[s.Start:s.End])
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	var keys []string
	text := "I’m CROHN'S-free & Students' Union, Sinn Féin type-1"
	for _, tk := range tokenize(text) {
		keys = append(keys, tk.key)
		if text[tk.start:tk.end] == "" {
			t.Fatalf("empty token")
		}
	}
	want := []string{"i'm", "crohn's", "free", "and", "students", "union", "sinn", "féin", "type", "1"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("got %q, want %q", keys, want)
	}
}

func TestApostropheVariants(t *testing.T) {
	for _, s := range []string{"I have Crohn's disease.", "I have Crohns disease.", "I have Crohn’s disease."} {
		if got := categoriesOf(s); len(got) != 1 {
			t.Errorf("%q: %v", s, got)
		}
	}
}
