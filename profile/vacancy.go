package profile

// Vacancy is one job advert from a job-board vacancy feed.
type Vacancy struct {
	Reference   string   `json:"reference"`
	Title       string   `json:"title"`
	Employer    string   `json:"employer,omitempty"`
	Town        string   `json:"town,omitempty"`
	Postcode    string   `json:"postcode,omitempty"`
	Description string   `json:"description,omitempty"`
	Skills      []string `json:"skills"`
	Salary      string   `json:"salary,omitempty"`
	JobType     string   `json:"job_type,omitempty"`
	PostedDate  string   `json:"posted_date,omitempty"` // YYYY-MM-DD
	URL         string   `json:"url,omitempty"`
	Category    string   `json:"category,omitempty"`
}
