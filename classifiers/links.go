package classifiers

import (
	"regexp"
	"strings"
)

var linkRe = regexp.MustCompile(`(?i)(?:https?://|www\.|\b(?:[a-z]{2,3}\.)?(?:linkedin|github|indeed)\.com/)[^\s<>()"'\x60,;|\[\]{}]+`)

// urlContRe is a wrapped link's continuation at the start of the next line.
var urlContRe = regexp.MustCompile(`^[A-Za-z0-9\-._~/?#=&%+]+`)

// links returns http(s) URLs, LinkedIn, GitHub and Indeed profiles and bare www.
// addresses, normalised to https:// and deduplicated. Referees' links are skipped.
// A profile link written twice, once with a tracking query string, is kept once.
func (d *document) links() []string {
	var out []string
	seen := map[string]bool{}
	for i, l := range d.lines {
		if !d.body(i) || l.kind == KindReferences || !maybeLink(l.text) {
			continue
		}
		for _, m := range linkRe.FindAllStringIndex(l.text, -1) {
			if m[0] > 0 && strings.ContainsRune("@.", rune(l.text[m[0]-1])) {
				continue // the domain of an e-mail address, or part of a longer host
			}
			raw := l.text[m[0]:m[1]]
			if m[1] == len(l.text) && i+1 < len(d.lines) && d.body(i+1) {
				raw += linkContinuation(raw, d.lines[i+1].text)
			}
			u, ok := normaliseLink(raw)
			if k := linkKey(u); ok && !seen[k] {
				seen[k] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// linkContinuation returns the rest of a link that a line break cut: the next line's
// first word, when the link ends where no link can ("indeed.com/r/Jane-") or ends
// in a slash and the next word looks like a path ("abc123", "in/jane-doe").
func linkContinuation(link, next string) string {
	tail := link[len(link)-1]
	cont := urlContRe.FindString(next)
	if host, _, _ := strings.Cut(cont, "/"); cont == "" || maybeLink(cont) || strings.Contains(host, ".") {
		return "" // nothing, or a link of its own ("linkedin.com/in/…", "example.org/cv")
	}
	switch {
	case strings.IndexByte("-_=&?", tail) >= 0:
		return cont
	case tail == '/' && strings.ContainsAny(cont, "0123456789/"):
		return cont
	}
	return ""
}

// linkKey is what two links share when they are the same: case is ignored, and for
// profile sites so is the query string ("?isid=…" tracking).
func linkKey(u string) string {
	k := strings.ToLower(u)
	if profileHost(k) {
		k, _, _ = strings.Cut(k, "?")
	}
	return k
}

// profileHost reports a normalised link to a LinkedIn, GitHub or Indeed page.
func profileHost(u string) bool {
	host, _, _ := strings.Cut(strings.TrimPrefix(u, "https://"), "/")
	return host == "linkedin.com" || host == "github.com" || host == "indeed.com" ||
		strings.HasSuffix(host, ".linkedin.com") || strings.HasSuffix(host, ".indeed.com")
}

// maybeLink is a cheap test that saves running the regexp on most lines.
// Every link the regexp accepts has "://", "www." or ".com/" in it.
func maybeLink(s string) bool {
	return strings.Contains(s, "://") || containsFold(s, "www.") || containsFold(s, ".com/")
}

// normaliseLink gives a link the https scheme, a lowercase host without "www." for
// LinkedIn, GitHub and Indeed, and no trailing punctuation or slash.
func normaliseLink(s string) (string, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), ".,:;!?'\"")
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "https://"):
		s = s[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		s = s[len("http://"):]
	}
	host, path, _ := strings.Cut(s, "/")
	host = strings.ToLower(host)
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return "", false
	}
	if h := strings.TrimPrefix(host, "www."); h == "linkedin.com" || h == "github.com" || h == "indeed.com" {
		host = h
	}
	u := "https://" + host
	if path = strings.TrimRight(path, "/"); path != "" {
		u += "/" + path
	}
	return u, true
}

// containsFold reports whether s contains the lower-case ASCII sub, ignoring case,
// without allocating a lowercased copy of s.
func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		ok := true
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
