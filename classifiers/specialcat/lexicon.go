package specialcat

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/cvetl/cvetl/profile"
)

// The word lists live in data files so that a reviewer can read and extend them
// without touching code.
//
//go:embed data/*.txt
var dataFS embed.FS

// cat is a category's index into catalogue.cats.
type cat uint8

const nCats = 9

// catFiles names each category's lexicon file, in the order of their indexes.
var catFiles = [nCats]struct {
	file string
	cat  profile.Category
}{
	{"health.txt", profile.Health},
	{"religion.txt", profile.ReligiousBeliefs},
	{"ethnicity.txt", profile.RacialEthnicOrigin},
	{"politics.txt", profile.PoliticalOpinions},
	{"union.txt", profile.TradeUnionMembership},
	{"orientation.txt", profile.SexLifeOrientation},
	{"genetic.txt", profile.Genetic},
	{"biometric.txt", profile.Biometric},
	{"criminal.txt", profile.CriminalConvictions},
}

// cueFlags are what a context phrase does (data/cues.txt).
type cueFlags uint16

const (
	cueFirstPerson cueFlags = 1 << iota
	cuePossessive
	cueThirdParty
	cueNegation
	cueTopic
	cuePredicate
	cueClauseBreak
	cueCandidatePronoun // he/she in an agency profile of the candidate
	cueMasculine        // he, his, him: the candidate's pronoun or someone else's
	cueFeminine         // she, her, hers
)

// termClass says what context a category term needs (see the category files).
type termClass uint8

const (
	clsTerm       termClass = iota + 1 // the candidate as subject
	clsIdentity                        // and an identity predicate: "I am a …"
	clsPractice                        // and "my" or a practice verb: "I attend church"
	clsOrg                             // and a membership cue: "member of UNISON"
	clsWeak                            // and a support cue in the sentence
	clsPossessive                      // "my probation officer"
	clsHeritage                        // a heritage cue: "of Nigerian heritage"
	clsPersonal                        // the candidate named as subject, never a bare CV line
	clsLabel                           // a form label asking about the category
	clsLabelAny                        // a form label where any answer discloses
	clsLabelTerm                       // a form label only when its answer names a term of the category
)

var classNames = map[string]termClass{
	"term": clsTerm, "identity": clsIdentity, "practice": clsPractice, "org": clsOrg,
	"weak": clsWeak, "possessive": clsPossessive, "heritage": clsHeritage,
	"personal": clsPersonal,
}

// role is one meaning of a phrase for one category.
type role struct {
	cat   cat
	class termClass
}

// entry is one phrase of the lexicon with everything it means.
type entry struct {
	words    []string
	caseMode uint8    // 0 any case, 1 capitalised ("=Unite"), 2 exact ("==bi")
	surface  []string // caseMode 2: the words as they must be written
	trap     bool
	notOf    uint16 // categories it names a non-disclosure of ([not_disclosure]: "fixed penalty")
	cue      cueFlags
	catCue   uint16 // categories for which the phrase is a cue
	roles    []role
}

// catInfo is what one category file says about the category.
type catInfo struct {
	cat     profile.Category
	name    string // short name used in detector names: "health", "union"
	implied bool   // a CV line without a subject may be the candidate's
	heads   map[string]bool
}

// catalogue is every embedded list, loaded once.
type catalogue struct {
	cats      [nCats]catInfo
	phrases   *matcher // terms, cues and traps for the sentence detectors
	labels    *matcher // form labels (roles with clsLabel/clsLabelAny/clsLabelTerm)
	answers   *matcher // refusals, "well" and "yes" answers, by role cat
	headings  *matcher // form section headings
	heads     map[string]bool
	group     map[string]bool
	selfNouns map[string]bool
	passive   map[string]bool
	preps     map[string]bool // topic prepositions before a subject-less term
	function  map[string]bool // words that end a term's noun phrase
	verbAfter map[string]bool // a verb after a subject-less term: a sentence about it
	modals    map[string]bool // a modal after a generic term: a rule about it
	devices   map[string]bool // the writer's own gadgets: "my phone"
	since     map[string]bool // after a negated term: "not had a seizure since 2019"
	jobTitles map[string]bool // "nurse", "caseworker": a line naming a job

	personalHeads map[string]bool // heads that stay personal after "my": "my MS diagnosis"
	effectVerbs   map[string]bool // "affects", "limits": "Dyslexia affects my spelling"
	languages     map[string]bool // ethnic groups that are languages too: "Tamil", "Punjabi"
	course        map[string]bool // a condition's course: "stable", "flare-ups" (health.txt)

	// Gendered partner nouns ("husband") and gender nouns ("woman"), as
	// cueMasculine or cueFeminine, for the same-sex partner rule (partner.go).
	partners map[string]cueFlags
	genders  map[string]cueFlags
}

// Answer kinds, stored in an answers entry's catCue.
const (
	ansRefusal uint16 = 1 << iota
	ansWell
	ansYes
)

// Heading kinds, stored in a headings entry's catCue.
const (
	headEO uint16 = 1 << iota
	headDeclaration
	headProfile // an agency's profile of one candidate
)

var lexicon = sync.OnceValue(func() *catalogue {
	c, err := loadCatalogue()
	if err != nil {
		// Only a broken data file gets here, and the tests load every one.
		panic("specialcat: " + err.Error())
	}
	return c
})

func loadCatalogue() (*catalogue, error) {
	c := &catalogue{}
	phrases, labels, answers, headings := newBuilder(), newBuilder(), newBuilder(), newBuilder()
	err := eachLine("cues.txt", func(section, line string) error {
		switch section {
		case "first_person":
			phrases.add(line, func(e *entry) { e.cue |= cueFirstPerson })
		case "possessive":
			phrases.add(line, func(e *entry) { e.cue |= cuePossessive })
		case "third_party":
			// "my sister's epilepsy" is hers as much as "my sister has epilepsy".
			phrases.add(line, func(e *entry) { e.cue |= cueThirdParty })
			phrases.add(line+"'s", func(e *entry) { e.cue |= cueThirdParty })
		case "negation":
			phrases.add(line, func(e *entry) { e.cue |= cueNegation })
		case "topic":
			phrases.add(line, func(e *entry) { e.cue |= cueTopic })
		case "predicate":
			phrases.add(line, func(e *entry) { e.cue |= cuePredicate })
		case "candidate_pronoun":
			phrases.add(line, func(e *entry) { e.cue |= cueCandidatePronoun })
		case "masculine":
			phrases.add(line, func(e *entry) { e.cue |= cueMasculine })
		case "feminine":
			phrases.add(line, func(e *entry) { e.cue |= cueFeminine })
		case "history":
			// A phrase that only shadows the negation inside it.
			phrases.add(line, func(*entry) {})
		case "clause_break":
			phrases.add(line, func(e *entry) { e.cue |= cueClauseBreak })
		case "passive":
			c.passive = addWord(c.passive, line)
		case "head":
			c.heads = addWord(c.heads, line)
		case "group":
			c.group = addWord(c.group, line)
		case "self_noun":
			c.selfNouns = addWord(c.selfNouns, line)
		case "preposition":
			c.preps = addWord(c.preps, line)
		case "since":
			c.since = addWord(c.since, line)
		case "verb_after":
			c.verbAfter = addWord(c.verbAfter, line)
		case "personal_device":
			c.devices = addWord(c.devices, line)
		case "modal":
			// A rule's verb is also a verb after a subject-less term.
			c.modals = addWord(c.modals, line)
			c.verbAfter = addWord(c.verbAfter, line)
		case "effect_verb":
			c.effectVerbs = addWord(c.effectVerbs, line)
		case "personal_head":
			c.personalHeads = addWord(c.personalHeads, line)
		case "job_title":
			c.jobTitles = addWord(c.jobTitles, line)
		case "function_word":
			c.function = addWord(c.function, line)
		default:
			return fmt.Errorf("unknown section [%s]", section)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, f := range catFiles {
		ci := cat(i)
		info := catInfo{cat: f.cat, heads: map[string]bool{}}
		err := eachLine(f.file, func(section, line string) error {
			if v, ok := strings.CutPrefix(line, "@name "); ok {
				info.name = strings.TrimSpace(v)
				return nil
			}
			if v, ok := strings.CutPrefix(line, "@implied "); ok {
				info.implied = strings.TrimSpace(v) == "yes"
				return nil
			}
			switch section {
			case "head":
				info.heads[foldKey(line)] = true
			case "language":
				c.languages = addWord(c.languages, line)
			case "course":
				c.course = addWord(c.course, line)
			case "partner_male", "partner_female", "gender_male", "gender_female":
				g := cueMasculine
				if strings.HasSuffix(section, "_female") {
					g = cueFeminine
				}
				m := &c.genders
				if strings.HasPrefix(section, "partner_") {
					m = &c.partners
				}
				if *m == nil {
					*m = map[string]cueFlags{}
				}
				(*m)[foldKey(line)] = g
			case "trap":
				phrases.add(line, func(e *entry) { e.trap = true })
			case "not_disclosure":
				// A trap that, as a form answer, says the category's answer is no.
				phrases.add(line, func(e *entry) { e.trap, e.notOf = true, e.notOf|1<<ci })
			case "cue":
				phrases.add(line, func(e *entry) { e.catCue |= 1 << ci })
			default:
				cls, ok := classNames[section]
				if !ok {
					return fmt.Errorf("unknown section [%s]", section)
				}
				phrases.add(line, func(e *entry) { e.roles = append(e.roles, role{ci, cls}) })
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if info.name == "" {
			return nil, fmt.Errorf("%s: no @name", f.file)
		}
		c.cats[i] = info
	}
	err = eachLine("forms.txt", func(section, line string) error {
		switch section {
		case "refusal":
			answers.add(line, func(e *entry) { e.catCue |= ansRefusal })
		case "well":
			answers.add(line, func(e *entry) { e.catCue |= ansWell })
		case "yes":
			answers.add(line, func(e *entry) { e.catCue |= ansYes })
		case "eo_form":
			headings.add(line, func(e *entry) { e.catCue |= headEO })
		case "declaration":
			headings.add(line, func(e *entry) { e.catCue |= headDeclaration })
		case "candidate_profile":
			headings.add(line, func(e *entry) { e.catCue |= headProfile })
		default:
			ci, ok := c.catIndex(profile.Category(section))
			if !ok {
				return fmt.Errorf("unknown section [%s]", section)
			}
			cls := clsLabel
			if l, any := strings.CutPrefix(line, "!"); any {
				line, cls = l, clsLabelAny
			} else if l, term := strings.CutPrefix(line, "~"); term {
				line, cls = l, clsLabelTerm
			}
			labels.add(line, func(e *entry) { e.roles = append(e.roles, role{ci, cls}) })
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.phrases, c.labels, c.answers, c.headings = phrases.build(), labels.build(), answers.build(), headings.build()
	return c, nil
}

func (c *catalogue) catIndex(pc profile.Category) (cat, bool) {
	for i, f := range catFiles {
		if f.cat == pc {
			return cat(i), true
		}
	}
	return 0, false
}

// eachLine calls fn for every non-blank, non-comment line of a data file with the
// [section] it is in.
func eachLine(name string, fn func(section, line string) error) error {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return err
	}
	section := ""
	for n, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			section = l[1 : len(l)-1]
			continue
		}
		if err := fn(section, l); err != nil {
			return fmt.Errorf("%s line %d: %w", name, n+1, err)
		}
	}
	return nil
}

func addWord(m map[string]bool, w string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	m[foldKey(w)] = true
	return m
}
