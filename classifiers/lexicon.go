package classifiers

import (
	"embed"
	"strings"
	"sync"
)

// The word lists live in data files so that recruiters can read and extend them
// without touching code.
//
//go:embed data/*.txt data/*.tsv
var dataFS embed.FS

// readLines returns the non-empty, non-comment lines of an embedded data file.
func readLines(name string) []string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		// Only a build that dropped a data file gets here; the tests load every list.
		panic("classifiers: missing embedded data file " + name)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// lexicons holds every word list except the skills taxonomy.
type lexicons struct {
	headings         map[string]headingInfo // normalised heading -> kind
	stopwords        map[string]bool        // lowercased words that are never part of a name
	postnominals     map[string]bool
	jobWords         map[string]bool
	employerWords    *phraseTrie
	orgWords         map[string]bool // lowercased words of organisation names: never a person's
	institutionWords *phraseTrie
	qualWords        *phraseTrie
	towns            map[string]string // lowercased -> canonical spelling
	counties         map[string]bool   // lowercased
	postcodeAreas    map[string]bool
	employmentTerms  map[string]bool // contract and place words in job lines
}

// lex loads the lists on first use so that programs that never parse a CV pay nothing.
var lex = sync.OnceValue(func() *lexicons {
	l := &lexicons{
		headings:         loadHeadings(),
		stopwords:        lowerSet(readLines("heading_stopwords.txt")),
		postnominals:     lowerSet(readLines("postnominals.txt")),
		jobWords:         lowerSet(readLines("job_title_words.txt")),
		employerWords:    newPhraseTrie(readLines("employer_words.txt")),
		orgWords:         lowerSet(readLines("organisation_words.txt")),
		institutionWords: newPhraseTrie(readLines("institution_words.txt")),
		qualWords:        newPhraseTrie(readLines("qualification_words.txt")),
		towns:            map[string]string{},
		counties:         lowerSet(readLines("uk_counties.txt")),
		postcodeAreas:    map[string]bool{},
		employmentTerms:  lowerSet(readLines("employment_terms.txt")),
	}
	for _, t := range readLines("uk_towns.txt") {
		l.towns[strings.ToLower(t)] = t
	}
	for _, line := range readLines("postcode_areas.txt") {
		for _, a := range strings.Fields(line) {
			l.postcodeAreas[a] = true
		}
	}
	return l
})

func lowerSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[strings.ToLower(w)] = true
	}
	return m
}

// headingInfo is what the headings list says about one heading variant.
type headingInfo struct {
	kind string
	// weak headings ("Key achievements", "Training") also appear as sub-headings
	// inside a job; they do not end an experience section that goes on with more jobs.
	weak bool
}

func loadHeadings() map[string]headingInfo {
	m := map[string]headingInfo{}
	for _, l := range readLines("headings.tsv") {
		f := strings.Split(l, "\t")
		if len(f) < 2 {
			panic("classifiers: malformed line in headings.tsv")
		}
		m[normaliseHeading(f[1])] = headingInfo{kind: f[0], weak: len(f) > 2 && f[2] == "weak"}
	}
	return m
}
