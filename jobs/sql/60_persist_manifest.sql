-- Record a manifest once: re-running the same night with the same inputs gives the same
-- id, and rows a reviewer already decided are left as they are. (Not ON CONFLICT: with
-- a list column and parameters it crashes DuckDB 1.1.3.)
INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at)
SELECT CAST($manifest_id AS VARCHAR), CAST($kind AS VARCHAR), CAST($as_of AS DATE), CAST($policy AS VARCHAR),
       CAST($policy_digest AS VARCHAR), CAST($row_count AS BIGINT), from_json(CAST($files AS VARCHAR), '["VARCHAR"]'),
       CAST($run_id AS BIGINT), CAST($created_at AS TIMESTAMP)
WHERE NOT EXISTS (SELECT 1 FROM manifests WHERE manifest_id = CAST($manifest_id AS VARCHAR))
