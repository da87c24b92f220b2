-- The files a shard's store committed in runs ($1, $2], with the lake partition
-- (the day of the run, as lake/sql/profiles.sql computes it) of their profiles, and
-- the detector that tagged them ('' when unknown).
SELECT f.sha256, f.location, f.size, coalesce(f.format, ''), f.status, f.channel, f.received_at,
       strftime(r.started_at, '%Y-%m-%d') AS ingest_date, coalesce(f.detector_fingerprint, '')
FROM files f
JOIN runs r ON r.run_id = f.run_id
WHERE f.run_id > $1 AND f.run_id <= $2
ORDER BY f.location, f.sha256
