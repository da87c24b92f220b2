-- Explain: every rule, follow-up and floor of the policy for the one subject being
-- explained, with what decided whether it applies and when it is due.
SELECT r.rule_id,
       r.kind,
       coalesce(r.action, '') AS action,
       r.roles IS NULL OR list_has_any(r.roles, f.roles) AS for_subject,
       coalesce(a.anchor_event, parent.anchor_event) AS anchor_event,
       coalesce(a.anchor_date, parent.anchor_date) AS anchor_date,
       coalesce((SELECT list(c.ctype ORDER BY c.ctype) FROM cond_fail c
                 WHERE c.owner = r.rule_id AND c.subject_id = f.subject_id), []::VARCHAR[]) AS failed_conditions,
       s.exception_id AS suspended_by,
       parent.due_date AS parent_due,
       (SELECT max(ev.last_at) FROM p_answers x JOIN ev_agg ev ON ev.event = x.event AND ev.qual = '*'
        WHERE x.rule_id = r.rule_id AND ev.subject_id = f.subject_id AND ev.last_at >= parent.due_date) AS answered_on,
       d.due_date,
       d.waited_for,
       coalesce(d.due_date <= p.as_of, false) AS is_due,
       e.rule_id IS NOT NULL AS counts,
       sup.by_rule AS superseded_by
FROM p_rules r
CROSS JOIN facts f
CROSS JOIN params p
LEFT JOIN anchors a ON a.rule_id = r.rule_id AND a.subject_id = f.subject_id
LEFT JOIN rule_due parent ON parent.rule_id = r.parent AND parent.subject_id = f.subject_id
LEFT JOIN suspended s ON s.rule_id = r.rule_id AND s.subject_id = f.subject_id
LEFT JOIN rule_due d ON d.rule_id = r.rule_id AND d.subject_id = f.subject_id
LEFT JOIN effective e ON e.rule_id = r.rule_id AND e.subject_id = f.subject_id
LEFT JOIN superseded sup ON sup.rule_id = r.rule_id AND sup.subject_id = f.subject_id
ORDER BY r.ord
