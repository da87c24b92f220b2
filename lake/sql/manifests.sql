-- Lake table manifests: every manifest row with its manifest's kind, day and policy,
-- partitioned by the day of the nightly run that first wrote the manifest. Ids only:
-- no e-mail or name is in a manifest row.
SELECT strftime(r.started_at, '%Y-%m-%d') AS ingest_date,
       m.manifest_id, m.kind, m.as_of, m.policy, m.superseded_by,
       mr.row_id, mr.subject_id, mr.subject_type, mr.action, mr.rule_id,
       mr.anchor_event, mr.anchor_date, mr.due_date, mr.earliest_permitted_date,
       mr.legal_hold, mr.review_required, mr.review_reasons, mr.status, m.created_at
FROM manifest_rows mr
JOIN manifests m ON m.manifest_id = mr.manifest_id
JOIN runs r ON r.run_id = m.run_id
WHERE r.started_at >= CAST(? AS DATE)
ORDER BY ingest_date, mr.manifest_id, mr.row_id
