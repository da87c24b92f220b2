package extractors

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

type emlWantPart struct {
	origin string
	format Format
	name   string // Fields.Name, "" for none
	text   string // Part.Text when checked
}

func TestEMLExtract(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		data      string
		lim       *Limits
		want      []emlWantPart
		checkText bool
		// wantProblems are matched on Origin only when reasons depend on extractors
		// written elsewhere (a fake PDF is corrupt or unsupported, depending).
		wantProblemOrigins []string
		wantProblems       []Problem
		wantErr            Reason
	}{
		{
			name: "two attachments: base64 RFC 2231 name, quoted-printable RFC 2047 name; body ignored",
			file: "eml/two_attachments.eml",
			want: []emlWantPart{
				{origin: "attachment hannah-cv.json", format: FormatJSONResume, name: "Hannah Whitfield"},
				{origin: "attachment référé.csv row 1", format: FormatCSV, name: "Marcus Reid"},
			},
		},
		{
			name:               "corrupt attachment is a problem, the other is still ingested",
			file:               "eml/corrupt_attachment.eml",
			want:               []emlWantPart{{origin: "attachment marcus.json", format: FormatJSONResume, name: "Marcus Reid"}},
			wantProblemOrigins: []string{"attachment broken.pdf"},
		},
		{
			name: "nested multipart: inline logo and photo ignored, QP JSON attachment used",
			file: "eml/nested_multipart.eml",
			want: []emlWantPart{{origin: "attachment marcus-cv.json", format: FormatJSONResume, name: "Marcus Reid"}},
		},
		{
			name: "CV pasted into a Latin-1 quoted-printable body", file: "eml/body_only.eml", checkText: true,
			want: []emlWantPart{{origin: "body", text: "Zoë Adeyemi\nzoe.adeyemi@example.com | +44 7700 900777\n\nExperience\nBarista, Harbour Cafe, 2022 - present"}},
		},
		{
			name: "HTML-only body converted to text", file: "eml/html_only.eml", checkText: true,
			want: []emlWantPart{{origin: "body", text: "Marcus Reid\n\nBarista at Harbour Cafe & host.\n\n- Latte art\n- Cash handling"}},
		},
		{
			name: "forwarded message extracted recursively", file: "eml/forwarded.eml",
			want: []emlWantPart{{origin: "attachment fwd.eml attachment cv.json", format: FormatJSONResume, name: "Marcus Reid"}},
		},
		{
			name: "forwarded message past the depth cap", file: "eml/forwarded.eml", lim: &Limits{MaxAttachmentDepth: 0},
			wantErr: ReasonUnsupported,
		},
		{name: "no attachment and an empty body", file: "eml/empty_body.eml", wantErr: ReasonNoText},
		{name: "an image as the only attachment", file: "eml/image_only.eml", wantErr: ReasonImage},
		{
			name:    "multipart whose boundary matches nothing",
			data:    "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=NOPE\r\n\r\nHello\r\n",
			wantErr: ReasonMalformed,
		},
		{
			name: "truncated message keeps the body it has",
			data: "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" +
				"--B\r\nContent-Type: text/plain\r\n\r\nMy CV: Barista, 2024 - present\r\n",
			want:         []emlWantPart{{origin: "body", text: "My CV: Barista, 2024 - present"}},
			checkText:    true,
			wantProblems: []Problem{{Origin: "body", Reason: ReasonCorrupt, Detail: "the message ends inside a MIME part"}},
		},
		{
			name: "unquoted file name with spaces, Windows-1252 body without a charset",
			data: "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=U\r\n\r\n" +
				"--U\r\nContent-Type: text/plain\r\n\r\nCaf\xe9\r\n" +
				"--U\r\nContent-Type: application/json\r\nContent-Disposition: attachment; filename=My CV.json\r\n\r\n" +
				"{\"basics\":{\"name\":\"Ada Lin\"}}\r\n--U--\r\n",
			want: []emlWantPart{{origin: "attachment My CV.json", format: FormatJSONResume, name: "Ada Lin"}},
		},
		{
			name: "undeclared 8-bit body read as Windows-1252", checkText: true,
			data: "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nCaf\xe9 manager, 2020 - present\r\n",
			want: []emlWantPart{{origin: "body", text: "Café manager, 2020 - present"}},
		},
		{
			name: "duplicate attachment names stay distinct; S/MIME signature ignored",
			data: "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; boundary=S\r\n\r\n" +
				"--S\r\nContent-Type: multipart/mixed; boundary=M\r\n\r\n" +
				"--M\r\nContent-Type: application/json; name=cv.json\r\n\r\n{\"basics\":{\"name\":\"Ada Lin\"}}\r\n" +
				"--M\r\nContent-Type: application/json; name=cv.json\r\n\r\n{\"basics\":{\"name\":\"Ben Hale\"}}\r\n" +
				"--M--\r\n--S\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n\r\nMIAGCSqGSIb3\r\n--S--\r\n",
			want: []emlWantPart{
				{origin: "attachment cv.json", format: FormatJSONResume, name: "Ada Lin"},
				{origin: "attachment cv.json (2)", format: FormatJSONResume, name: "Ben Hale"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			if tc.file != "" {
				data = structuredFixture(t, tc.file)
			}
			if f := Sniff(data); f != FormatEML {
				t.Fatalf("sniffed as %s", f)
			}
			lim := DefaultLimits
			if tc.lim != nil {
				lim = *tc.lim
			}
			doc, err := Extract(context.Background(), Input{Name: "inbox/msg.eml", Data: data}, lim)
			if tc.wantErr != "" {
				wantStructuredReason(t, err, tc.wantErr, "Marcus", "Hannah", "Zoë")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []emlWantPart
			for _, p := range doc.Parts {
				g := emlWantPart{origin: p.Origin, format: p.Format}
				if p.Fields.Name != nil {
					g.name = *p.Fields.Name
				}
				if tc.checkText {
					g.text = p.Text
				}
				got = append(got, g)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parts %+v\nwant  %+v", got, tc.want)
			}
			if tc.wantProblemOrigins != nil {
				var origins []string
				for _, p := range doc.Problems {
					origins = append(origins, p.Origin)
					if p.Reason == "" {
						t.Errorf("problem without a reason: %+v", p)
					}
				}
				if !reflect.DeepEqual(origins, tc.wantProblemOrigins) {
					t.Errorf("problem origins %v, want %v", origins, tc.wantProblemOrigins)
				}
			} else if !reflect.DeepEqual(doc.Problems, tc.wantProblems) {
				t.Errorf("problems %+v, want %+v", doc.Problems, tc.wantProblems)
			}
		})
	}
}

// TestEMLTextAttachment depends on the text extractor, written in parallel: either
// it extracts the attachment, or the attachment is a problem and the body is kept.
func TestEMLTextAttachment(t *testing.T) {
	doc, err := Extract(context.Background(), Input{Name: "msg.eml", Data: structuredFixture(t, "eml/text_attachment.eml")}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := registry[FormatText]; ok {
		if len(doc.Parts) != 1 || doc.Parts[0].Origin != "attachment cv.txt" || doc.Parts[0].Format != FormatText ||
			!strings.Contains(doc.Parts[0].Text, "Harbour Cafe") {
			t.Errorf("parts %+v", doc.Parts)
		}
		return
	}
	if len(doc.Parts) != 1 || doc.Parts[0].Origin != "body" || len(doc.Problems) != 1 || doc.Problems[0].Origin != "attachment cv.txt" {
		t.Errorf("parts %+v problems %+v", doc.Parts, doc.Problems)
	}
}

func TestEMLDepthCapCountsNestedMessages(t *testing.T) {
	// Wrap the forwarded message in two more layers: three e-mails inside the outer one.
	msg := structuredFixture(t, "eml/forwarded.eml")
	for i := 0; i < 2; i++ {
		msg = []byte("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=W" + string(rune('0'+i)) +
			"\r\n\r\n--W" + string(rune('0'+i)) + "\r\nContent-Type: message/rfc822\r\n\r\n" + string(msg) +
			"\r\n--W" + string(rune('0'+i)) + "--\r\n")
	}
	for _, tc := range []struct {
		depth   int
		wantErr bool
	}{{3, false}, {2, true}} {
		_, err := Extract(context.Background(), Input{Name: "deep.eml", Data: msg}, Limits{MaxAttachmentDepth: tc.depth})
		if (err != nil) != tc.wantErr {
			t.Errorf("depth %d: err %v", tc.depth, err)
		}
	}
}

func TestEMLMalformedHeader(t *testing.T) {
	_, err := emlExtractor{}.Extract(context.Background(), Input{Name: "x.eml", Data: []byte("From: a@example.com\r\nbroken header line\r\n\r\nbody")}, DefaultLimits)
	wantStructuredReason(t, err, ReasonMalformed)
}

func TestEMLFileName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"cv.pdf", "cv.pdf"},
		{"=?UTF-8?B?Y3YtWm/Dqy5wZGY=?=", "cv-Zoë.pdf"},
		{"=?ISO-8859-1?Q?cv-Zo=EB.pdf?=", "cv-Zoë.pdf"},
		{`C:\Users\someone\cv.docx`, "cv.docx"},
		{"../../etc/passwd", "passwd"},
		{"a\r\nb#c.pdf", "a__b_c.pdf"},
		{"  ", "part-1"},
	} {
		if got := emlFileName(tc.in, "part-1"); got != tc.want {
			t.Errorf("emlFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEMLDecodeBase64(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SGVsbG8=", "Hello"},
		{"SGVs\r\nbG8=", "Hello"},
		{"SGVsbG8", "Hello"},                 // padding lost
		{"SGk=SGk=", "HiHi"},                 // two encoders' output concatenated
		{"SGVsbG8gd29ybGQ*!", "Hello world"}, // junk skipped
		{"", ""},
	} {
		if got := emlDecodeBase64([]byte(tc.in)); !bytes.Equal(got, []byte(tc.want)) {
			t.Errorf("emlDecodeBase64(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzEML(f *testing.F) {
	structuredSeeds(f, "eml")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		in := Input{Name: "fuzz.eml", Data: data}
		doc, err := emlExtractor{}.Extract(ctx, in, DefaultLimits)
		// Attachments go through Extract to extractors written elsewhere; only a
		// panic in this package's structured extractors fails here.
		if err == nil {
			for i := range doc.Problems {
				if doc.Problems[i].Reason == ReasonPanic && !emlFuzzForeignPanic(doc.Problems[i].Detail) {
					t.Fatalf("panic: %+v", doc.Problems[i])
				}
				doc.Problems[i].Reason = ReasonCorrupt
			}
		} else if ReasonOf(err) == ReasonPanic && emlFuzzForeignPanic(err.Error()) {
			return
		}
		fuzzCheckDoc(t, doc, err)
		if err == nil {
			for _, p := range doc.Parts {
				if p.Origin != "body" && !strings.HasPrefix(p.Origin, "attachment ") {
					t.Fatalf("origin %q", p.Origin)
				}
			}
		}
	})
}

// emlFuzzForeignPanic reports a recovered panic of an extractor outside this
// change (PDF, DOCX, text, HTML).
func emlFuzzForeignPanic(detail string) bool {
	for _, f := range []Format{FormatPDF, FormatDOCX, FormatText, FormatHTML} {
		if strings.Contains(detail, string(f)+" extractor panicked") {
			return true
		}
	}
	return false
}
