-- Matching: the readable SQL behind package matching. Each query starts with a
-- "-- name: <name>" line. The scoring itself is Go (features.go, score.go): inverted
-- indexes and a bounded top-N per vacancy are awkward in SQL at 10^4 x 10^6.

-- name: excluded
-- Who must never be matched, with the reason (GDPR Art. 21, 18, 17 and the client's
-- or candidate's wishes). $client '' means: exclusions that hold for every client.
-- "Due for deletion" is a delete or anonymise row, not rejected, in the latest
-- deletion manifest that has not been superseded.
WITH latest_deletion AS (
    SELECT manifest_id FROM manifests
    WHERE kind = 'deletion' AND superseded_by IS NULL
    ORDER BY as_of DESC, created_at DESC
    LIMIT 1
)
SELECT DISTINCT subject_id, 'objected' AS reason FROM events
WHERE event = 'objected' AND json_extract_string(detail, '$.processing') = 'automated_matching'
UNION ALL
SELECT subject_id, 'restricted' FROM restrictions
UNION ALL
SELECT DISTINCT subject_id, 'due_for_deletion' FROM manifest_rows
WHERE manifest_id IN (SELECT manifest_id FROM latest_deletion)
  AND action IN ('delete', 'anonymise') AND status <> 'rejected'
UNION ALL
SELECT DISTINCT subject_id, 'do_not_supply' FROM do_not_supply
WHERE client IS NULL OR (CAST($client AS VARCHAR) <> '' AND lower(trim(client)) = lower(trim(CAST($client AS VARCHAR))));

-- name: candidates
-- The matching profile of every eligible candidate: no name, contact details, date of
-- birth, NI number, links, photos or special categories are selected. A subject with
-- several profiles gives several rows (merged in Go: sorting 10^6 wide rows here costs
-- more than the merge). Skills come as one string, unit-separated: scanning a list per
-- row is the slow part of the driver.
WITH latest_deletion AS (
    SELECT manifest_id FROM manifests
    WHERE kind = 'deletion' AND superseded_by IS NULL
    ORDER BY as_of DESC, created_at DESC
    LIMIT 1
),
excluded AS (
    SELECT subject_id FROM events
    WHERE event = 'objected' AND json_extract_string(detail, '$.processing') = 'automated_matching'
    UNION
    SELECT subject_id FROM restrictions
    UNION
    SELECT subject_id FROM manifest_rows
    WHERE manifest_id IN (SELECT manifest_id FROM latest_deletion)
      AND action IN ('delete', 'anonymise') AND status <> 'rejected'
    UNION
    SELECT subject_id FROM do_not_supply WHERE client IS NULL
)
SELECT p.subject_id, s.subject_ref, p.run_id, p.postcode, p.town, array_to_string(p.skills, chr(31)),
       CAST(p.employment AS VARCHAR), CAST(p.education AS VARCHAR)
FROM profiles p
JOIN subjects s ON s.subject_id = p.subject_id
WHERE s.subject_type = 'candidate'
  AND NOT EXISTS (SELECT 1 FROM excluded e WHERE e.subject_id = p.subject_id);

-- name: client_exclusions
-- Candidates not to be put forward to one named client.
SELECT subject_id, lower(trim(client)) FROM do_not_supply WHERE client IS NOT NULL;

-- name: vacancies
-- Open vacancies: posted on or before the day matched for and at most $max_age days
-- before it; a vacancy without a posting date is taken as open.
SELECT vacancy_id, coalesce(title, ''), coalesce(employer, ''), coalesce(town, ''), coalesce(postcode, ''),
       coalesce(description, ''), skills
FROM vacancies
WHERE posted_date IS NULL
   OR (posted_date <= CAST($as_of AS DATE) AND posted_date > CAST($as_of AS DATE) - CAST($max_age AS INTEGER))
ORDER BY vacancy_id;

-- name: persist_manifest
-- Record a match manifest once: the same inputs give the same id, and a re-run leaves
-- reviewers' work on its rows alone.
INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at)
SELECT CAST($manifest_id AS VARCHAR), 'matches', CAST($as_of AS DATE), CAST($policy AS VARCHAR),
       CAST($policy_digest AS VARCHAR), CAST($row_count AS BIGINT), from_json(CAST($files AS VARCHAR), '["VARCHAR"]'),
       CAST($run_id AS BIGINT), CAST($created_at AS TIMESTAMP)
WHERE NOT EXISTS (SELECT 1 FROM manifests WHERE manifest_id = CAST($manifest_id AS VARCHAR));

-- name: supersede
-- A newer match manifest for the same day (the inputs changed) supersedes the others.
UPDATE manifests
SET superseded_by = CASE WHEN manifest_id = CAST($manifest_id AS VARCHAR) THEN NULL ELSE CAST($manifest_id AS VARCHAR) END
WHERE kind = 'matches' AND as_of = CAST($as_of AS DATE);

-- name: manifest_kind
SELECT kind FROM manifests WHERE manifest_id = CAST($manifest_id AS VARCHAR);

-- name: approved
-- Rows of a match manifest for one client that a reviewer approved and none rejected:
-- the latest decision of each reviewer counts.
WITH latest AS (
    SELECT row_id, reviewer, arg_max(decision, decided_at) AS decision
    FROM decisions WHERE manifest_id = CAST($manifest_id AS VARCHAR)
    GROUP BY row_id, reviewer
)
SELECT r.row_id, r.vacancy_id, r.client, r.subject_id, r.rank, r.score, r.explanation, r.matched_skills
FROM match_rows r
WHERE r.manifest_id = CAST($manifest_id AS VARCHAR)
  AND lower(trim(r.client)) = lower(trim(CAST($client AS VARCHAR)))
  AND EXISTS (SELECT 1 FROM latest l WHERE l.row_id = r.row_id AND l.decision = 'approve')
  AND NOT EXISTS (SELECT 1 FROM latest l WHERE l.row_id = r.row_id AND l.decision = 'reject')
ORDER BY r.vacancy_id, r.rank;
