-- Lake table sources: where each profile came from (Article 14 provenance).
SELECT strftime(r.started_at, '%Y-%m-%d') AS ingest_date,
       s.profile_id, s.subject_id, s.channel, s.obtained_from_subject, s.received_at,
       s.file_sha256, s.location, s.origin
FROM sources s
JOIN runs r ON r.run_id = s.run_id
WHERE r.started_at >= CAST(? AS DATE)
ORDER BY ingest_date, s.profile_id, s.location
