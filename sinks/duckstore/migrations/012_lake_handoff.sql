-- The sealed handoff from sharded workers to the authoritative store (docs/lake.md,
-- "Shards and the authoritative store"). Ids and object keys only: no personal data.

-- In a shard's store: the runs whose files it has handed off through the lake, so the
-- next ingest hands off only later runs.
CREATE TABLE lake_handoffs (
    writer      VARCHAR NOT NULL,           -- lake writer name, e.g. s0of3
    first_run   BIGINT NOT NULL,
    last_run    BIGINT NOT NULL,            -- runs up to this one are handed off
    object      VARCHAR NOT NULL,           -- _restricted/<writer>/<name>.json
    files       BIGINT NOT NULL,
    tags        BIGINT NOT NULL,
    written_at  TIMESTAMP NOT NULL
);

-- In the authoritative store: each handoff object it imported, per writer. An object
-- recorded here is only deleted, never imported again.
CREATE TABLE lake_imports (
    object      VARCHAR PRIMARY KEY,
    writer      VARCHAR NOT NULL,
    run_id      BIGINT NOT NULL,            -- the import run
    files       BIGINT NOT NULL,            -- files the object listed
    files_new   BIGINT NOT NULL,            -- of which not already in this store
    imported_at TIMESTAMP NOT NULL
);
