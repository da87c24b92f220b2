package extractors

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

func init() { Register(FormatVacancyXML, vacancyXMLExtractor{}) }

// maxFeedJobs caps the jobs taken from one feed; a variable so tests can lower it.
var maxFeedJobs = 100_000

// maxFeedField caps one field's text: a runaway unclosed element must not collect
// the rest of the feed.
const maxFeedField = 1 << 20

// vacancyXMLFields maps lower-cased child elements of <job> (Indeed, ZipRecruiter,
// Adzuna, Totaljobs feed dialects) to Vacancy fields. <state> and <country> are
// dropped: Vacancy has no field for them.
var vacancyXMLFields = map[string]string{
	"title": vacTitle, "jobtitle": vacTitle,
	"referencenumber": vacReference, "reference": vacReference, "ref": vacReference,
	"jobid": vacReference, "job_id": vacReference, "id": vacReference, "requisitionid": vacReference,
	"date": vacPosted, "dateposted": vacPosted, "date_posted": vacPosted, "posted_at": vacPosted,
	"pubdate": vacPosted, "url": vacURL, "link": vacURL, "applyurl": vacURL,
	"company": vacEmployer, "employer": vacEmployer, "companyname": vacEmployer,
	"city": vacTown, "town": vacTown, "location": vacLocation,
	"postalcode": vacPostcode, "postcode": vacPostcode, "zip": vacPostcode, "zipcode": vacPostcode,
	"description": vacDescription, "body": vacDescription,
	"salary": vacSalary, "compensation": vacSalary,
	"jobtype": vacJobType, "job_type": vacJobType, "employmenttype": vacJobType,
	"category": vacCategory, "categories": vacCategory, "sector": vacCategory,
	"skills": vacSkills,
}

type vacancyXMLExtractor struct{}

// Extract streams the feed: feeds reach tens of megabytes, so no DOM is built.
func (vacancyXMLExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	d := xml.NewDecoder(bytes.NewReader(in.Data))
	// Feeds carry HTML entities (&nbsp;) and stray HTML in descriptions; a strict
	// decoder would reject most real ones.
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	d.CharsetReader = legacyCharsetReader

	doc := &Document{Format: FormatVacancyXML}
	var (
		depth, jobDepth = 0, -1
		field           string
		buf             strings.Builder
		cur             map[string]string
		jobs            int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			if len(doc.Vacancies) == 0 {
				return nil, Errorf(ReasonMalformed, "XML does not parse at line %d", line)
			}
			doc.Problems = append(doc.Problems, Problem{Origin: fmt.Sprintf("line %d", line),
				Reason: ReasonMalformed, Detail: "XML does not parse here; later jobs were skipped"})
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name := strings.ToLower(t.Name.Local)
			switch {
			case jobDepth < 0 && name == "job":
				jobs++
				if jobs > maxFeedJobs {
					line, _ := d.InputPos()
					doc.Problems = append(doc.Problems, Problem{Origin: fmt.Sprintf("line %d", line),
						Reason: ReasonTooLarge, Detail: fmt.Sprintf("more than %d jobs; the rest were skipped", maxFeedJobs)})
					return finishFeed(doc)
				}
				if jobs%256 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
				jobDepth, cur = depth, map[string]string{}
			case jobDepth >= 0 && depth == jobDepth+1:
				field = name
				buf.Reset()
			case field != "" && feedBlockTags[name]:
				buf.WriteByte('\n') // unescaped HTML inside a description
			}
		case xml.CharData:
			if field != "" && buf.Len()+len(t) <= maxFeedField {
				buf.Write(t)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			switch {
			case field != "" && depth > jobDepth+1 && name != "li" && name != "br" && name != "hr" && feedBlockTags[name]:
				buf.WriteByte('\n') // as crudeHTMLToText: a paragraph ends with a blank line
			case field != "" && depth == jobDepth+1:
				if target := vacancyXMLFields[field]; target != "" && cur[target] == "" {
					cur[target] = strings.TrimSpace(buf.String())
				}
				field = ""
			case depth == jobDepth:
				if feedHasValue(cur) {
					doc.Vacancies = append(doc.Vacancies, buildVacancy(cur))
				}
				jobDepth, cur = -1, nil
			}
			depth--
		}
	}
	return finishFeed(doc)
}

func finishFeed(doc *Document) (*Document, error) {
	if len(doc.Vacancies) == 0 {
		return nil, Errorf(ReasonNoText, "the feed holds no jobs")
	}
	return doc, nil
}

func feedHasValue(m map[string]string) bool {
	for _, v := range m {
		if v != "" {
			return true
		}
	}
	return false
}

// legacyCharsetReader decodes the legacy charsets feeds and mail declare (ISO-8859-1,
// Windows-1252, …) for encoding/xml and mime.
func legacyCharsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("unsupported charset %q", charset)
	}
	return transform.NewReader(input, enc.NewDecoder()), nil
}

// feedBlockTags end a line when HTML is converted to text.
var feedBlockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "table": true,
	"section": true, "article": true, "blockquote": true, "hr": true, "dd": true, "dt": true,
}

// crudeHTMLToText flattens HTML to text: tags dropped, block ends as newlines,
// entities decoded, script and style skipped. Good enough for feed descriptions and
// HTML-only mail bodies; the HTML extractor does a faithful job on HTML CVs.
func crudeHTMLToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return crudeTidyText(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch n := string(name); {
			case n == "script" || n == "style":
				skip++
			case n == "li":
				b.WriteString("\n- ")
			case feedBlockTags[n]:
				b.WriteByte('\n')
			case n == "td" || n == "th":
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch n := string(name); {
			case (n == "script" || n == "style") && skip > 0:
				skip--
			case n != "li" && feedBlockTags[n]: // the next <li> starts its own line
				b.WriteByte('\n')
			}
		}
	}
}

// crudeTidyText trims lines, collapses runs of spaces and of blank lines.
func crudeTidyText(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	blank := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
