package apply

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"
)

// matcher recognises erased people's identifiers in any text by keyed hashes, so that a
// verification can run later without the store keeping the identifiers themselves.
// Strong identifiers (an e-mail, a phone number, an NI number) count alone; a name
// counts only together with the same person's postcode or date of birth in one row.
type matcher struct {
	key    []byte
	people []person
}

type person struct {
	subjectID string
	deleted   bool              // no row may be keyed by the subject id any more (not so when anonymised)
	strong    map[string]string // hash -> kind
	names     map[string]bool
	context   map[string]bool // postcodes and dates of birth
}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phoneRe = regexp.MustCompile(`\+?\d[\d \-()]{8,16}\d`)
	niRe    = regexp.MustCompile(`(?i)\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b`)
)

func newMatcher(key []byte) *matcher { return &matcher{key: key} }

func (m *matcher) hash(kind, v string) string {
	h := hmac.New(sha256.New, m.key)
	h.Write([]byte(kind + ":" + v))
	return kind + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// add registers a person; hashes returns the keyed hashes to store for them.
func (m *matcher) add(id Identity, deleted bool) (hashes []string) {
	p := person{subjectID: id.SubjectID, deleted: deleted, strong: map[string]string{}, names: map[string]bool{}, context: map[string]bool{}}
	for _, e := range id.Emails {
		p.strong[m.hash("e", normEmail(e))] = "e-mail"
	}
	for _, ph := range id.Phones {
		if n := normPhone(ph); len(n) >= 10 {
			p.strong[m.hash("p", n)] = "phone"
		}
	}
	for _, ni := range id.NINumbers {
		p.strong[m.hash("n", normNI(ni))] = "NI number"
	}
	// A cell holding exactly the identifier counts even where the pattern would not
	// find it in running text (a phone written oddly, a temporary NI number).
	for _, v := range append(append([]string{}, id.Phones...), id.NINumbers...) {
		if t := normText(v); len(t) >= 6 {
			p.strong[m.hash("t", t)] = "identifier"
		}
	}
	for _, n := range id.Names {
		p.names[m.hash("t", normText(n))] = true
	}
	for _, c := range append(append([]string{}, id.Postcodes...), id.Births...) {
		p.context[m.hash("t", normText(c))] = true
	}
	m.people = append(m.people, p)
	for h := range p.strong {
		hashes = append(hashes, h)
	}
	for h := range p.names {
		hashes = append(hashes, h)
	}
	for h := range p.context {
		hashes = append(hashes, h)
	}
	return dedupe(hashes)
}

// addHashes registers a person known only by stored hashes (on-demand verification).
func (m *matcher) addHashes(subjectID string, deleted bool, hashes []string) {
	p := person{subjectID: subjectID, deleted: deleted, strong: map[string]string{}, names: map[string]bool{}, context: map[string]bool{}}
	for _, h := range hashes {
		switch {
		case strings.HasPrefix(h, "e:"):
			p.strong[h] = "e-mail"
		case strings.HasPrefix(h, "p:"):
			p.strong[h] = "phone"
		case strings.HasPrefix(h, "n:"):
			p.strong[h] = "NI number"
		case strings.HasPrefix(h, "t:"):
			// Names and context share a kind: a stored hash does not say which it was,
			// so any two of them in one row count.
			p.names[h] = true
			p.context[h] = true
		}
	}
	m.people = append(m.people, p)
}

// row is what one row (or line) of a sink contains, as keyed hashes.
type row struct {
	tokens map[string]bool
}

// hashRow hashes the identifiers found in a row's cells.
func (m *matcher) hashRow(cells []string) row {
	r := row{tokens: map[string]bool{}}
	for _, c := range cells {
		if c == "" {
			continue
		}
		r.tokens[m.hash("t", normText(c))] = true
		for _, e := range emailRe.FindAllString(c, -1) {
			r.tokens[m.hash("e", normEmail(e))] = true
		}
		for _, p := range phoneRe.FindAllString(c, -1) {
			if n := normPhone(p); len(n) >= 10 {
				r.tokens[m.hash("p", n)] = true
			}
		}
		for _, ni := range niRe.FindAllString(c, -1) {
			r.tokens[m.hash("n", normNI(ni))] = true
		}
	}
	return r
}

// hits says which people a row identifies, and by what.
func (m *matcher) hits(r row) []hit {
	var out []hit
	for _, p := range m.people {
		for h, kind := range p.strong {
			if r.tokens[h] {
				out = append(out, hit{subjectID: p.subjectID, what: kind})
				break
			}
		}
		for h := range p.names {
			if !r.tokens[h] {
				continue
			}
			for c := range p.context {
				if c != h && r.tokens[c] {
					out = append(out, hit{subjectID: p.subjectID, what: "name with postcode or date of birth"})
					break
				}
			}
			break
		}
	}
	return out
}

type hit struct{ subjectID, what string }

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func normPhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "44") && len(d) == 12 {
		d = "0" + d[2:]
	}
	return d
}

func normNI(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

func normText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
