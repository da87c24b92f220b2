-- Which rules apply to whom, and when each is due: conditions, exceptions, "not before"
-- waits, follow-ups, and which due rules still count once others supersede them.

-- Subjects for which a has, lacks, channel or consent condition finds something: an
-- event, a channel kind, a consent (given or withdrawn, or either for "none").
CREATE OR REPLACE TEMP TABLE cond_match AS
SELECT DISTINCT v.owner, a.subject_id, v.ctype
FROM p_cond_vals v JOIN ev_agg a ON a.event = v.val AND a.qual = '*'
WHERE v.ctype IN ('has', 'lacks')
UNION
SELECT DISTINCT v.owner, a.subject_id, v.ctype
FROM p_cond_vals v JOIN ev_agg a ON a.event = 'received' AND a.qual = v.val
WHERE v.ctype = 'channel'
UNION
SELECT DISTINCT c.owner, x.subject_id, c.ctype
FROM p_conds c JOIN f_consent x ON (c.qual = '*' OR x.qual = c.qual) AND (c.state = 'none' OR x.state = c.state)
WHERE c.ctype = 'consent';

-- Every condition that fails, for each rule or floor with an anchor and for each
-- exception, per subject.
CREATE OR REPLACE TEMP TABLE cond_fail AS
WITH pairs AS (
    SELECT rule_id AS owner, subject_id FROM anchors
    UNION ALL
    SELECT x.exception_id, s.subject_id
    FROM p_exceptions x CROSS JOIN (SELECT DISTINCT subject_id FROM anchors) s
)
SELECT DISTINCT c.owner, pr.subject_id, c.ctype
FROM pairs pr
JOIN p_conds c ON c.owner = pr.owner
JOIN facts f ON f.subject_id = pr.subject_id
LEFT JOIN cond_match m ON m.owner = c.owner AND m.subject_id = pr.subject_id AND m.ctype = c.ctype
WHERE NOT CASE c.ctype
    WHEN 'status' THEN coalesce(list_contains(c.vals, f.status), false)
    WHEN 'lacks'  THEN m.owner IS NULL
    WHEN 'consent' THEN CASE WHEN c.state = 'none' THEN m.owner IS NULL ELSE m.owner IS NOT NULL END
    ELSE m.owner IS NOT NULL -- has, channel
    END;

-- Rules suspended by an exception whose conditions all hold.
CREATE OR REPLACE TEMP TABLE suspended AS
SELECT rule_id, subject_id, min(exception_id) AS exception_id
FROM (
    SELECT unnest(x.suspends) AS rule_id, s.subject_id, x.exception_id
    FROM p_exceptions x
    CROSS JOIN (SELECT DISTINCT subject_id FROM anchors) s
    ANTI JOIN cond_fail c ON c.owner = x.exception_id AND c.subject_id = s.subject_id
)
GROUP BY rule_id, subject_id;

-- Rules and floors that apply: anchored, every condition holds, not suspended.
CREATE OR REPLACE TEMP TABLE applicable AS
SELECT r.rule_id, r.kind, r.ord, r.action, a.subject_id, a.anchor_event, a.anchor_date,
       CAST(a.anchor_date + r.period AS DATE) AS own_due
FROM anchors a
JOIN p_rules r ON r.rule_id = a.rule_id
ANTI JOIN cond_fail c ON c.owner = a.rule_id AND c.subject_id = a.subject_id
ANTI JOIN suspended s ON s.rule_id = a.rule_id AND s.subject_id = a.subject_id;

-- Due dates: a rule that waits for others (not_before) is due at the latest of its own
-- due date and theirs, where they apply.
CREATE OR REPLACE TEMP TABLE rule_due AS
SELECT x.rule_id, x.kind, x.ord, x.action, x.subject_id, x.anchor_event, x.anchor_date, x.own_due AS due_date,
       CAST(NULL AS VARCHAR) AS waited_for
FROM applicable x
ANTI JOIN p_not_before nb ON nb.rule_id = x.rule_id
UNION ALL
SELECT x.rule_id, x.kind, x.ord, x.action, x.subject_id, x.anchor_event, x.anchor_date,
       greatest(x.own_due, max(y.own_due)) AS due_date,
       CASE WHEN max(y.own_due) > x.own_due THEN arg_max(y.rule_id, y.own_due) END AS waited_for
FROM applicable x
JOIN p_not_before nb ON nb.rule_id = x.rule_id
LEFT JOIN applicable y ON y.subject_id = x.subject_id AND y.rule_id = nb.waits_for
GROUP BY x.rule_id, x.kind, x.ord, x.action, x.subject_id, x.anchor_event, x.anchor_date, x.own_due;

-- Follow-ups fall due their period after the parent is due, unless answered: one of
-- their answering events happened on or after the parent's due date. When the parent
-- asks the person (request_consent) and the request went out after its due date (cvetl
-- apply records consent_requested), the period counts from the request: the person gets
-- the whole time to answer however late the request was sent.
INSERT INTO rule_due
SELECT f.rule_id, f.kind, f.ord, f.action, d.subject_id, d.anchor_event, d.anchor_date,
       CAST(greatest(d.due_date, CASE WHEN d.action = 'request_consent' THEN r.last_at END) + f.period AS DATE), NULL
FROM rule_due d
JOIN p_rules f ON f.parent = d.rule_id
LEFT JOIN ev_agg r ON r.subject_id = d.subject_id AND r.event = 'consent_requested' AND r.qual = '*'
    AND r.last_at >= d.due_date
ANTI JOIN (
    SELECT x.rule_id, a.subject_id, a.last_at
    FROM p_answers x JOIN ev_agg a ON a.event = x.event AND a.qual = '*'
) ans ON ans.rule_id = f.rule_id AND ans.subject_id = d.subject_id AND ans.last_at >= d.due_date
ANTI JOIN suspended s ON s.rule_id = f.rule_id AND s.subject_id = d.subject_id;

-- Rules due on or before the as-of day (the day counts).
CREATE OR REPLACE TEMP TABLE due AS
SELECT d.*
FROM rule_due d, params p
WHERE d.kind <> 'floor' AND d.due_date <= p.as_of;

-- A due follow-up supersedes its parent; a due rule supersedes the rules it names.
CREATE OR REPLACE TEMP TABLE superseded AS
SELECT rule_id, subject_id, min(by_rule) AS by_rule
FROM (
    SELECT unnest(list_append(r.supersedes, r.parent)) AS rule_id, d.subject_id, d.rule_id AS by_rule
    FROM due d JOIN p_rules r ON r.rule_id = d.rule_id
)
WHERE rule_id IS NOT NULL
GROUP BY rule_id, subject_id;

CREATE OR REPLACE TEMP TABLE effective AS
SELECT d.*
FROM due d
ANTI JOIN superseded s ON s.rule_id = d.rule_id AND s.subject_id = d.subject_id;
