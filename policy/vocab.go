package policy

import (
	"regexp"
	"slices"

	"github.com/cvetl/cvetl/profile"
)

// Action is what a rule asks for when it falls due.
type Action string

// The actions of a deletion manifest, most final first: when several rules are due for
// one subject, the most final action wins.
const (
	Delete         Action = "delete"
	Anonymise      Action = "anonymise"
	Archive        Action = "archive"
	RequestConsent Action = "request_consent"
	Keep           Action = "keep"
)

// Actions lists the actions, most final first.
var Actions = []Action{Delete, Anonymise, Archive, RequestConsent, Keep}

// Destructive reports whether the action destroys data, so that a floor or a legal hold
// must block it.
func (a Action) Destructive() bool { return a == Delete || a == Anonymise }

// Rank orders actions by finality: delete is 5, keep is 1, unknown is 0.
func (a Action) Rank() int {
	if i := slices.Index(Actions, a); i >= 0 {
		return len(Actions) - i
	}
	return 0
}

// Pseudo-events are anchors derived from ingested data rather than imported events.
const (
	// EventCreated is the first day the subject is on record: the earliest of their
	// first event, their first ingested record and the subject's creation.
	EventCreated = "created"
	// EventReceived is when a record about the subject was received (sources.received_at);
	// a term may narrow it to one channel kind ("social", "job_board", …).
	EventReceived = "received"
)

// LifecycleEvents are the events whose latest occurrence is a subject's status. On the
// same day a later entry wins (applied then unsuccessful: unsuccessful).
var LifecycleEvents = []string{"registered", "applied", "unsuccessful", "placed", "employment_ended"}

// ConsentStates are the states a consent condition can test for one purpose.
var ConsentStates = []string{"given", "withdrawn", "none"}

// ChannelKinds are the provenance channel kinds (profile.Channel without the name).
var ChannelKinds = []string{"direct", "job_board", "linkedin", "social", "referee", "former_employer", "agency", "public_profile"}

// Review reasons the engine computes; a policy switches them on in its review section.
const (
	ReasonSpecialCategory      = "special_category_held"
	ReasonNoArt9Condition      = "no_art9_condition"
	ReasonLegalHold            = "legal_hold"
	ReasonLegalHoldReleased    = "legal_hold_released_recently"
	ReasonStatutoryFloor       = "statutory_floor"
	ReasonPlacedOrEmployed     = "placed_or_employed"
	ReasonOpenRightsRequest    = "open_rights_request"
	ReasonMultipleSources      = "multiple_sources"
	ReasonRulesDisagree        = "rules_disagree"
	ReasonMultipleRoles        = "multiple_roles"
	defaultReleasedWindowDays  = 30
	defaultFloorEndedWindowDay = 30
)

// ReviewReasons lists the computed review reasons; windowed ones take `within`.
var ReviewReasons = []string{ReasonSpecialCategory, ReasonNoArt9Condition, ReasonLegalHold,
	ReasonLegalHoldReleased, ReasonStatutoryFloor, ReasonPlacedOrEmployed, ReasonOpenRightsRequest,
	ReasonMultipleSources, ReasonRulesDisagree, ReasonMultipleRoles}

// windowed are the reasons that look back over a period, and their default window
// (zero: the policy's rights.respond_within).
var windowed = map[string]Period{
	ReasonLegalHoldReleased: {N: defaultReleasedWindowDays, Unit: Days},
	ReasonStatutoryFloor:    {N: defaultFloorEndedWindowDay, Unit: Days},
	ReasonOpenRightsRequest: {},
}

// RightsRequestEvents open a rights request that stays open for rights.respond_within.
var RightsRequestEvents = []string{"erasure_requested", "access_requested", "restriction_requested"}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	reasonPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	purposePat    = regexp.MustCompile(`^(\*|[a-z][a-z0-9_]{0,63})$`)
)

// knownEvent reports whether name is an imported event or a pseudo-event.
func knownEvent(name string) bool {
	return name == EventCreated || name == EventReceived || slices.Contains(profile.EventNames(), name)
}

func knownEvents() []string {
	return append(profile.EventNames(), EventCreated, EventReceived)
}

// categories are the special categories (Art. 9) and criminal convictions (Art. 10).
var categories = []string{string(profile.RacialEthnicOrigin), string(profile.PoliticalOpinions),
	string(profile.ReligiousBeliefs), string(profile.TradeUnionMembership), string(profile.Genetic),
	string(profile.Biometric), string(profile.Health), string(profile.SexLifeOrientation),
	string(profile.CriminalConvictions)}
