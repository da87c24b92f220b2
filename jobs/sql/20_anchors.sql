-- Every rule's and floor's anchor date per subject it is for: the first alternative
-- that has a date; within it the latest (or earliest) of its terms; on a tie the term
-- listed first. Follow-ups have no anchor of their own: they run from their parent.

CREATE OR REPLACE TEMP TABLE anchors AS
WITH term_dates AS (
    SELECT t.owner, t.grp, t.combine, t.term, t.term_id, a.subject_id,
           CASE WHEN t.field = 'until' THEN a.until
                WHEN t.combine = 'earliest' THEN a.first_at
                ELSE a.last_at END AS d
    FROM p_terms t
    JOIN ev_agg a ON a.event = t.event AND a.qual = t.qual
    JOIN p_rules r ON r.rule_id = t.owner
    JOIN facts f ON f.subject_id = a.subject_id
    WHERE r.roles IS NULL OR list_has_any(r.roles, f.roles)
), per_alternative AS (
    SELECT owner, subject_id, grp,
           CASE WHEN any_value(combine) = 'earliest' THEN min(d) ELSE max(d) END AS d,
           CASE WHEN any_value(combine) = 'earliest'
                THEN arg_min(term_id, (d - DATE '1970-01-01') * 1000 + term)
                ELSE arg_max(term_id, (d - DATE '1970-01-01') * 1000 - term) END AS term_id
    FROM term_dates
    WHERE d IS NOT NULL
    GROUP BY owner, subject_id, grp
)
SELECT x.rule_id, x.subject_id, t.label AS anchor_event, x.anchor_date
FROM (
    SELECT owner AS rule_id, subject_id, arg_min(term_id, grp) AS term_id, arg_min(d, grp) AS anchor_date
    FROM per_alternative
    GROUP BY owner, subject_id
) x
JOIN p_terms t ON t.term_id = x.term_id;
