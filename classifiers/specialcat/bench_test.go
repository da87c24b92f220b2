package specialcat

import (
	"strings"
	"testing"
)

// cv600 is a 600-word CV with one disclosure and several traps, the shape the
// ingest pipeline sees.
var cv600 = func() string {
	head := `Grace Nwachukwu RMN
Registered Mental Health Nurse
Southampton SO15 | grace.n@example.net | 07700 900102

PERSONAL STATEMENT
Registered Mental Health Nurse with eight years on acute adult wards. I hold a caseload of patients with schizophrenia, bipolar disorder and psychosis and I am skilled in de-escalation, risk assessment and care planning.

CAREER HISTORY
Band 6 Mental Health Nurse, Solent Vale NHS Foundation Trust — 2019 to present
- Coordinate care for 20 inpatients, including patients detained under the Mental Health Act.
- Lead the ward's physical health clinic: ECGs, bloods and diabetes monitoring for patients on clozapine.
- Responsible for the morning drug round and the controlled drugs register.
`
	job := `Staff Nurse, Harbourside Mental Health Services — 2016 to 2019
- Delivered CBT-informed groups for service users with depression and anxiety.
- Managed sickness absence and return-to-work meetings for the nursing team.
- Worked with the Health and Safety Officer on ligature risk audits and fire drills.
- Built strong links with local churches, mosques and community groups in Church Street.
`
	tail := `
ADDITIONAL INFORMATION
I have type 1 diabetes, well controlled with an insulin pump. Full UK driving licence. Enhanced DBS on the Update Service.

REFERENCES
Pastor Samuel Adebayo, Elim Pentecostal Church.
`
	var b strings.Builder
	b.WriteString(head)
	for len(strings.Fields(b.String())) < 560 {
		b.WriteString(job)
	}
	b.WriteString(tail)
	return b.String()
}()

func BenchmarkDetect600Words(b *testing.B) {
	lexicon()
	b.SetBytes(int64(len(cv600)))
	for b.Loop() {
		Detect(cv600)
	}
	b.ReportMetric(float64(len(strings.Fields(cv600))), "words")
}

// BenchmarkDetectNoTerms is a CV with nothing to tag: the common case.
func BenchmarkDetectNoTerms(b *testing.B) {
	text := strings.Repeat("Warehouse operative with forklift licence and a clean record of picking accuracy. ", 50)
	lexicon()
	for b.Loop() {
		Detect(text)
	}
}

// BenchmarkDetectWithBackstop600Words is Detect plus the learned backstop
// (config special_categories.learned: backstop, off by default) on the same CV.
func BenchmarkDetectWithBackstop600Words(b *testing.B) {
	benchLearned(b, LearnedBackstop)
}

// BenchmarkDetectUnion600Words is the rules plus the model at its model-alone
// thresholds (learned: union): every category's weights are scored.
func BenchmarkDetectUnion600Words(b *testing.B) {
	benchLearned(b, LearnedUnion)
}

// BenchmarkDetectVetted600Words is learned: vetted: the union plus the model's
// veto on the rules' weak tags (every sentence is scored once for both).
func BenchmarkDetectVetted600Words(b *testing.B) {
	benchLearned(b, LearnedVetted)
}

func benchLearned(b *testing.B, mode LearnedMode) {
	detect, err := DetectorFor(mode)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(cv600)))
	for b.Loop() {
		detect(cv600)
	}
}

// BenchmarkParseEmbeddedModel is the one-off cost, per process, of loading the
// embedded model when a learned mode is on.
func BenchmarkParseEmbeddedModel(b *testing.B) {
	b.SetBytes(int64(len(learnedFile)))
	for b.Loop() {
		if _, err := ParseModel(learnedFile); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkContextChecksEverySentence600Words is the worst case of the union's
// context checks: a model that proposes every sentence of the CV, so every
// sentence is checked (compare with ContextChecks off).
func BenchmarkContextChecksEverySentence600Words(b *testing.B) {
	for _, on := range []bool{false, true} {
		m := toyModel(0)
		m.ContextChecks = on
		b.Run(map[bool]string{false: "off", true: "on"}[on], func(b *testing.B) {
			b.SetBytes(int64(len(cv600)))
			for b.Loop() {
				m.Detect(cv600)
			}
		})
	}
}
