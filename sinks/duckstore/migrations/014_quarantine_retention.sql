-- Quarantine retention (docs/quarantine.md): once the policy's `quarantine: {keep: …}`
-- has passed, the nightly job deletes the copy of a quarantined file and strips its
-- rows of what may name the person (location, detail, an attachment's file name).
-- purged_at says when; NULL: the row is still whole.
ALTER TABLE quarantine ADD COLUMN purged_at TIMESTAMP;
