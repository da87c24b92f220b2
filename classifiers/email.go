package classifiers

import (
	"regexp"
	"strings"
)

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+'\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b`)

// emails returns the candidate's e-mail addresses in order, deduplicated. Referees'
// addresses (references section) are someone else's personal data and are skipped.
func (d *document) emails() []string {
	var out []string
	seen := map[string]bool{}
	for i, l := range d.lines {
		if !d.body(i) || l.kind == KindReferences || !strings.Contains(l.text, "@") {
			continue
		}
		for _, m := range emailRe.FindAllString(l.text, -1) {
			if e, ok := normaliseEmail(m); ok && !seen[strings.ToLower(e)] {
				seen[strings.ToLower(e)] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// normaliseEmail trims, strips "mailto:", lowercases the domain (the local part is
// case-sensitive in principle, so it is kept) and rejects malformed addresses.
func normaliseEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	s = strings.Trim(s, "<>.,;:()[]'\"")
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return "", false
	}
	local = strings.TrimLeft(local, "'")
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") || len(s) > 254 {
		return "", false
	}
	e := local + "@" + strings.ToLower(domain)
	if emailRe.FindString(e) != e {
		return "", false
	}
	return e, true
}
