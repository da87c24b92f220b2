package rights

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/cvetl/cvetl/internal/sqlrows"
)

// ErrUnknownSubject: no subject has the id, e-mail or phone given.
var ErrUnknownSubject error = refusal{"no subject with that id, e-mail or phone number"}

// AmbiguousError: the reference fits several subjects; cvetl never guesses which.
type AmbiguousError struct {
	Kind       string   // e-mail | phone
	Candidates []string // subject ids, sorted
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("the %s matches %d subjects (%s): give the subject id", e.Kind, len(e.Candidates), strings.Join(e.Candidates, ", "))
}

var (
	subjectIDPattern = regexp.MustCompile(`^S\d{7}$`)
	emailPattern     = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Find resolves a subject id, e-mail address or phone number (any UK or international
// format) to one subject id. Errors name the kind of reference, never its value.
func Find(ctx context.Context, db *sql.DB, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	var ids []string
	var err error
	kind := ""
	switch {
	case subjectIDPattern.MatchString(ref):
		ids, err = sqlrows.Strings(ctx, db, `SELECT subject_id FROM subjects WHERE subject_id = ?`, ref)
		kind = "subject id"
	case emailPattern.MatchString(ref):
		kind = "e-mail"
		email := strings.ToLower(ref)
		// The identity key, and every profile that lists the address (a record can
		// carry an address its identity key was not made from after a merge).
		ids, err = sqlrows.Strings(ctx, db, `SELECT subject_id FROM subject_keys WHERE key = 'email:' || ?
			UNION SELECT subject_id FROM profiles WHERE list_contains(list_transform(emails, x -> lower(x)), ?)
			UNION SELECT subject_id FROM subjects WHERE lower(subject_ref) = ?`, email, email, email)
	default:
		kind = "phone"
		phone, perr := e164(ref)
		if perr != nil {
			return "", refuse("not a subject id (S0000001), an e-mail address or a phone number")
		}
		// Phones identify only together with a name, so one number may be shared
		// (a household, a recycled number): then it is ambiguous.
		ids, err = sqlrows.Strings(ctx, db, `SELECT subject_id FROM subject_keys WHERE starts_with(key, 'phone_name:' || ? || '|')
			UNION SELECT subject_id FROM profiles WHERE list_contains(phones, ?)`, phone, phone)
	}
	if err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", ErrUnknownSubject
	case 1:
		return ids[0], nil
	}
	sort.Strings(ids)
	return "", &AmbiguousError{Kind: kind, Candidates: ids}
}

// e164 normalises a phone number written the way people write them, UK by default.
func e164(s string) (string, error) {
	if strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@") {
		return "", errors.New("not a phone number")
	}
	n, err := phonenumbers.Parse(s, "GB")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", errors.New("not a phone number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
