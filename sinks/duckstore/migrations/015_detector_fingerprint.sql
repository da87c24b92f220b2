-- Which special-category detector last tagged a file (docs/retag.md): the fingerprint
-- specialcat.Fingerprint gives the detector and mode that ingest or `cvetl retag` ran.
-- NULL: unknown (ingested before this release, quarantined, or imported from a shard),
-- so retag reads the file again.
ALTER TABLE files ADD COLUMN detector_fingerprint VARCHAR;
