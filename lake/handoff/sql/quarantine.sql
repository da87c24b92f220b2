-- Their quarantine rows in the order they were written: the whole file's (origin
-- NULL) first, then skipped parts. Unreadable inputs have no files row and are left
-- out by the caller: the shard retries them.
SELECT file_sha256, coalesce(origin, ''), reason, coalesce(detail, '')
FROM quarantine
WHERE run_id > $1 AND run_id <= $2
ORDER BY file_sha256, rowid
