// Package profile holds the domain types every cvetl package shares. It does no I/O
// and imports nothing of ours, so every other package may depend on it.
package profile

// Candidate is one person's profile as parsed from one source record. Absent values
// are nil or empty, never invented. The JSON shape is the `cvetl parse` contract.
type Candidate struct {
	Name              *string      `json:"name"`
	Emails            []string     `json:"emails"`
	Phones            []string     `json:"phones"` // E.164
	Postcode          *string      `json:"postcode"`
	Town              *string      `json:"town"`
	NINumber          *string      `json:"ni_number"`     // no spaces
	DateOfBirth       *string      `json:"date_of_birth"` // YYYY-MM-DD
	Skills            []string     `json:"skills"`
	Employment        []Employment `json:"employment"`
	Education         []Education  `json:"education"`
	Links             []string     `json:"links"`
	SpecialCategories []Tag        `json:"special_categories"`
}

// Employment is one job in a candidate's history. Start and End are YYYY-MM or YYYY,
// End may be "present".
type Employment struct {
	Title    string `json:"title"`
	Employer string `json:"employer"`
	Start    string `json:"start,omitempty"`
	End      string `json:"end,omitempty"`
}

// Education is one qualification.
type Education struct {
	Institution   string `json:"institution"`
	Qualification string `json:"qualification"`
	Year          string `json:"year,omitempty"`
}

// Category is a GDPR special category (Art. 9) or criminal convictions (Art. 10).
type Category string

// The nine categories cvetl tags. The string values are part of the parse contract.
const (
	RacialEthnicOrigin   Category = "racial_ethnic_origin"
	PoliticalOpinions    Category = "political_opinions"
	ReligiousBeliefs     Category = "religious_beliefs"
	TradeUnionMembership Category = "trade_union_membership"
	Genetic              Category = "genetic"
	Biometric            Category = "biometric"
	Health               Category = "health"
	SexLifeOrientation   Category = "sex_life_sexual_orientation"
	CriminalConvictions  Category = "criminal_convictions"
)

// Tag is evidence that a text reveals special-category data about the candidate.
// Start and End are byte offsets into the extracted text; Evidence is text[Start:End].
type Tag struct {
	Category   Category `json:"category"`
	Evidence   string   `json:"evidence"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Confidence float64  `json:"confidence"`
	Detector   string   `json:"detector"`
	// Section is the CV section the evidence sits in ("equal opportunities"); it
	// decides the Art. 9 condition.
	Section string `json:"section,omitempty"`
	// Condition is the recorded Art. 9 / Art. 10 condition for holding the data
	// (explicit_consent, employment_law, equal_opportunities_monitoring, …); empty
	// means none was recorded, which review must flag.
	Condition string `json:"condition,omitempty"`
}

// Normalise replaces nil slices with empty ones so JSON shows [] rather than null.
func (c *Candidate) Normalise() {
	if c.Emails == nil {
		c.Emails = []string{}
	}
	if c.Phones == nil {
		c.Phones = []string{}
	}
	if c.Skills == nil {
		c.Skills = []string{}
	}
	if c.Employment == nil {
		c.Employment = []Employment{}
	}
	if c.Education == nil {
		c.Education = []Education{}
	}
	if c.Links == nil {
		c.Links = []string{}
	}
	if c.SpecialCategories == nil {
		c.SpecialCategories = []Tag{}
	}
}
