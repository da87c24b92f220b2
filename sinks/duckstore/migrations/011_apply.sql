-- Applying approved manifest rows. `applied` makes apply idempotent and resumable: a
-- row is done exactly when its row is here, written in the same transaction as the
-- change it records.
CREATE TABLE applied (
    manifest_id VARCHAR NOT NULL,
    row_id      VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL,
    run_id      BIGINT NOT NULL,
    PRIMARY KEY (manifest_id, row_id)
);

-- What was erased or anonymised, without the person: the subject id (an internal
-- counter), a keyed pseudonym, and keyed hashes (HMAC) of the identifiers, so that
-- `cvetl verify-erasure` can later recognise the person's e-mails and phones in any sink
-- without the store keeping them.
CREATE TABLE erasures (
    subject_id        VARCHAR NOT NULL,
    subject_pseudonym VARCHAR NOT NULL,
    action            VARCHAR NOT NULL,          -- delete | anonymise
    manifest_id       VARCHAR NOT NULL,
    row_id            VARCHAR NOT NULL,
    identifier_hmacs  VARCHAR[] NOT NULL,
    file_count        INTEGER NOT NULL,
    erased_at         TIMESTAMP NOT NULL
);

-- Content hashes of raw files deleted by an erasure: the same bytes arriving again
-- (a re-run of an old export) are not ingested again.
CREATE TABLE erased_files (
    sha256     VARCHAR PRIMARY KEY,
    erased_at  TIMESTAMP NOT NULL
);

-- The restricted archive: subjects moved here by an `archive` action. No ordinary
-- command reads this schema; only rights requests and verification do.
CREATE SCHEMA archived;
CREATE TABLE archived.subjects AS SELECT * FROM subjects LIMIT 0;
CREATE TABLE archived.profiles AS SELECT * FROM profiles LIMIT 0;
CREATE TABLE archived.sources AS SELECT * FROM sources LIMIT 0;
CREATE TABLE archived.events AS SELECT * FROM events LIMIT 0;
CREATE TABLE archived.restricted AS SELECT * FROM restricted LIMIT 0;
CREATE TABLE archived.subject_keys AS SELECT * FROM subject_keys LIMIT 0;
