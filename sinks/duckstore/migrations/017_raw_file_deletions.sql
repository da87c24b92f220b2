-- Raw files deleted whole by an erasure although other people's data came from them
-- too (a shared file that could not be cut: docs/review.md, "Shared raw files"). The
-- other people's provenance stays truthful: their sources rows still say the channel
-- and when the file was received, and this row says the raw file no longer exists and
-- since when. No subject id and no name: it never says whose erasure it was.
CREATE TABLE raw_file_deletions (
    file_sha256 VARCHAR PRIMARY KEY,           -- the content ingest read (sources.file_sha256)
    deleted_at  TIMESTAMP NOT NULL,
    cause       VARCHAR NOT NULL,              -- 'erasure_of_another_subject'
    run_id      BIGINT NOT NULL
);
