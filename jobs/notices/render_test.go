package notices

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/policy"
)

// profile adds a parsed profile for a source row.
func (f *fixture) profile(subj, profileID, name string) {
	f.exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, emails, phones, postcode, skills, employment, run_id)
		VALUES (?, ?, 'sha', 'pdf', ?, ['x@example.com'], ['+447700900111'], 'EH1 1YZ', ['Care Planning'],
		'[{"title":"Staff Nurse","employer":"Royal Infirmary","start":"2019-04","end":"present"}]', 1)`, profileID, subj, name)
}

func demoCandidate(t *testing.T) (*fixture, string) {
	f := newFixture(t)
	s := f.subject("aisha.kamara@example.com")
	p := f.source(s, "job_board:indeed", "2026-10-03 08:15:00")
	f.profile(s, p, "Aisha Kamara")
	f.special(s, p, "health")
	f.event(s, "applied", "2026-10-03")
	f.event(s, "disclosed", "2026-10-12")
	f.exec(`UPDATE events SET detail = '{"recipient":"Lothian Care Homes <Edinburgh>"}' WHERE subject_id = ? AND event = 'disclosed'`, s)
	f.exec(`UPDATE events SET detail = '{"vacancy":"SN-1"}' WHERE subject_id = ? AND event = 'applied'`, s)
	return f, s
}

func TestRenderedNoticeNamesTheBoardTheDateAndTheCategories(t *testing.T) {
	f, s := demoCandidate(t)
	pol, _ := policy.Preset("scotnursing")
	ctx := context.Background()
	out := t.TempDir()
	res, err := RenderDue(ctx, f.st.DB(), pol, day("2026-11-26"), out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subjects) != 1 || res.Subjects[0] != s || len(res.Files) != 3 {
		t.Fatalf("rendered %+v", res)
	}
	text, _ := os.ReadFile(filepath.Join(out, s+".txt"))
	for _, want := range []string{
		"Dear Aisha Kamara",
		"Indeed, 3 October 2026",
		"your name", "your contact details", "your employment history", "the vacancies you applied for",
		"health, including disability",
		"Lothian Care Homes <Edinburgh>, 12 October 2026",
		"ScotNursing Limited", "paulalickrish@scotnursing.com",
		"Legitimate interests", // a purpose with its lawful basis
		"No decision about you is made solely by automated means",
		"Information Commissioner's Office",
		"1 month",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	// The retention rule that applies to this work-seeker: the conduct-regulations floor.
	if !strings.Contains(string(text), "For you: kept at least until") {
		t.Errorf("the notice names no retention rule for the person:\n%s", text)
	}
	html, _ := os.ReadFile(filepath.Join(out, s+".html"))
	if !strings.Contains(string(html), "Lothian Care Homes &lt;Edinburgh&gt;") || strings.Contains(string(html), "<Edinburgh>") {
		t.Error("the HTML notice does not escape what it quotes")
	}
	eml, _ := os.ReadFile(filepath.Join(out, s+".eml"))
	msg, err := mail.ReadMessage(bytes.NewReader(eml))
	if err != nil {
		t.Fatal(err)
	}
	to, _ := mail.ParseAddress(msg.Header.Get("To"))
	if to == nil || to.Address != "aisha.kamara@example.com" || to.Name != "Aisha Kamara" {
		t.Errorf("To: %q", msg.Header.Get("To"))
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subj != "How ScotNursing holds your details" {
		t.Errorf("Subject: %q", subj)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Type"))
		if !strings.Contains(string(body), "Indeed, 3 October 2026") {
			t.Errorf("%s part lacks the source", p.Header.Get("Content-Type"))
		}
	}
	if len(parts) != 2 {
		t.Errorf("parts %v, want text and HTML", parts)
	}
	// Same store and day, same bytes.
	again := t.TempDir()
	if _, err := RenderDue(ctx, f.st.DB(), pol, day("2026-11-26"), again); err != nil {
		t.Fatal(err)
	}
	eml2, _ := os.ReadFile(filepath.Join(again, s+".eml"))
	if !bytes.Equal(eml, eml2) {
		t.Error("rendering twice gave different e-mails")
	}
}

func TestNothingRenderedOnceSent(t *testing.T) {
	f, s := demoCandidate(t)
	f.event(s, "notice_sent", "2026-10-20")
	pol, _ := policy.Preset("scotnursing")
	res, err := RenderDue(context.Background(), f.st.DB(), pol, day("2026-11-26"), t.TempDir())
	if err != nil || len(res.Subjects) != 0 {
		t.Errorf("after the notice was sent: %+v %v", res, err)
	}
}

func TestRenderNeedsANoticeTemplate(t *testing.T) {
	f, s := demoCandidate(t)
	pol, _ := policy.Preset("scotnursing")
	bare := *pol
	bare.NoticeTemplate = nil
	if _, err := Build(context.Background(), f.st.DB(), &bare, day("2026-11-26"), s); err == nil || !strings.Contains(err.Error(), "notice_template") {
		t.Errorf("no template: %v", err)
	}
}

func TestChannelName(t *testing.T) {
	for in, want := range map[string]string{"job_board:indeed": "Indeed", "job_board:cv-library": "CV-Library", "linkedin": "LinkedIn",
		"agency:brightstaff": "the recruitment agency Brightstaff", "referee": "a referee", "social:facebook": "Facebook",
		"job_board:jobsite": "Jobsite"} {
		if got := ChannelName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
