package classifiers

import (
	"regexp"
	"strings"
)

var linkRe = regexp.MustCompile(`(?i)(?:https?://|www\.|\b(?:[a-z]{2,3}\.)?linkedin\.com/|\bgithub\.com/)[^\s<>()"'\x60,;|\[\]{}]+`)

// links returns http(s) URLs, LinkedIn and GitHub profiles and bare www. addresses,
// normalised to https:// and deduplicated. Referees' links are skipped.
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
			if u, ok := normaliseLink(l.text[m[0]:m[1]]); ok && !seen[strings.ToLower(u)] {
				seen[strings.ToLower(u)] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// maybeLink is a cheap test that saves running the regexp on most lines.
// Every link the regexp accepts has "://", "www." or ".com/" in it.
func maybeLink(s string) bool {
	return strings.Contains(s, "://") || containsFold(s, "www.") || containsFold(s, ".com/")
}

// normaliseLink gives a link the https scheme, a lowercase host without "www." for
// LinkedIn and GitHub, and no trailing punctuation or slash.
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
	if h := strings.TrimPrefix(host, "www."); h == "linkedin.com" || h == "github.com" {
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
