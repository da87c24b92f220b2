-- Review and rights: the state several commands share. No personal data here: ids,
-- reviewer names and their notes only.

-- Reviewer decisions on manifest rows of any kind (deletion, notices, matches). Rows are
-- only ever appended: the latest decision of each reviewer on a row counts, and the
-- history stays for the audit trail.
CREATE TABLE decisions (
    manifest_id VARCHAR NOT NULL,
    row_id      VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL,                -- approve | reject
    reviewer    VARCHAR NOT NULL,
    note        VARCHAR,
    decided_at  TIMESTAMP NOT NULL
);

-- The facts a manifest was computed from (a digest of its subjects' events, files and
-- holds); a decision on a manifest whose facts have changed since is refused.
ALTER TABLE manifests ADD COLUMN facts_digest VARCHAR;

-- Restricted subjects (GDPR Art. 18): a row here means restricted. They are excluded
-- from matching, client exports and marketing, and flagged in every manifest.
CREATE TABLE restrictions (
    subject_id VARCHAR PRIMARY KEY,
    reason     VARCHAR NOT NULL,                 -- e.g. accuracy_contested, erasure_blocked, requested
    since      TIMESTAMP NOT NULL
);

-- Do-not-supply list: never put the subject forward to this client (NULL: to any client).
-- The reason is mandatory and must not name a special category.
CREATE TABLE do_not_supply (
    subject_id VARCHAR NOT NULL,
    client     VARCHAR,
    reason     VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
