package extractors

import (
	"context"
	"strings"
	"testing"
)

// cvHTML is an HTML CV in the shape CV builders export.
var cvHTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>CV – Jane Doe</title>
<style>body { font-family: sans-serif }</style><script>track("cv")</script></head>
<body>
<header><h1>Jane Doe</h1><p>jane.doe@example.com &middot; 07700&nbsp;900123 &middot; Leeds</p></header>
<section><h2>Experience</h2>
<table><tr><th>Role</th><th>Employer</th><th>Years</th></tr>
<tr><td>Senior Engineer</td><td>Acme Ltd</td><td>2019 &ndash; present</td></tr>
<tr><td>Engineer</td><td>Beta plc</td><td>2015 &ndash; 2019</td></tr></table>
<p>Led the ingestion team; cut processing cost by 40%.</p></section>
<section><h2>Skills</h2><ul><li>Go</li><li>SQL<ul><li>PostgreSQL</li></ul></li><li>Kubernetes</li></ul></section>
<div style="display: none">template placeholder</div>
</body></html>`

func TestHTMLExtract(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{
			name: "CV with head, table and nested list",
			html: cvHTML,
			want: "Jane Doe\n\njane.doe@example.com · 07700 900123 · Leeds\n\nExperience\n\n" +
				"Role | Employer | Years\nSenior Engineer | Acme Ltd | 2019 – present\nEngineer | Beta plc | 2015 – 2019\n\n" +
				"Led the ingestion team; cut processing cost by 40%.\n\nSkills\n\n- Go\n- SQL\n  - PostgreSQL\n- Kubernetes",
		},
		{"items wrapping paragraphs, empty items", "<ul><li><p>Go</p></li><li></li><li><p>SQL</p><p>and more</p></li></ul>", "- Go\n- SQL\n\nand more"},
		{"pre keeps blank lines", "<div><pre>a\n\n  b</pre></div>", "a\n\n  b"},
		{"entities", `<p>Caf&eacute; &amp; bar &lt;tag&gt; &#8211; &#x20AC;5 &pound;30k</p>`, "Café & bar <tag> – €5 £30k"},
		{"whitespace collapses, inline elements join", "<p>  Senior\n   <b>Engineer</b>,<i> Acme</i>  </p>", "Senior Engineer, Acme"},
		{"br and br br", "<div>one<br>two<br><br>three</div>", "one\ntwo\n\nthree"},
		{"pre keeps layout", "<div><pre>Go      5 years\nSQL     3 years</pre></div>", "Go      5 years\nSQL     3 years"},
		{"invisible elements", `<body><noscript>enable JS</noscript><template><p>t</p></template><p hidden>h</p><p>seen</p></body>`, "seen"},
		{"cells with blocks stay on their row", "<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr></table>", "a b | c"},
		{"text without any block", "<body>just text</body>", "just text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extText(t, "cv.html", []byte(tt.html)); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestHTMLCharsets(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"meta windows-1252", `<html><head><meta charset="windows-1252"></head><body><p>caf` + "\xe9 \x96 \xa3" + `30k</p></body></html>`, "café – £30k"},
		{"http-equiv iso-8859-1", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>Jos` + "\xe9" + `</p></body></html>`, "José"},
		{"undeclared legacy bytes default to windows-1252", `<html><body><p>Ren` + "\xe9e \x93CV\x94" + `</p></body></html>`, "Renée “CV”"},
		{"valid UTF-8 wins over a wrong declaration", `<html><head><meta charset="windows-1252"></head><body><p>Zoë</p></body></html>`, "Zoë"},
		{"UTF-8 BOM", "\xEF\xBB\xBF<html><body><p>Zoë</p></body></html>", "Zoë"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extText(t, "cv.html", []byte(tt.data)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHTMLBadInput(t *testing.T) {
	tests := []struct {
		name   string
		html   string
		reason Reason
		detail string
	}{
		{"nothing visible", "<html><head><title>Jane Doe CV</title><script>var a</script></head><body> </body></html>", ReasonNoText, ""},
		{"absurd nesting", "<html><body>" + strings.Repeat("<div>", 600) + "Jane</body></html>", ReasonMalformed, "nesting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extRun(t, "cv.html", []byte(tt.html), DefaultLimits)
			extWantReason(t, err, tt.reason, tt.detail, "Jane")
		})
	}
}

func FuzzHTML(f *testing.F) {
	f.Add([]byte(cvHTML))
	f.Add([]byte(`<html><head><meta charset="windows-1252"></head><body><p>caf` + "\xe9" + `</p><pre>a  b</pre><br><br></body></html>`))
	f.Add([]byte("<div><table><tr><td><ul><li>x<td>y</table></div>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		extFuzz(t, "cv.html", data, DefaultLimits)
	})
}

func BenchmarkExtractHTML(b *testing.B) {
	body := strings.Repeat(cvHTML[strings.Index(cvHTML, "<header>"):strings.Index(cvHTML, "</body>")], 3)
	data := []byte("<!DOCTYPE html><html><head><title>CV</title></head><body>" + body + "</body></html>")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(context.Background(), Input{Name: "cv.html", Data: data}, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
