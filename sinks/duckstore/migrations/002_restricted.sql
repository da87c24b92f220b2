-- Special-category evidence (GDPR Art. 9, Art. 10), stored apart and sealed.
-- evidence_sealed is AES-256-GCM under the data key key_id names; the keys live in
-- a separate key store. Destroying a key shreds every row sealed under it.
-- No other table holds evidence: profiles are redacted before they are written.
CREATE TABLE restricted (
    tag_id          VARCHAR PRIMARY KEY,        -- <profile_id>#<n>
    subject_id      VARCHAR NOT NULL,
    key_id          VARCHAR NOT NULL,           -- survives subject merges
    profile_id      VARCHAR NOT NULL,
    category        VARCHAR NOT NULL,
    condition       VARCHAR,                    -- Art. 9/10 condition; NULL = none recorded
    detector        VARCHAR NOT NULL,
    confidence      DOUBLE NOT NULL,
    start_offset    BIGINT NOT NULL,
    end_offset      BIGINT NOT NULL,
    evidence_sealed BLOB NOT NULL,
    run_id          BIGINT NOT NULL
);
