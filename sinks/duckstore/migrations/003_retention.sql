-- Retention: what each nightly run decided. Manifests and their rows are kept so that
-- reviewers can approve or reject rows (status) with an audit trail; the files in
-- <out>/manifests are copies for people and other tools. Rows carry ids, not e-mails:
-- after an erasure the manifest still proves what was decided, without the person.

ALTER TABLE runs ADD COLUMN as_of DATE;            -- nightly: the day the run decided for
ALTER TABLE runs ADD COLUMN policy VARCHAR;        -- nightly: policy id@digest
ALTER TABLE runs ADD COLUMN manifests JSON;        -- nightly: ids of the manifests written (a JSON array:
                                                   -- DuckDB 1.1 cannot UPDATE a list column of a keyed table)
ALTER TABLE runs ADD COLUMN summary JSON;          -- nightly: rows by action, flagged, files

CREATE TABLE manifests (
    manifest_id   VARCHAR PRIMARY KEY,             -- <kind>-<as-of>-<policy>-<hash of policy and rows>
    kind          VARCHAR NOT NULL,                -- deletion | notices | matches
    as_of         DATE NOT NULL,
    policy        VARCHAR NOT NULL,
    policy_digest VARCHAR NOT NULL,
    row_count     BIGINT NOT NULL,
    files         VARCHAR[],
    run_id        BIGINT NOT NULL,                 -- the run that first wrote it
    created_at    TIMESTAMP NOT NULL,
    superseded_by VARCHAR                          -- a later manifest of the same kind and day
);

CREATE TABLE manifest_rows (
    manifest_id             VARCHAR NOT NULL,
    row_id                  VARCHAR NOT NULL,      -- <subject_id>/<rule_id>, unique in the manifest
    subject_id              VARCHAR NOT NULL,
    subject_type            VARCHAR,
    action                  VARCHAR NOT NULL,      -- delete | anonymise | archive | request_consent | keep
    rule_id                 VARCHAR NOT NULL,
    anchor_event            VARCHAR,
    anchor_date             DATE,
    due_date                DATE NOT NULL,
    earliest_permitted_date DATE,                  -- NULL while a legal hold blocks a deletion
    legal_hold              BOOLEAN NOT NULL,
    review_required         BOOLEAN NOT NULL,
    review_reasons          VARCHAR[] NOT NULL,
    status                  VARCHAR NOT NULL DEFAULT 'pending',
    proposed_action         VARCHAR NOT NULL,      -- the rule's action before holds and floors
    blocked_by              VARCHAR[] NOT NULL,    -- legal_hold and/or floor ids
    rules_due               VARCHAR[] NOT NULL,
    scope                   VARCHAR NOT NULL,      -- subject | channel:<kind>
    PRIMARY KEY (manifest_id, row_id)
);
