-- Close the run in the ledger with what it did.
UPDATE runs
SET finished_at = CAST($finished_at AS TIMESTAMP),
    status      = CAST($status AS VARCHAR),
    error       = CAST($error AS VARCHAR),
    as_of       = CAST($as_of AS DATE),
    policy      = CAST($policy AS VARCHAR),
    manifests   = CAST($manifests AS JSON),
    summary     = CAST($summary AS JSON)
WHERE run_id = CAST($run_id AS BIGINT)
