package review

// kind says where the rows of one kind of manifest live. Each query takes the manifest
// id as its only parameter.
type kind struct {
	// rows selects row_id, subject_id, review_required and fields: a JSON object with
	// what a reviewer needs to read to decide, in display order.
	rows string
	// subjects selects the distinct subject ids the manifest's rows are about.
	subjects string
	// table holds the kind's rows (manifest_id, row_id, subject_id), for counts over
	// every manifest of the kind at once.
	table string
}

var kinds = map[string]kind{
	"deletion": {
		rows: `SELECT row_id, subject_id, review_required,
		    CAST(json_object('action', action, 'proposed_action', proposed_action, 'rule', rule_id,
		        'subject_type', subject_type, 'anchor_event', anchor_event, 'anchor_date', anchor_date,
		        'due_date', due_date, 'earliest_permitted_date', earliest_permitted_date,
		        'legal_hold', legal_hold, 'blocked_by', blocked_by, 'review_reasons', review_reasons,
		        'rules_due', rules_due, 'scope', scope) AS VARCHAR)
		  FROM manifest_rows WHERE manifest_id = ? ORDER BY row_id`,
		subjects: `SELECT DISTINCT subject_id FROM manifest_rows WHERE manifest_id = ?`,
		table:    "manifest_rows",
	},
	"notices": {
		rows: `SELECT row_id, subject_id, review_required,
		    CAST(json_object('status', status, 'item', item, 'channel', channel, 'received_date', received_date,
		        'due_date', due_date, 'due_trigger', due_trigger, 'last_sent', last_sent,
		        'exempt_reason', exempt_reason, 'review_reasons', review_reasons) AS VARCHAR)
		  FROM notice_rows WHERE manifest_id = ? ORDER BY row_id`,
		subjects: `SELECT DISTINCT subject_id FROM notice_rows WHERE manifest_id = ?`,
		table:    "notice_rows",
	},
	"matches": {
		rows: `SELECT row_id, subject_id, review_required,
		    CAST(json_object('vacancy', vacancy_id, 'client', client, 'rank', rank, 'score', score,
		        'explanation', explanation, 'matched_skills', matched_skills) AS VARCHAR)
		  FROM match_rows WHERE manifest_id = ? ORDER BY vacancy_id, rank`,
		subjects: `SELECT DISTINCT subject_id FROM match_rows WHERE manifest_id = ?`,
		table:    "match_rows",
	},
}

// Kinds lists the manifest kinds reviewers can decide on.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	return out
}
