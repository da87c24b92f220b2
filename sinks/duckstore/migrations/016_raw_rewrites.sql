-- Raw files rewritten by an erasure: an applicant export shared with other people loses
-- only the erased person's records (apply, docs/review.md). Each row is one rewrite, from
-- the content that was on disk (old_sha256) to the content written (new_sha256), in a
-- chain that starts at the content ingest read (ingested_sha256, which the other
-- people's profiles still reference). Ingest treats new_sha256 as already seen, so
-- re-reading the folder adds nothing; a later erasure from the same file follows the
-- chain. removed_origins are every record position cut from the ingested content so far,
-- this rewrite included ("row 2", "row 5"), never values. No subject id: the erasures
-- table says who was erased, and when.
CREATE TABLE raw_rewrites (
    new_sha256      VARCHAR PRIMARY KEY,
    old_sha256      VARCHAR NOT NULL,
    ingested_sha256 VARCHAR NOT NULL,
    removed_origins VARCHAR[] NOT NULL,
    records_kept    INTEGER NOT NULL,
    rewritten_at    TIMESTAMP NOT NULL,
    run_id          BIGINT NOT NULL
);
