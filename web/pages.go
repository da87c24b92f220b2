package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
)

// page is what every template gets.
type page struct {
	Title     string
	CSRF      string
	UserName  string
	Role      Role
	Flash     flash
	Message   string // the text of an error page
	Manifests []manifestItem
	Manifest  review.Manifest
	Rows      []rowView
	Total     int // rows before filtering
	Unflagged int // pending rows a bulk approval would take
	Query     rowQuery
	Statuses  []string
	Sorts     []string
	CanDecide bool
	CanReveal bool
}

type manifestItem struct {
	review.Manifest
	Counts []statusCount
}

type statusCount struct {
	Status string
	N      int
}

type rowView struct {
	review.Row
	Revealed []Evidence // set only in the response to a reveal
}

const noteLimit = 2000

var pageNames = []string{"login", "error", "home", "manifests", "manifest"}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{"value": formatValue, "label": func(s string) string { return strings.ReplaceAll(s, "_", " ") }}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// formatValue shows a row field's JSON value as text.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// render executes a page into a buffer first, so a template error never sends half a
// page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if acc, ok := r.Context().Value(accountKey{}).(account); ok {
		p.UserName, p.Role, p.CSRF = acc.User.Name, acc.Role, acc.csrf
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.cfg.Logger.Error("web: rendering a page", "page", name, "err", err)
		http.Error(w, "internal error: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers with an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", page{Title: http.StatusText(status), Message: msg})
}

// storeFailed answers a failure to read or write the store. The error stays in the
// server log, which holds ids only; the page says what happened.
func (s *Server) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.Logger.Error("web: store", "path", r.URL.Path, "err", err)
	s.fail(w, r, http.StatusInternalServerError, "The store could not be read or written; nothing was changed by this request unless the manifest now shows it. The server log has the cause.")
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if accountOf(r.Context()).Role.can(viewManifests) {
		http.Redirect(w, r, "/manifests", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "home", page{Title: "cvetl"})
}

func (s *Server) manifestList(w http.ResponseWriter, r *http.Request) {
	ms, err := storeOf(r.Context()).Reviews.Manifests(r.Context())
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	items := make([]manifestItem, len(ms))
	for i, m := range ms {
		items[i] = manifestItem{Manifest: m}
		for _, st := range statuses {
			if n := m.ByStatus[st]; n > 0 {
				items[i].Counts = append(items[i].Counts, statusCount{st, n})
			}
		}
	}
	s.render(w, r, http.StatusOK, "manifests", page{Title: "Manifests", Manifests: items,
		Flash: s.sessions.takeFlash(accountOf(r.Context()).id)})
}

func (s *Server) manifestView(w http.ResponseWriter, r *http.Request) {
	q, err := parseRowQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	s.showManifest(w, r, r.PathValue("id"), q, "", nil)
}

// showManifest renders one manifest's rows, with evidence shown for revealedRow only.
func (s *Server) showManifest(w http.ResponseWriter, r *http.Request, id string, q rowQuery, revealedRow string, evidence []Evidence) {
	ctx := r.Context()
	reviews := storeOf(ctx).Reviews
	m, err := reviews.Get(ctx, id)
	if errors.Is(err, review.ErrNoManifest) {
		s.fail(w, r, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	if !slices.Contains(review.Kinds(), m.Kind) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("Manifest %s is a %s manifest, which is not reviewed here.", m.ID, m.Kind))
		return
	}
	rows, err := reviews.Rows(ctx, id)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	acc := accountOf(ctx)
	p := page{Title: "Manifest " + m.ID, Manifest: m, Total: len(rows), Query: q, Statuses: statuses, Sorts: sorts,
		CanDecide: acc.Role.can(decide) && m.SupersededBy == "", CanReveal: acc.Role.can(reveal),
		Flash: s.sessions.takeFlash(acc.id)}
	for _, row := range rows {
		if !row.ReviewRequired && (row.Status == review.Pending || row.Status == review.NeedsSecond) {
			p.Unflagged++
		}
	}
	for _, row := range q.apply(rows) {
		v := rowView{Row: row}
		if row.RowID == revealedRow {
			v.Revealed = evidence
		}
		p.Rows = append(p.Rows, v)
	}
	s.render(w, r, http.StatusOK, "manifest", p)
}

// backTo redirects to the manifest view with the filter the form was posted from.
func (s *Server) backTo(w http.ResponseWriter, r *http.Request, id string, f flash) {
	s.sessions.setFlash(accountOf(r.Context()).id, f)
	q, err := parseRowQuery(r.PostForm)
	if err != nil {
		q = rowQuery{}
	}
	target := "/manifests/" + url.PathEscape(id)
	if v := q.values().Encode(); v != "" {
		target += "?" + v
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// refusal returns the message of an error the reviewer can act on.
func refusal(err error) (string, bool) {
	var stale *review.StaleError
	var refused *review.RefusedError
	if errors.As(err, &stale) || errors.As(err, &refused) || errors.Is(err, review.ErrNoManifest) {
		return err.Error(), true
	}
	return "", false
}

func (s *Server) decided(w http.ResponseWriter, r *http.Request, id, verb string, out review.Outcome, err error) {
	if msg, ok := refusal(err); ok {
		s.backTo(w, r, id, flash{Error: true, Text: "Refused: " + msg})
		return
	}
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	var parts []string
	for _, st := range statuses {
		if n := out.ByStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d now %s", n, strings.ReplaceAll(st, "_", " ")))
		}
	}
	text := fmt.Sprintf("%s %d row(s)", verb, out.Decided)
	if len(parts) > 0 {
		text += ": " + strings.Join(parts, ", ")
	}
	if out.Unchanged > 0 {
		text += fmt.Sprintf(". %d row(s) unchanged: you had already decided them so", out.Unchanged)
	}
	s.backTo(w, r, id, flash{Text: text + "."})
}

func (s *Server) decideRow(w http.ResponseWriter, r *http.Request) {
	id, row := r.PathValue("id"), r.PostFormValue("row")
	note := strings.TrimSpace(r.PostFormValue("note"))
	acc := accountOf(r.Context())
	if row == "" {
		s.fail(w, r, http.StatusBadRequest, "The form names no row.")
		return
	}
	if len(note) > noteLimit {
		s.backTo(w, r, id, flash{Error: true, Text: fmt.Sprintf("Refused: the note is longer than %d characters.", noteLimit)})
		return
	}
	reviews := storeOf(r.Context()).Reviews
	s.writes.Lock()
	defer s.writes.Unlock()
	switch r.PostFormValue("decision") {
	case review.DecisionAccept:
		out, err := reviews.Approve(r.Context(), id, []string{row}, acc.User.Name, note)
		s.decided(w, r, id, "Approved", out, err)
	case review.DecisionReject:
		if note == "" {
			s.backTo(w, r, id, flash{Error: true, Text: "Refused: a rejection needs a note saying why."})
			return
		}
		out, err := reviews.Reject(r.Context(), id, []string{row}, acc.User.Name, note)
		s.decided(w, r, id, "Rejected", out, err)
	default:
		s.fail(w, r, http.StatusBadRequest, "The decision must be approve or reject.")
	}
}

func (s *Server) approveUnflagged(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len(note) > noteLimit {
		s.backTo(w, r, id, flash{Error: true, Text: fmt.Sprintf("Refused: the note is longer than %d characters.", noteLimit)})
		return
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	out, err := storeOf(r.Context()).Reviews.ApproveUnflagged(r.Context(), id, accountOf(r.Context()).User.Name, note)
	s.decided(w, r, id, "Approved (all unflagged)", out, err)
}

// revealRow shows one row's special-category evidence, in the response to the POST
// only: the evidence is never in a URL, and an audit entry is written before it is
// shown. If the entry cannot be written, nothing is shown.
func (s *Server) revealRow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := storeOf(ctx)
	id, rowID := r.PathValue("id"), r.PostFormValue("row")
	q, err := parseRowQuery(r.PostForm)
	if err != nil {
		q = rowQuery{}
	}
	rows, err := st.Reviews.Rows(ctx, id)
	if msg, ok := refusal(err); ok {
		s.fail(w, r, http.StatusNotFound, msg)
		return
	}
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	i := slices.IndexFunc(rows, func(x review.Row) bool { return x.RowID == rowID })
	if i < 0 {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("Manifest %s has no row %s.", id, rowID))
		return
	}
	row := rows[i]
	if !row.Special {
		s.backTo(w, r, id, flash{Error: true, Text: "Row " + row.RowID + " has no special-category evidence."})
		return
	}
	evidence, err := st.Evidence(ctx, row.SubjectID)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	acc := accountOf(ctx)
	s.writes.Lock()
	err = st.Audit.Append(ctx, audit.Entry{Actor: acc.User.Name, Action: "reveal", Manifest: id, Row: row.RowID,
		Subject: st.Pseudonym(row.SubjectID), Detail: map[string]string{"categories": categories(evidence)}})
	s.writes.Unlock()
	if err != nil {
		s.cfg.Logger.Error("web: reveal not audited, evidence not shown", "manifest", id, "row", row.RowID, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "The reveal could not be written to the audit log, so the evidence is not shown.")
		return
	}
	if len(evidence) == 0 {
		evidence = []Evidence{{Text: "(no readable evidence: the subject's key may have been destroyed)"}}
	}
	s.showManifest(w, r, id, q, row.RowID, evidence)
}

// categories lists the distinct categories of evidence, sorted: what the audit entry
// says was seen, without the evidence itself.
func categories(ev []Evidence) string {
	set := map[string]bool{}
	for _, e := range ev {
		set[e.Category] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
