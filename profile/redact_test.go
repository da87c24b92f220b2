package profile

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactedRemovesEveryEvidenceString(t *testing.T) {
	name := "Eilidh MacLeod"
	c := Candidate{
		Name:       &name,
		Skills:     []string{"Care Planning", "UNISON steward"},
		Employment: []Employment{{Title: "Care Assistant", Employer: "Unison branch 42 of UNISON steward"}},
		SpecialCategories: []Tag{
			{Category: TradeUnionMembership, Evidence: "UNISON steward"},
			{Category: Health, Evidence: "   "}, // blank evidence must not blank the profile
		},
	}
	red := c.Redacted()
	out, _ := json.Marshal(red)
	if strings.Contains(string(out), "UNISON steward") {
		t.Errorf("evidence survived redaction: %s", out)
	}
	if !strings.Contains(string(out), "[special category: trade_union_membership]") || *red.Name != name {
		t.Errorf("redaction lost ordinary data or left no marker: %s", out)
	}
	if len(red.SpecialCategories) != 0 || len(c.SpecialCategories) != 2 || c.Skills[1] != "UNISON steward" {
		t.Error("Redacted changed the original or kept the tags")
	}
}
