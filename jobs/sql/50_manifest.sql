-- The deletion manifest's rows, in the order the files list them.
SELECT row_id, subject_id, subject_ref, subject_type, action, rule_id, anchor_event,
       anchor_date, due_date, earliest_permitted_date, legal_hold, review_required,
       list_sort(review_reasons) AS review_reasons, status, proposed_action, blocked_by,
       rules_due, roles, scope
FROM deletion_rows
ORDER BY subject_id, row_id
