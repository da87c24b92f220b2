package web

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/cvetl/cvetl/review"
)

// rowQuery is a manifest view's filter and sort, carried in the URL. It holds only
// statuses, rule ids and action names: never anything about a person.
type rowQuery struct {
	Status  string // "" or a review status
	Flagged bool   // only rows flagged for review
	Text    string // a substring of the rule or the action
	Sort    string // "" (row order), "due", "rule" or "status"
}

var statuses = []string{review.Pending, review.NeedsSecond, review.Approved, review.Rejected}

var sorts = []string{"due", "rule", "status"}

// ruleText is what the text filter accepts: rule ids and action names. An e-mail
// address or a name with a space cannot be typed into it, so none reaches a URL, a
// browser history or an access log.
var ruleText = regexp.MustCompile(`^[A-Za-z0-9_.:-]{0,64}$`)

// parseRowQuery reads and checks the filter parameters of a manifest view.
func parseRowQuery(v url.Values) (rowQuery, error) {
	q := rowQuery{Status: v.Get("status"), Text: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort")}
	if q.Status != "" && !slices.Contains(statuses, q.Status) {
		return q, fmt.Errorf("status filter %q is not one of %s", q.Status, strings.Join(statuses, ", "))
	}
	switch v.Get("flagged") {
	case "", "0":
	case "1":
		q.Flagged = true
	default:
		return q, fmt.Errorf("flagged filter must be 1 or absent")
	}
	if !ruleText.MatchString(q.Text) {
		return q, fmt.Errorf("the text filter searches rule ids and actions only: letters, digits and - _ . : (at most 64); it is not for names or e-mail addresses")
	}
	if q.Sort != "" && !slices.Contains(sorts, q.Sort) {
		return q, fmt.Errorf("sort %q is not one of %s", q.Sort, strings.Join(sorts, ", "))
	}
	return q, nil
}

// values is the query string that reproduces q.
func (q rowQuery) values() url.Values {
	v := url.Values{}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if q.Flagged {
		v.Set("flagged", "1")
	}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	return v
}

// field returns a row's value for the first of names it has, as text.
func field(r review.Row, names ...string) string {
	for _, n := range names {
		for _, f := range r.Fields {
			if f.Name == n && f.Value != nil {
				return fmt.Sprint(f.Value)
			}
		}
	}
	return ""
}

// Field names a manifest kind may use for its rule, action and due date.
var (
	ruleFields   = []string{"rule", "rule_id"}
	actionFields = []string{"action", "proposed_action"}
	dueFields    = []string{"due_date", "due"}
)

// apply filters and sorts rows; rows keep their manifest order within equal keys.
func (q rowQuery) apply(rows []review.Row) []review.Row {
	var out []review.Row
	text := strings.ToLower(q.Text)
	for _, r := range rows {
		if q.Status != "" && r.Status != q.Status {
			continue
		}
		if q.Flagged && !r.ReviewRequired {
			continue
		}
		if text != "" && !matchesAny(r, text, append(slices.Clone(ruleFields), actionFields...)) {
			continue
		}
		out = append(out, r)
	}
	var key func(review.Row) string
	switch q.Sort {
	case "due":
		key = func(r review.Row) string { return field(r, dueFields...) }
	case "rule":
		key = func(r review.Row) string { return field(r, ruleFields...) }
	case "status":
		key = func(r review.Row) string { return fmt.Sprint(slices.Index(statuses, r.Status)) }
	default:
		return out
	}
	slices.SortStableFunc(out, func(a, b review.Row) int {
		ka, kb := key(a), key(b)
		// Rows without the key go last, not first.
		if (ka == "") != (kb == "") {
			if ka == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(ka, kb)
	})
	return out
}

func matchesAny(r review.Row, text string, names []string) bool {
	for _, f := range r.Fields {
		if f.Value != nil && slices.Contains(names, f.Name) && strings.Contains(strings.ToLower(fmt.Sprint(f.Value)), text) {
			return true
		}
	}
	return false
}
