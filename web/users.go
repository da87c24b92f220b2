package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// Role is what a user may do on the page; see Can for the matrix.
type Role string

// The roles a users file may give.
const (
	RoleReviewer Role = "reviewer"
	RoleOperator Role = "operator"
	RoleAnalyst  Role = "analyst"
)

// action is something a role may be allowed to do.
type action int

const (
	viewManifests action = iota // list manifests, read rows, reasons and decisions
	decide                      // approve or reject rows
	reveal                      // see a row's special-category evidence (audited)
)

// roleMatrix is the whole access policy. Analysts get no manifest pages: manifests
// name people, and an analyst's work is aggregate figures only.
var roleMatrix = map[Role]map[action]bool{
	RoleReviewer: {viewManifests: true, decide: true, reveal: true},
	RoleOperator: {viewManifests: true},
	RoleAnalyst:  {},
}

// can reports whether the role may do a.
func (r Role) can(a action) bool { return roleMatrix[r][a] }

// MinBcryptCost is the lowest bcrypt cost a users file may use.
const MinBcryptCost = bcrypt.DefaultCost

// User is one entry of the users file.
type User struct {
	Name           string `yaml:"name"`
	Role           Role   `yaml:"role"`
	PasswordBcrypt string `yaml:"password_bcrypt"`
}

// Users are the people who may log in, by name.
type Users struct {
	byName map[string]User
	// dummy is compared against when the name is unknown, so that a wrong name takes as
	// long as a wrong password and names cannot be probed by timing.
	dummy []byte
}

// LoadUsers reads and validates a users file:
//
//	users:
//	  - {name: dpo, role: reviewer, password_bcrypt: "$2a$12$..."}
func LoadUsers(path string) (*Users, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	var file struct {
		Users []User `yaml:"users"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	u, err := NewUsers(file.Users)
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	return u, nil
}

// NewUsers validates a list of users.
func NewUsers(list []User) (*Users, error) {
	if len(list) == 0 {
		return nil, errors.New("no users: add at least one entry under the users key")
	}
	u := &Users{byName: map[string]User{}}
	for i, e := range list {
		where := fmt.Sprintf("entry %d", i+1)
		if strings.TrimSpace(e.Name) == "" || e.Name != strings.TrimSpace(e.Name) {
			return nil, fmt.Errorf("%s: name is empty or has surrounding spaces", where)
		}
		where = fmt.Sprintf("entry %d (%s)", i+1, e.Name)
		if _, dup := u.byName[e.Name]; dup {
			return nil, fmt.Errorf("%s: the name is used twice", where)
		}
		if _, ok := roleMatrix[e.Role]; !ok {
			return nil, fmt.Errorf("%s: role %q is not one of reviewer, operator, analyst", where, e.Role)
		}
		cost, err := bcrypt.Cost([]byte(e.PasswordBcrypt))
		if err != nil {
			return nil, fmt.Errorf("%s: password_bcrypt is not a bcrypt hash (cvetl serve hash-password makes one): %v", where, err)
		}
		if cost < MinBcryptCost {
			return nil, fmt.Errorf("%s: password_bcrypt has cost %d, below the minimum %d", where, cost, MinBcryptCost)
		}
		u.byName[e.Name] = e
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("no such user"), MinBcryptCost)
	if err != nil {
		return nil, err
	}
	u.dummy = dummy
	return u, nil
}

// Authenticate returns the user whose name and password match.
func (u *Users) Authenticate(name, password string) (User, bool) {
	e, ok := u.byName[name]
	hash := u.dummy
	if ok {
		hash = []byte(e.PasswordBcrypt)
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(password))
	if err != nil || !ok {
		return User{}, false
	}
	return e, true
}

// lookup returns the current entry for a logged-in user, so that a role changed or a
// user removed in the file (after a restart) takes effect on existing sessions too.
func (u *Users) lookup(name string) (User, bool) {
	e, ok := u.byName[name]
	return e, ok
}

// MinPasswordLength is the shortest password HashPassword accepts.
const MinPasswordLength = 12

// HashPassword returns the bcrypt hash of a password, for a users file entry.
func HashPassword(password string, cost int) (string, error) {
	if len(password) < MinPasswordLength {
		return "", fmt.Errorf("the password is shorter than %d characters", MinPasswordLength)
	}
	if len(password) > 72 {
		return "", errors.New("the password is longer than 72 bytes, which bcrypt cannot use")
	}
	if cost < MinBcryptCost {
		cost = MinBcryptCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(h), err
}

// equalTokens compares two secrets in constant time.
func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
