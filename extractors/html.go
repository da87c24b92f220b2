package extractors

import (
	"bytes"
	"context"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

func init() { Register(FormatHTML, htmlExtractor{}) }

// htmlExtractor keeps the text a browser would show, with block structure as
// line breaks, list items as "- " lines and table rows as " | "-joined lines.
type htmlExtractor struct{}

func (htmlExtractor) Extract(ctx context.Context, in Input, _ Limits) (*Document, error) {
	src, err := decodeHTML(in.Data)
	if err != nil {
		return nil, err
	}
	return htmlDocument(ctx, src)
}

// decodeHTML returns the document as UTF-8. Valid UTF-8 is taken as UTF-8 even
// if a meta tag claims otherwise (mislabelled pages are common, and for ASCII
// the two agree); otherwise the declared charset applies, defaulting to
// Windows-1252 as browsers do.
func decodeHTML(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	enc, name, _ := charset.DetermineEncoding(data, "")
	if name == "utf-8" {
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", Errorf(ReasonEncoding, "HTML does not decode as its charset %s", name)
	}
	return string(out), nil
}

// htmlDocument extracts the visible text of an HTML document held as UTF-8.
func htmlDocument(ctx context.Context, src string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// The parser refuses only absurd nesting (over 512 open elements).
		return nil, Errorf(ReasonMalformed, "HTML does not parse: nesting too deep")
	}
	w := &htmlWalker{ctx: ctx}
	w.children(root)
	if w.err != nil {
		return nil, w.err
	}
	return textDocument(FormatHTML, w.out.String())
}

// htmlWalker writes the visible text of a parsed tree into out.
type htmlWalker struct {
	ctx   context.Context
	out   lineBuilder
	pre   int // depth inside <pre>: whitespace is kept
	lists int // depth of nested lists, for indenting items
	nodes int
	err   error
}

// htmlBlockBreak is the break around block elements: 2 for a paragraph gap, 1 for a line.
var htmlBlockBreak = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Hr: 2, atom.Table: 2, atom.Figure: 2,
	atom.Div: 1, atom.Section: 1, atom.Article: 1, atom.Header: 1, atom.Footer: 1,
	atom.Nav: 1, atom.Aside: 1, atom.Main: 1, atom.Address: 1, atom.Ul: 1, atom.Ol: 1,
	atom.Dl: 1, atom.Dt: 1, atom.Dd: 1, atom.Form: 1, atom.Fieldset: 1, atom.Legend: 1,
	atom.Figcaption: 1, atom.Details: 1, atom.Summary: 1, atom.Caption: 1, atom.Center: 1,
	atom.Tr: 1, atom.Body: 1, atom.Option: 1,
}

// htmlInvisible elements hold no text a reader of the page sees.
var htmlInvisible = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Title: true, atom.Select: true,
}

func (w *htmlWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil && w.err == nil; c = c.NextSibling {
		w.node(c)
	}
}

func (w *htmlWalker) node(n *html.Node) {
	if w.nodes++; w.nodes%4096 == 0 {
		w.err = w.ctx.Err()
	}
	switch n.Type {
	case html.TextNode:
		w.textNode(n.Data)
	case html.ElementNode:
		w.element(n)
	case html.DocumentNode:
		w.children(n)
	}
}

func (w *htmlWalker) textNode(s string) {
	if w.pre == 0 {
		w.out.text(s)
		return
	}
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.out.newline()
		}
		w.out.raw(line)
	}
}

func (w *htmlWalker) element(n *html.Node) {
	if htmlInvisible[n.DataAtom] || htmlHidden(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		w.out.newline()
		return
	case atom.Li:
		w.listItem(n)
		return
	case atom.Tr:
		w.row(n)
		return
	case atom.Pre:
		w.pre++
		defer func() { w.pre-- }()
	case atom.Ul, atom.Ol:
		w.lists++
		defer func() { w.lists-- }()
	}
	brk := htmlBlockBreak[n.DataAtom]
	w.out.lineBreak(brk)
	w.children(n)
	w.out.lineBreak(brk)
}

func (w *htmlWalker) listItem(n *html.Node) {
	w.out.lineBreak(1)
	w.out.prefix = strings.Repeat("  ", max(w.lists-1, 0)) + "- "
	w.children(n)
	w.out.prefix = ""                   // an item without text leaves no bullet
	w.out.breaks = min(w.out.breaks, 1) // items are lines, even when they wrap a <p>
	w.out.lineBreak(1)
}

// row writes one table row as a line of its non-empty cells joined by " | ".
func (w *htmlWalker) row(n *html.Node) {
	var cells []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) || htmlHidden(c) {
			continue
		}
		cell := &htmlWalker{ctx: w.ctx, lists: w.lists}
		cell.children(c)
		if cell.err != nil {
			w.err = cell.err
			return
		}
		if text := strings.Join(strings.Fields(cell.out.String()), " "); text != "" {
			cells = append(cells, text)
		}
	}
	w.out.lineBreak(1)
	w.out.raw(strings.Join(cells, " | "))
	w.out.lineBreak(1)
}

// htmlHidden reports elements hidden by the hidden attribute or an inline
// display:none, the two ways exported CVs hide template text.
func htmlHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}
