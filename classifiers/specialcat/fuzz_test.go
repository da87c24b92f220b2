package specialcat

import (
	"testing"
	"unicode/utf8"
)

// FuzzDetect: no input panics, and every tag's offsets are valid and its evidence
// is exactly text[start:end].
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"I have type 1 diabetes.", "Religion: Muslim\n[x] Buddhist\n[ ] Sikh",
		"Do you have any unspent convictions?\nYes. I was convicted in 2012.",
		"As a Black British woman, I know.", "Member of UNISON", "I'm in the RMT",
		"Disabled?  [ ] Yes  [x] No", "Q1. Health: ", "A:", "[x]", "☒ ", "my", "I ’", "\xff\xfe",
		"Asthma ...... N\nDiabetes .. Y details: type 1", "x ...", "…… ", "Mixed:  [x] White and Asian",
		"Any convictions?\nYes\nIf yes, please give details:\nTheft, 2019", "Were you ever convicted (a\nb)?\nYes",
		"\"Is there any inherited\ncondition?\" I", "UCU (University", "Proud", "Out and proud",
		cv600,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tags := Detect(text)
		for _, tg := range tags {
			if tg.Start < 0 || tg.End > len(text) || tg.Start >= tg.End {
				t.Fatalf("bad span %d-%d of %d", tg.Start, tg.End, len(text))
			}
			if text[tg.Start:tg.End] != tg.Evidence {
				t.Fatalf("evidence differs from text at %d-%d", tg.Start, tg.End)
			}
			if utf8.ValidString(text) && !utf8.ValidString(tg.Evidence) {
				t.Fatalf("evidence cuts a rune at %d-%d", tg.Start, tg.End)
			}
		}
		checkOrder(t, tags)
	})
}
