-- Lake table events: lifecycle events, partitioned by the day they were imported.
SELECT strftime(r.started_at, '%Y-%m-%d') AS ingest_date,
       e.event_key, e.subject_id, e.event, e.at, CAST(e.detail AS VARCHAR), e.source
FROM events e
JOIN runs r ON r.run_id = e.run_id
WHERE r.started_at >= CAST(? AS DATE)
ORDER BY ingest_date, e.event_key
