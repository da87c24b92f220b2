-- The manifest's rows, without e-mails (subject ids only), unless already recorded.
INSERT INTO manifest_rows
SELECT CAST($manifest_id AS VARCHAR), row_id, subject_id, subject_type, action, rule_id, anchor_event, anchor_date,
       due_date, earliest_permitted_date, legal_hold, review_required, list_sort(review_reasons),
       status, proposed_action, blocked_by, rules_due, scope
FROM deletion_rows
WHERE NOT EXISTS (SELECT 1 FROM manifest_rows m WHERE m.manifest_id = CAST($manifest_id AS VARCHAR))
