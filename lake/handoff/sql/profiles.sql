-- The profile ids of those files, in candidate order (<sha256[:16]>/<n>).
SELECT file_sha256, profile_id
FROM profiles
WHERE run_id > $1 AND run_id <= $2
ORDER BY file_sha256, CAST(split_part(profile_id, '/', 2) AS BIGINT)
