-- The audit log's head (last sequence number and hash), kept apart from the log file
-- so that cutting entries off the file's end is detected by `cvetl audit verify`.
CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY,             -- always 1
    seq         BIGINT NOT NULL,
    hash        VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
