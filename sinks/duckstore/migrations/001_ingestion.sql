-- Ingestion spine: what every later job reads.
-- Ids are assigned by the single writer in commit order, so the same inputs give the
-- same ids whether or not a run was interrupted and resumed.

CREATE TABLE runs (
    run_id          BIGINT PRIMARY KEY,
    kind            VARCHAR NOT NULL,           -- ingest | events_import
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    status          VARCHAR NOT NULL,           -- running | completed | failed | interrupted
    files_seen      BIGINT DEFAULT 0,
    files_new       BIGINT DEFAULT 0,
    files_duplicate BIGINT DEFAULT 0,
    files_quarantined BIGINT DEFAULT 0,
    quarantined_by_reason JSON,
    files_with_problems BIGINT DEFAULT 0,
    files_unreadable BIGINT DEFAULT 0,          -- source failures, retried next run
    candidates      BIGINT DEFAULT 0,
    vacancies       BIGINT DEFAULT 0,
    subjects_new    BIGINT DEFAULT 0,
    error           VARCHAR
);

-- One row per distinct file content ever seen; the idempotency key of ingestion.
CREATE TABLE files (
    sha256      VARCHAR PRIMARY KEY,
    location    VARCHAR NOT NULL,               -- original path or s3:// URL
    size        BIGINT NOT NULL,
    format      VARCHAR,
    status      VARCHAR NOT NULL,               -- ingested | quarantined
    channel     VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    run_id      BIGINT NOT NULL
);

CREATE TABLE subjects (
    subject_id   VARCHAR PRIMARY KEY,
    subject_ref  VARCHAR,                       -- primary e-mail
    subject_type VARCHAR NOT NULL DEFAULT 'candidate',
    created_at   TIMESTAMP NOT NULL,
    run_id       BIGINT NOT NULL
);

-- Identity keys ("email:…", "phone_name:+44…|jane doe") that link records to a subject.
CREATE TABLE subject_keys (
    key        VARCHAR PRIMARY KEY,
    subject_id VARCHAR NOT NULL
);

-- Two subjects found to be one person: the audit of a merge.
CREATE TABLE subject_merges (
    kept_subject_id   VARCHAR NOT NULL,
    merged_subject_id VARCHAR NOT NULL,
    run_id            BIGINT NOT NULL,
    merged_at         TIMESTAMP NOT NULL
);

CREATE TABLE profiles (
    profile_id    VARCHAR PRIMARY KEY,          -- <sha256[:16]>/<part index>
    subject_id    VARCHAR NOT NULL,
    file_sha256   VARCHAR NOT NULL,
    origin        VARCHAR,
    format        VARCHAR NOT NULL,
    name          VARCHAR,
    emails        VARCHAR[],
    phones        VARCHAR[],
    postcode      VARCHAR,
    town          VARCHAR,
    ni_number     VARCHAR,
    date_of_birth DATE,
    skills        VARCHAR[],
    employment    JSON,
    education     JSON,
    links         VARCHAR[],
    run_id        BIGINT NOT NULL
);

-- Provenance of every profile: what Article 14 notices and erasure rely on.
CREATE TABLE sources (
    profile_id            VARCHAR NOT NULL,
    subject_id            VARCHAR NOT NULL,
    channel               VARCHAR NOT NULL,
    obtained_from_subject BOOLEAN NOT NULL,
    received_at           TIMESTAMP NOT NULL,
    file_sha256           VARCHAR NOT NULL,
    location              VARCHAR NOT NULL,
    origin                VARCHAR,
    run_id                BIGINT NOT NULL
);

CREATE TABLE vacancies (
    vacancy_id  VARCHAR NOT NULL,               -- <channel>/<reference>; no PK: DuckDB 1.1 rejects delete+reinsert of a key in one transaction
    reference   VARCHAR NOT NULL,
    channel     VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    title       VARCHAR,
    employer    VARCHAR,
    town        VARCHAR,
    postcode    VARCHAR,
    description VARCHAR,
    skills      VARCHAR[],
    salary      VARCHAR,
    job_type    VARCHAR,
    posted_date DATE,
    url         VARCHAR,
    category    VARCHAR,
    run_id      BIGINT NOT NULL
);

CREATE TABLE events (
    event_key  VARCHAR PRIMARY KEY,             -- sha256 of subject, event, date, detail
    subject_id VARCHAR NOT NULL,
    event      VARCHAR NOT NULL,
    at         DATE NOT NULL,
    detail     JSON,
    source     VARCHAR,                         -- file:line it was imported from
    run_id     BIGINT NOT NULL
);

-- Files, or parts of files, that could not be ingested, with the reason.
CREATE TABLE quarantine (
    file_sha256 VARCHAR NOT NULL,
    location    VARCHAR NOT NULL,
    origin      VARCHAR,                        -- "line 14", "attachment cv.pdf"; empty = whole file
    reason      VARCHAR NOT NULL,
    detail      VARCHAR,
    run_id      BIGINT NOT NULL,
    at          TIMESTAMP NOT NULL
);
