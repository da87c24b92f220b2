-- Article 14 notices and data-subject rights (issue #6). Ids, dates, hashes and staff
-- notes only: no personal data is copied here.

-- The rows of each notices manifest (manifests.kind = 'notices'): one per subject and
-- source channel (and one per subject for special categories that arrived after the last
-- notice), with the due date, which trigger set it and the status on the manifest's day.
CREATE TABLE notice_rows (
    manifest_id     VARCHAR NOT NULL,
    row_id          VARCHAR NOT NULL,          -- <subject_id>/<item>: source:<channel> | new_category
    subject_id      VARCHAR NOT NULL,
    item            VARCHAR NOT NULL,          -- source | new_category
    channel         VARCHAR NOT NULL,
    received_date   DATE NOT NULL,             -- when the item first arrived
    due_date        DATE,                      -- NULL when exempt
    due_trigger     VARCHAR,                   -- collected_plus_one_month | meaningful_contact | disclosed
    status          VARCHAR NOT NULL,          -- due | overdue | sent | exempt
    last_sent       DATE,                      -- latest notice_sent on or before the day
    exempt_reason   VARCHAR,
    review_required BOOLEAN NOT NULL,
    review_reasons  VARCHAR[] NOT NULL,
    PRIMARY KEY (manifest_id, row_id)
);

-- Data-subject requests (Art. 15-22) and their deadlines: one month from receipt,
-- extendable once by two further months with a recorded reason (Art. 12(3)).
CREATE TABLE requests (
    request_id       VARCHAR PRIMARY KEY,      -- R<subject_id>-<kind>-<received>-<n>
    subject_id       VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,         -- access | rectification | erasure | restriction | ...
    received_on      DATE NOT NULL,
    due_on           DATE NOT NULL,
    extended_reason  VARCHAR,                  -- set once, when due_on was extended
    status           VARCHAR NOT NULL,         -- open | completed | refused
    outcome          VARCHAR,                  -- what was done or why it was refused (no personal data)
    closed_on        DATE
);

-- Rectifications: the field changed and keyed pseudonyms (HMAC-SHA256 under the
-- subject's data key) of the old and new values, so the change is provable without
-- keeping the inaccurate value; shredding the subject's key unlinks them.
CREATE TABLE rectifications (
    request_id VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    field      VARCHAR NOT NULL,
    old_hmac   VARCHAR,                        -- NULL when there was no old value
    new_hmac   VARCHAR NOT NULL,
    profiles   BIGINT NOT NULL,                -- profile rows changed
    at         TIMESTAMP NOT NULL
);
