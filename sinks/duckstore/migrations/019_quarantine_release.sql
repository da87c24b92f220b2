-- Reading a quarantined file again (docs/quarantine.md): `cvetl quarantine release`
-- makes a whole-file quarantine unknown again, so that the next ingest re-reads the
-- bytes with what this release can read. Its files row goes; its quarantine rows stay
-- as the audit trail, marked here: when, by which run (kind quarantine_release) and by
-- which cvetl build (NULL: the build carried no version). NULL released_at: the row
-- still stands.
ALTER TABLE quarantine ADD COLUMN released_at TIMESTAMP;
ALTER TABLE quarantine ADD COLUMN released_run BIGINT;
ALTER TABLE quarantine ADD COLUMN released_version VARCHAR;
