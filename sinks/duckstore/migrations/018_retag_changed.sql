-- Raw inputs `cvetl retag` found changed since ingest (docs/retag.md): the size and
-- modification time (Unix nanoseconds) it saw, so later runs skip the file without
-- reading and hashing it again until either changes. The file's hash only: no path,
-- no subject. No primary key: a file's row is replaced by a delete and an insert in
-- one transaction, which DuckDB 1.1 refuses for a key.
CREATE TABLE retag_changed (
    sha256   VARCHAR NOT NULL,
    size     BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    seen_at  TIMESTAMP NOT NULL
);
