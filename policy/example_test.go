package policy

import (
	"os"
	"strings"
	"testing"
)

// The README's policy example is policy/examples/acme.yaml, verbatim, and it is valid.
func TestReadmeExampleIsValidAndCurrent(t *testing.T) {
	const path = "examples/acme.yaml"
	p, err := Load(path)
	if err != nil {
		t.Fatalf("the README example does not load: %v", err)
	}
	if p.ID != "acme" {
		t.Errorf("id = %q", p.ID)
	}
	example, _ := os.ReadFile(path)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(example)) {
		t.Error("README.md does not contain policy/examples/acme.yaml verbatim: update the README")
	}
}
