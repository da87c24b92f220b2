-- One deletion-manifest row per subject with something due: the most final due action
-- (then the earliest due, then policy order) — turned into "keep" while a legal hold or
-- a floor blocks a deletion — with the reasons a person must review it. A floor that
-- blocks or just ended and a hold just released matter to deletions only.

CREATE OR REPLACE TEMP TABLE deletion_rows AS
WITH per_subject AS (
    SELECT e.subject_id,
           list(e.rule_id ORDER BY e.ord) AS rules_due,
           count(DISTINCT e.action) AS n_actions,
           list(DISTINCT r.review) FILTER (WHERE r.review IS NOT NULL) AS rule_reviews
    FROM effective e JOIN p_rules r ON r.rule_id = e.rule_id
    GROUP BY e.subject_id
), decided AS (
    SELECT e.subject_id, e.rule_id, e.action, e.anchor_event, e.anchor_date, e.due_date, r.scope,
           ps.rules_due, ps.n_actions, ps.rule_reviews
    FROM effective e
    JOIN p_rules r ON r.rule_id = e.rule_id
    JOIN p_vocab v ON v.list = 'action' AND v.name = e.action
    JOIN per_subject ps ON ps.subject_id = e.subject_id
    QUALIFY row_number() OVER (PARTITION BY e.subject_id ORDER BY v.rank DESC, e.due_date, e.ord) = 1
), windows AS (
    SELECT any_value(within) FILTER (WHERE reason = 'legal_hold_released_recently') AS released_window,
           any_value(within) FILTER (WHERE reason = 'statutory_floor') AS floor_window,
           any_value(within) FILTER (WHERE reason = 'open_rights_request') AS request_window,
           list(reason) AS enabled
    FROM p_triggers
), floors AS (
    SELECT d.subject_id,
           max(d.due_date) FILTER (WHERE d.due_date > p.as_of) AS blocking_until,
           list(d.rule_id ORDER BY d.ord) FILTER (WHERE d.due_date > p.as_of) AS blocking,
           coalesce(bool_or(d.due_date <= p.as_of AND d.due_date >= CAST(p.as_of - w.floor_window AS DATE)), false) AS ended_recently
    FROM rule_due d, params p, windows w
    WHERE d.kind = 'floor'
    GROUP BY d.subject_id
), joined AS (
    SELECT dc.*, f.subject_ref, f.subject_type, f.roles, f.hold_active, f.hold_released, f.last_request,
           f.n_special, f.n_no_condition, f.n_channels, f.n_files, f.placed_or_employed,
           fl.blocking_until, coalesce(fl.blocking, []::VARCHAR[]) AS blocking, coalesce(fl.ended_recently, false) AS floor_ended,
           EXISTS (SELECT 1 FROM p_vocab v WHERE v.list = 'destructive' AND v.name = dc.action) AS destructive,
           p.as_of, w.*
    FROM decided dc
    JOIN facts f ON f.subject_id = dc.subject_id
    LEFT JOIN floors fl ON fl.subject_id = dc.subject_id
    CROSS JOIN params p
    CROSS JOIN windows w
), flagged AS (
    SELECT j.*,
           list_sort(list_filter([
               CASE WHEN j.n_special > 0 THEN 'special_category_held' END,
               CASE WHEN j.n_no_condition > 0 THEN 'no_art9_condition' END,
               CASE WHEN j.hold_active THEN 'legal_hold' END,
               CASE WHEN j.destructive AND NOT j.hold_active AND j.hold_released >= CAST(j.as_of - j.released_window AS DATE)
                    THEN 'legal_hold_released_recently' END,
               CASE WHEN j.destructive AND (j.blocking_until IS NOT NULL OR j.floor_ended) THEN 'statutory_floor' END,
               CASE WHEN j.placed_or_employed THEN 'placed_or_employed' END,
               CASE WHEN CAST(j.last_request + j.request_window AS DATE) >= j.as_of THEN 'open_rights_request' END,
               CASE WHEN j.n_channels > 1 OR j.n_files > 1 THEN 'multiple_sources' END,
               CASE WHEN j.n_actions > 1 THEN 'rules_disagree' END,
               CASE WHEN len(j.roles) > 1 THEN 'multiple_roles' END
           ], x -> x IS NOT NULL AND list_contains(j.enabled, x))
           || coalesce(j.rule_reviews, []::VARCHAR[])
           -- Restricted subjects (Art. 18) are flagged whatever the policy enables.
           || CASE WHEN EXISTS (SELECT 1 FROM restrictions r WHERE r.subject_id = j.subject_id)
                   THEN ['restricted'] ELSE []::VARCHAR[] END) AS reasons
    FROM joined j
)
SELECT
    subject_id || '/' || rule_id AS row_id,
    subject_id,
    subject_ref,
    subject_type,
    CASE WHEN destructive AND (hold_active OR blocking_until IS NOT NULL) THEN 'keep' ELSE action END AS action,
    rule_id,
    anchor_event,
    anchor_date,
    due_date,
    CASE WHEN destructive AND hold_active THEN NULL
         WHEN destructive THEN greatest(due_date, blocking_until)
         ELSE due_date END AS earliest_permitted_date,
    hold_active AS legal_hold,
    len(reasons) > 0 AS review_required,
    list_distinct(reasons) AS review_reasons,
    'pending' AS status,
    action AS proposed_action,
    CASE WHEN destructive
         THEN (CASE WHEN hold_active THEN ['legal_hold'] ELSE []::VARCHAR[] END) || blocking
         ELSE []::VARCHAR[] END AS blocked_by,
    rules_due,
    roles,
    scope
FROM flagged;
