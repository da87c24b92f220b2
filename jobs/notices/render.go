package notices

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/policy"
)

//go:embed notice.txt.tmpl
var textTemplate string

//go:embed notice.html.tmpl
var htmlTemplate string

var (
	textTmpl = template.Must(template.New("notice.txt").Parse(textTemplate))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("notice.html").Parse(htmlTemplate))
)

// Notice is one person's Article 14 notice: the controller's template filled in with
// what is actually held about them.
type Notice struct {
	SubjectID  string
	Name       string // "" when no name is held
	Email      string
	Date       string // "26 November 2026"
	Controller policy.Controller
	Template   policy.NoticeTemplate
	// Categories of personal data held, in words; special categories by category only.
	Categories        []string
	SpecialCategories []string
	// Sources are the third parties the data came from, with the day it first arrived.
	Sources []string
	// Recipients are those the data was disclosed to, with the day.
	Recipients []string
	// Retention says which retention rules apply to the person and what they mean.
	Retention     []string
	RespondWithin string
	Complaint     string
}

// Build gathers one subject's notice as of the day.
func Build(ctx context.Context, db *sql.DB, pol *policy.Policy, asOf time.Time, subject string) (*Notice, error) {
	if pol.NoticeTemplate == nil {
		return nil, fmt.Errorf("policy %s has no notice_template: add one to render notices", pol.ID)
	}
	n := &Notice{SubjectID: subject, Date: longDate(asOf), Controller: pol.Controller, Template: *pol.NoticeTemplate,
		RespondWithin: pol.Rights.RespondWithin.String(), Complaint: pol.NoticeTemplate.ComplaintText()}
	var name, email sql.NullString
	err := db.QueryRowContext(ctx, `SELECT s.subject_ref,
		(SELECT p.name FROM profiles p JOIN sources src ON src.profile_id = p.profile_id
		 WHERE p.subject_id = s.subject_id AND p.name IS NOT NULL ORDER BY src.received_at DESC, p.profile_id LIMIT 1)
		FROM subjects s WHERE s.subject_id = ?`, subject).Scan(&email, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no subject %s", subject)
	}
	if err != nil {
		return nil, err
	}
	n.Name, n.Email = name.String, email.String
	if n.Categories, err = categoriesHeld(ctx, db, subject); err != nil {
		return nil, err
	}
	if n.SpecialCategories, err = specialCategories(ctx, db, subject); err != nil {
		return nil, err
	}
	if n.Sources, err = thirdPartySources(ctx, db, subject, asOf); err != nil {
		return nil, err
	}
	if n.Recipients, err = recipients(ctx, db, subject, asOf); err != nil {
		return nil, err
	}
	ex, err := jobs.Explain(ctx, db, pol, asOf, subject)
	if err != nil {
		return nil, err
	}
	n.Retention = retention(ex)
	return n, nil
}

// categoriesHeld names the kinds of profile data held, in words.
func categoriesHeld(ctx context.Context, db *sql.DB, subject string) ([]string, error) {
	var name, email, phone, address, ni, dob, skills, employment, education, links, applied bool
	err := db.QueryRowContext(ctx, `SELECT
		coalesce(bool_or(name IS NOT NULL), false), coalesce(bool_or(len(emails) > 0), false), coalesce(bool_or(len(phones) > 0), false),
		coalesce(bool_or(postcode IS NOT NULL OR town IS NOT NULL), false), coalesce(bool_or(ni_number IS NOT NULL), false),
		coalesce(bool_or(date_of_birth IS NOT NULL), false), coalesce(bool_or(len(skills) > 0), false),
		coalesce(bool_or(json_array_length(employment) > 0), false), coalesce(bool_or(json_array_length(education) > 0), false),
		coalesce(bool_or(len(links) > 0), false),
		EXISTS (SELECT 1 FROM events WHERE subject_id = ? AND event = 'applied')
		FROM profiles WHERE subject_id = ?`, subject, subject).Scan(&name, &email, &phone, &address, &ni, &dob, &skills,
		&employment, &education, &links, &applied)
	if err != nil {
		return nil, fmt.Errorf("categories held: %w", err)
	}
	var out []string
	add := func(held bool, what string) {
		if held {
			out = append(out, what)
		}
	}
	add(name, "your name")
	add(email || phone, "your contact details (e-mail address, phone number)")
	add(address, "where you live (town, postcode)")
	add(ni, "your National Insurance number")
	add(dob, "your date of birth")
	add(skills, "your skills")
	add(employment, "your employment history")
	add(education, "your education and qualifications")
	add(links, "links to your online profiles")
	add(applied, "the vacancies you applied for")
	return out, nil
}

// categoryNames are the special categories in words (Art. 9 and 10).
var categoryNames = map[string]string{
	"racial_ethnic_origin":        "racial or ethnic origin",
	"political_opinions":          "political opinions",
	"religious_beliefs":           "religious or philosophical beliefs",
	"trade_union_membership":      "trade union membership",
	"genetic":                     "genetic data",
	"biometric":                   "biometric data",
	"health":                      "health, including disability",
	"sex_life_sexual_orientation": "sex life or sexual orientation",
	"criminal_convictions":        "criminal convictions and offences",
}

// specialCategories names the categories found, never the evidence.
func specialCategories(ctx context.Context, db *sql.DB, subject string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT category FROM restricted WHERE subject_id = ? ORDER BY category`, subject)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		if w, ok := categoryNames[c]; ok {
			c = w
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// thirdPartySources lists where data not from the person came from: "Indeed, 3 October 2026".
func thirdPartySources(ctx context.Context, db *sql.DB, subject string, asOf time.Time) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT channel, min(CAST(received_at AS DATE)) AS d FROM sources
		WHERE subject_id = ? AND NOT obtained_from_subject AND CAST(received_at AS DATE) <= CAST(? AS DATE)
		GROUP BY channel ORDER BY d, channel`, subject, asOf.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ch string
		var d time.Time
		if err := rows.Scan(&ch, &d); err != nil {
			return nil, err
		}
		out = append(out, ChannelName(ch)+", "+longDate(d))
	}
	return out, rows.Err()
}

// recipients lists disclosures so far: "Lothian Care Homes, 12 October 2026".
func recipients(ctx context.Context, db *sql.DB, subject string, asOf time.Time) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT json_extract_string(detail, '$.recipient') AS r, min(at) AS d FROM events
		WHERE subject_id = ? AND event = 'disclosed' AND at <= CAST(? AS DATE) GROUP BY r ORDER BY d, r`, subject, asOf.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r sql.NullString
		var d time.Time
		if err := rows.Scan(&r, &d); err != nil {
			return nil, err
		}
		out = append(out, r.String+", "+longDate(d))
	}
	return out, rows.Err()
}

// retention describes the rules that apply to the person: those for their kind of
// subject whose conditions hold, with the notice's own sentence.
func retention(ex *jobs.Explanation) []string {
	var out []string
	for _, r := range ex.Rules {
		if !r.ForSubject || r.Kind == "follow_up" || len(r.FailedConditions) > 0 || r.SuspendedBy != "" || r.AnchorDate == "" {
			continue
		}
		line := strings.TrimSpace(r.Source)
		switch {
		case r.Kind == "floor":
			line += fmt.Sprintf(" (For you: kept at least until %s.)", longDay(r.DueDate))
		case r.Action != "":
			line += fmt.Sprintf(" (For you: %s on or after %s.)", actionWords[r.Action], longDay(r.DueDate))
		}
		out = append(out, line)
	}
	return out
}

var actionWords = map[string]string{
	"delete": "deleted", "anonymise": "anonymised", "archive": "archived",
	"request_consent": "we will ask whether you want us to keep your details", "keep": "kept",
}

// ChannelName is how a notice names a source channel.
func ChannelName(channel string) string {
	kind, name, _ := strings.Cut(channel, ":")
	known := map[string]string{"indeed": "Indeed", "totaljobs": "Totaljobs", "reed": "Reed", "cv-library": "CV-Library",
		"cvlibrary": "CV-Library", "gumtree": "Gumtree", "s1": "s1jobs", "s1jobs": "s1jobs", "monster": "Monster",
		"facebook": "Facebook", "instagram": "Instagram", "twitter": "Twitter", "x": "X", "nhsjobs": "NHS Jobs"}
	pretty := known[strings.ToLower(name)]
	if pretty == "" && name != "" {
		pretty = strings.ToUpper(name[:1]) + name[1:]
	}
	switch kind {
	case "job_board", "social":
		return pretty
	case "agency":
		return "the recruitment agency " + pretty
	case "linkedin":
		return "LinkedIn"
	case "referee":
		return "a referee"
	case "former_employer":
		return "a former employer"
	case "public_profile":
		return "a public online profile"
	}
	return channel
}

func longDate(d time.Time) string { return d.UTC().Format("2 January 2006") }

func longDay(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return longDate(d)
}

// Text is the plain-text notice.
func (n *Notice) Text() (string, error) {
	var b strings.Builder
	err := textTmpl.Execute(&b, n)
	return b.String(), err
}

// HTML is the notice as an HTML page.
func (n *Notice) HTML() (string, error) {
	var b strings.Builder
	err := htmlTmpl.Execute(&b, n)
	return b.String(), err
}

// EML is a ready-to-send e-mail (multipart: text and HTML), dated by the notice's day so
// the same notice gives the same bytes.
func (n *Notice) EML(asOf time.Time) ([]byte, error) {
	text, err := n.Text()
	if err != nil {
		return nil, err
	}
	html, err := n.HTML()
	if err != nil {
		return nil, err
	}
	from := n.Template.From
	if from == "" {
		from = n.Controller.Contact
	}
	boundary := "cvetl-notice-" + n.SubjectID
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", (&mail.Address{Name: n.Controller.Name, Address: from}).String())
	fmt.Fprintf(&b, "To: %s\r\n", (&mail.Address{Name: n.Name, Address: n.Email}).String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", n.Template.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 9, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <notice-%s-%s@cvetl.invalid>\r\n", n.SubjectID, asOf.Format("20060102"))
	fmt.Fprintf(&b, "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=%q\r\n\r\n", boundary)
	for _, part := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.typ)
		qp := quotedprintable.NewWriter(&b)
		if _, err := qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}

// Rendered is what RenderDue wrote.
type Rendered struct {
	Subjects []string `json:"subjects"`
	Files    []string `json:"files"`
	// NoEmail are subjects with no e-mail address: no .eml, send the text by post.
	NoEmail []string `json:"no_email"`
}

// RenderDue writes <dir>/<subject_id>.{txt,html,eml} for every subject owed a notice
// on the day (status due or overdue).
func RenderDue(ctx context.Context, db *sql.DB, pol *policy.Policy, asOf time.Time, dir string) (Rendered, error) {
	var res Rendered
	rows, err := Evaluate(ctx, db, asOf)
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Owed() && !seen[r.SubjectID] {
			seen[r.SubjectID] = true
			res.Subjects = append(res.Subjects, r.SubjectID)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	for _, subject := range res.Subjects {
		n, err := Build(ctx, db, pol, asOf, subject)
		if err != nil {
			return res, fmt.Errorf("notice for %s: %w", subject, err)
		}
		text, err := n.Text()
		if err != nil {
			return res, err
		}
		html, err := n.HTML()
		if err != nil {
			return res, err
		}
		files := []struct {
			ext  string
			body []byte
		}{{"txt", []byte(text)}, {"html", []byte(html)}}
		if n.Email == "" {
			res.NoEmail = append(res.NoEmail, subject)
		} else {
			eml, err := n.EML(asOf)
			if err != nil {
				return res, err
			}
			files = append(files, struct {
				ext  string
				body []byte
			}{"eml", eml})
		}
		for _, f := range files {
			path := filepath.Join(dir, subject+"."+f.ext)
			if err := os.WriteFile(path, f.body, 0o600); err != nil {
				return res, err
			}
			res.Files = append(res.Files, path)
		}
	}
	return res, nil
}
