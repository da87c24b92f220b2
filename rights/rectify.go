package rights

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/sqlrows"
)

// rectifiable are the profile fields a rectification may set, with how to check the
// new value. List fields (e-mails, phones) identify the subject and are not rectified
// here: a wrong address is a new identity key, a decision for a person.
var rectifiable = map[string]*regexp.Regexp{
	"name":          regexp.MustCompile(`^\S.{0,198}\S$`),
	"postcode":      regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`),
	"town":          regexp.MustCompile(`^\S.{0,98}$`),
	"ni_number":     regexp.MustCompile(`^[A-CEGHJ-PR-TW-Z]{2}[0-9]{6}[A-D]$`),
	"date_of_birth": regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
}

// RectifiableFields lists the fields Rectify accepts, sorted.
func RectifiableFields() []string {
	out := make([]string, 0, len(rectifiable))
	for f := range rectifiable {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Rectify sets a profile field on every profile of the subject (Art. 16). The old and
// new values are kept in the audit trail (rectifications) only as keyed pseudonyms:
// HMAC-SHA256 under the subject's data key. A restriction for contested accuracy is
// lifted, the data now being accurate.
func (s *Service) Rectify(ctx context.Context, subject, field, value string) (Request, error) {
	check, ok := rectifiable[field]
	if !ok {
		return Request{}, refuse("--field: want one of %v", RectifiableFields())
	}
	value = strings.TrimSpace(value)
	if field == "postcode" || field == "ni_number" {
		value = strings.ToUpper(value)
	}
	if field == "ni_number" {
		value = strings.ReplaceAll(value, " ", "")
	}
	if !check.MatchString(value) {
		return Request{}, refuse("--value: not a valid %s", field)
	}
	if field == "date_of_birth" {
		if _, err := time.Parse(time.DateOnly, value); err != nil {
			return Request{}, refuse("--value: not a valid date_of_birth (YYYY-MM-DD)")
		}
	}
	if s.Keys == nil {
		return Request{}, fmt.Errorf("rectification needs the key store to pseudonymise the old value")
	}
	key, err := s.Keys.DataKey(ctx, subject)
	if err != nil {
		return Request{}, fmt.Errorf("data key: %w", err)
	}
	olds, err := sqlrows.Strings(ctx, s.DB, `SELECT DISTINCT CAST(`+field+` AS VARCHAR) FROM profiles WHERE subject_id = ? AND `+field+` IS NOT NULL ORDER BY 1`, subject)
	if err != nil {
		return Request{}, err
	}
	r, err := s.openRequest(ctx, subject, KindRectification)
	if err != nil {
		return r, err
	}
	var oldHMAC any
	if len(olds) > 0 {
		oldHMAC = pseudonym(key, field, strings.Join(olds, "\x00"))
	}
	typ := "VARCHAR"
	if field == "date_of_birth" {
		typ = "DATE"
	}
	res, err := s.DB.ExecContext(ctx, `UPDATE profiles SET `+field+` = CAST(? AS `+typ+`) WHERE subject_id = ?`, value, subject)
	if err != nil {
		return r, fmt.Errorf("rectifying %s: %w", field, err)
	}
	changed, _ := res.RowsAffected()
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO rectifications VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, subject, field, oldHMAC, pseudonym(key, field, value), changed, s.Now().UTC()); err != nil {
		return r, err
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM restrictions WHERE subject_id = ? AND reason = 'accuracy_contested'`, subject); err != nil {
		return r, err
	}
	outcome := fmt.Sprintf("%s rectified on %d profile(s)", field, changed)
	if changed == 0 {
		outcome = fmt.Sprintf("%s recorded: the subject has no profile to rectify", field)
	}
	return r, s.closeRequest(ctx, &r, Completed, outcome)
}

// pseudonym is the keyed hash of a field's value: equal values give equal pseudonyms
// for the subject, and nothing can be read back.
func pseudonym(key []byte, field, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(field + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil))
}
