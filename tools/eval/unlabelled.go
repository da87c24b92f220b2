package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// cvFiles lists the PDF, DOCX and text files matching the globs, sorted.
func cvFiles(dir string, globs ...string) ([]string, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	var out []string
	for _, g := range globs {
		m, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("no CV files in %s: %w", dir, os.ErrNotExist)
	}
	return out, nil
}

// fillRows reports, for files with no gold, how many were extracted and how many
// have each field filled.
func fillRows(ds string, files []string, d *Diag) ([]Row, map[string]profile.Candidate, error) {
	fields := []struct {
		name   string
		filled func(profile.Candidate) bool
	}{
		{"name", func(c profile.Candidate) bool { return c.Name != nil }},
		{"email", func(c profile.Candidate) bool { return len(c.Emails) > 0 }},
		{"phone", func(c profile.Candidate) bool { return len(c.Phones) > 0 }},
		{"links", func(c profile.Candidate) bool { return len(c.Links) > 0 }},
		{"skills", func(c profile.Candidate) bool { return len(c.Skills) > 0 }},
		{"employment", func(c profile.Candidate) bool { return len(c.Employment) > 0 }},
		{"education", func(c profile.Candidate) bool { return len(c.Education) > 0 }},
	}
	rows := []Row{{Dataset: ds, Field: "extracted", Metric: Fill, N: len(files)}}
	for _, f := range fields {
		rows = append(rows, Row{Dataset: ds, Field: f.name + " filled", Metric: Fill, N: len(files)})
	}
	got := map[string]profile.Candidate{}
	for _, p := range files {
		c, ok, err := analyseFile(p, d)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue
		}
		got[p] = c
		rows[0].Pred++
		for i, f := range fields {
			rows[i+1].Pred += b2i(f.filled(c))
		}
	}
	return rows, got, nil
}

func runOmkar(corpus string, d *Diag) ([]Row, error) {
	dir := filepath.Join(corpus, "omkarpathak-resumes")
	files, err := cvFiles(dir, "*/*.pdf", "*/*.docx")
	if err != nil {
		return nil, err
	}
	rows, got, err := fillRows("omkarpathak", files, d)
	if err != nil {
		return nil, err
	}
	return append(rows, omkarAgreement(dir, got)...), nil
}

// omkarAgreement compares with the outputs the author documented for his CV (two
// versions). That output is another parser's, not gold: the rows say "agree".
func omkarAgreement(dir string, got map[string]profile.Candidate) []Row {
	name := Row{Dataset: "omkarpathak", Field: "name vs author's parser", Metric: Agree}
	email := Row{Dataset: "omkarpathak", Field: "email vs author's parser", Metric: Agree}
	phone := Row{Dataset: "omkarpathak", Field: "phone vs author's parser", Metric: Agree}
	for _, sub := range []string{"ResumeParser", "pyresparser"} {
		b, err := os.ReadFile(filepath.Join(dir, sub, "OmkarResume.documented_output.json"))
		if err != nil {
			continue
		}
		var doc struct {
			Name, Email  string
			MobileNumber string `json:"mobile_number"`
		}
		if json.Unmarshal(b, &doc) != nil {
			continue
		}
		c := got[filepath.Join(dir, sub, "OmkarResume.pdf")]
		agree(&name, doc.Name, ptrSlice(c.Name), fold)
		agree(&email, doc.Email, c.Emails, strings.ToLower)
		agree(&phone, doc.MobileNumber, c.Phones, lastDigits)
	}
	return []Row{name, email, phone}
}

// agree counts one document: n if the other parser gave a value, pred if we did,
// corr if any of ours equals it after f.
func agree(r *Row, want string, have []string, f func(string) string) {
	if want == "" {
		return
	}
	r.N++
	if len(have) > 0 {
		r.Pred++
	}
	for _, h := range have {
		if f(h) == f(want) {
			r.Corr++
			return
		}
	}
}

func ptrSlice(s *string) []string {
	if s == nil {
		return nil
	}
	return []string{*s}
}

// lastDigits keeps a phone's last ten digits, dropping country codes.
func lastDigits(s string) string {
	var d []rune
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d = append(d, r)
		}
	}
	return string(d[max(0, len(d)-10):])
}

func runOtherUnlabelled(corpus string, d *Diag) ([]Row, error) {
	var files []string
	for _, p := range []string{
		"klair-resume-parser-samples/resume.pdf",
		"klair-resume-parser-samples/resume.txt",
		"klair-resume-parser-samples/resume_from_doc.docx",
		"openresume-samples/laverne-resume.pdf",
		"dataturks-resume-ner/samples/sample_input.pdf",
	} {
		p = filepath.Join(corpus, p)
		if _, err := os.Stat(p); err != nil {
			return nil, err
		}
		files = append(files, p)
	}
	rows, _, err := fillRows("other-unlabelled", files, d)
	return rows, err
}
