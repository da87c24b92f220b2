package profile

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Event is one lifecycle event of a subject, as imported by `cvetl events import`.
type Event struct {
	Subject string          `json:"subject"` // e-mail or subject id
	Event   string          `json:"event"`
	At      string          `json:"at"` // YYYY-MM-DD
	Detail  json.RawMessage `json:"detail,omitempty"`
}

// SubjectTypes are the kinds of data subject a `registered` event may name.
var SubjectTypes = []string{"candidate", "client_contact", "supplier_contact", "employee",
	"marketing_contact", "referee", "complainant"}

// eventDetail lists each event's required detail fields and, where the value is from
// a closed set, the allowed values.
var eventDetail = map[string]map[string][]string{
	"registered":            {"subject_type": SubjectTypes},
	"applied":               {"vacancy": nil},
	"meaningful_contact":    {},
	"work_finding_service":  {},
	"unsuccessful":          {},
	"placed":                {},
	"project_closed":        {},
	"employment_ended":      {},
	"consent_given":         {"purpose": nil},
	"consent_withdrawn":     {"purpose": nil},
	"confirmed_retention":   {},
	"legal_hold":            {"reason": nil},
	"legal_hold_released":   {},
	"complaint_closed":      {},
	"disclosed":             {"recipient": nil},
	"notice_sent":           {},
	"objected":              {"processing": {"automated_matching", "marketing", "legitimate_interest"}},
	"erasure_requested":     {},
	"access_requested":      {},
	"restriction_requested": {},
	// consent_requested is recorded by cvetl apply when it writes a consent request.
	"consent_requested": {},
}

// EventNames lists the known events, sorted.
func EventNames() []string {
	names := make([]string, 0, len(eventDetail))
	for n := range eventDetail {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Validate checks the event name, date and required detail. Messages name the field,
// never its value, because values may be personal data.
func (e Event) Validate() error {
	if e.Subject == "" {
		return fmt.Errorf("subject: required")
	}
	required, ok := eventDetail[e.Event]
	if !ok {
		return fmt.Errorf("event: unknown event %q (known: %v)", e.Event, EventNames())
	}
	if _, err := time.Parse(time.DateOnly, e.At); err != nil {
		return fmt.Errorf("at: want YYYY-MM-DD")
	}
	detail := map[string]any{}
	if len(e.Detail) > 0 && string(e.Detail) != "null" {
		if err := json.Unmarshal(e.Detail, &detail); err != nil {
			return fmt.Errorf("detail: must be a JSON object")
		}
	}
	for field, allowed := range required {
		v, ok := detail[field].(string)
		if !ok || v == "" {
			return fmt.Errorf("detail.%s: required for %s", field, e.Event)
		}
		if allowed != nil && !contains(allowed, v) {
			return fmt.Errorf("detail.%s: must be one of %v", field, allowed)
		}
	}
	if until, ok := detail["until"].(string); ok {
		if _, err := time.Parse(time.DateOnly, until); err != nil {
			return fmt.Errorf("detail.until: want YYYY-MM-DD")
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
