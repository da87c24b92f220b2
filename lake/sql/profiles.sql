-- Lake table profiles: redacted candidate profiles (no special-category evidence ever
-- reaches this table), partitioned by the day of the run that ingested them.
SELECT strftime(r.started_at, '%Y-%m-%d') AS ingest_date,
       p.profile_id, p.subject_id, p.file_sha256, p.origin, p.format, p.name,
       p.emails, p.phones, p.postcode, p.town, p.ni_number, p.date_of_birth, p.skills,
       CAST(p.employment AS VARCHAR), CAST(p.education AS VARCHAR), p.links
FROM profiles p
JOIN runs r ON r.run_id = p.run_id
WHERE r.started_at >= CAST(? AS DATE)
ORDER BY ingest_date, p.profile_id
