-- Matching (GDPR Art. 22): the rows of each match manifest, one proposed candidate for a
-- vacancy each. The manifest itself is a `manifests` row with kind = 'matches'; reviewers
-- decide rows through `decisions`. Ids, scores and the explanation only: no names, no
-- e-mails, nothing from special categories.
CREATE TABLE match_rows (
    manifest_id     VARCHAR NOT NULL,
    row_id          VARCHAR NOT NULL,              -- <vacancy_id>/<subject_id>
    vacancy_id      VARCHAR NOT NULL,
    client          VARCHAR,                       -- the vacancy's employer, for do_not_supply and export
    subject_id      VARCHAR NOT NULL,
    rank            INTEGER NOT NULL,              -- 1 = best for this vacancy
    score           DOUBLE NOT NULL,               -- in [0, 1]
    explanation     VARCHAR NOT NULL,
    matched_skills  VARCHAR[] NOT NULL,
    review_required BOOLEAN NOT NULL,              -- always true: a person decides (Art. 22)
    status          VARCHAR NOT NULL DEFAULT 'pending',
    PRIMARY KEY (manifest_id, row_id)
);
