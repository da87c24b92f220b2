-- A newer manifest for the same kind and day (the inputs changed) supersedes the others.
UPDATE manifests
SET superseded_by = CASE WHEN manifest_id = CAST($manifest_id AS VARCHAR) THEN NULL ELSE CAST($manifest_id AS VARCHAR) END
WHERE kind = CAST($kind AS VARCHAR) AND as_of = CAST($as_of AS DATE)
