-- A shard's store after its handoff (docs/lake.md, "Shards and the authoritative
-- store"): once its runs are handed off to the authoritative store, the shard drops
-- their personal data and keeps only the dedupe ledger (files without location).
-- One row per purge that dropped something. Ids and counts only: no personal data.
CREATE TABLE shard_purges (
    purged_at      TIMESTAMP NOT NULL,
    through_run    BIGINT NOT NULL,             -- highest handed-off run purged
    subjects_high  VARCHAR,                     -- highest subject id issued so far: ids are never reused
    subjects       BIGINT NOT NULL,             -- subjects dropped
    profiles       BIGINT NOT NULL,             -- profile rows dropped
    restricted     BIGINT NOT NULL,             -- restricted rows dropped
    keys_destroyed BIGINT NOT NULL,             -- data keys destroyed (crypto-shredding)
    files          BIGINT NOT NULL              -- files rows whose location was cleared
);
