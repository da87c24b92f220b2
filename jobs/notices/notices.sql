-- Article 14 notices as of n_params.as_of: for every subject, one row per source channel
-- (and one for special categories that arrived after the last notice). Data received
-- from a third party needs a notice at the earliest of: one calendar month after it was
-- received, the first meaningful contact with the person, the first disclosure to a
-- recipient (contact and disclosure counted from the day the data arrived). A notice
-- sent on or after the day an item arrived covers it; a new channel or a new special
-- category arriving later makes a notice due again. Data obtained from the person is
-- exempt (Art. 13 applied at collection). Events and records dated after the day are
-- ignored, so a run for a past day sees what was known then.

-- Each channel a subject's records came through, and when the first one arrived.
CREATE OR REPLACE TEMP TABLE n_sources AS
SELECT s.subject_id, s.channel, bool_and(s.obtained_from_subject) AS direct,
       min(CAST(s.received_at AS DATE)) AS received
FROM sources s, n_params p
WHERE CAST(s.received_at AS DATE) <= p.as_of
GROUP BY s.subject_id, s.channel;

CREATE OR REPLACE TEMP TABLE n_events AS
SELECT e.subject_id, e.event, e.at
FROM events e, n_params p
WHERE e.event IN ('meaningful_contact', 'disclosed', 'notice_sent') AND e.at <= p.as_of;

CREATE OR REPLACE TEMP TABLE n_sent AS
SELECT subject_id, max(at) AS last_sent
FROM n_events
WHERE event = 'notice_sent'
GROUP BY subject_id;

-- Special categories first received from a third party after the last notice: a new
-- category of data the person has not been told about. Categories are not named here.
-- A category `cvetl retag` found in data held before (docs/retag.md) counts from the
-- day the retag run found it: a notice sent earlier could not name it.
CREATE OR REPLACE TEMP TABLE n_new_category AS
SELECT c.subject_id, arg_min(c.channel, c.first_at) AS channel, min(c.first_at) AS received
FROM (
    SELECT k.subject_id, k.category, min(CAST(k.known_at AS DATE)) AS first_at,
           arg_min(k.channel, k.known_at) AS channel
    FROM (
        SELECT r.subject_id, r.category, s.channel,
               CASE WHEN ru.kind = 'retag' THEN greatest(s.received_at, ru.started_at)
                    ELSE s.received_at END AS known_at
        FROM restricted r
        JOIN sources s ON s.profile_id = r.profile_id
        LEFT JOIN runs ru ON ru.run_id = r.run_id
        WHERE NOT s.obtained_from_subject
    ) k
    CROSS JOIN n_params p
    WHERE CAST(k.known_at AS DATE) <= p.as_of
    GROUP BY k.subject_id, k.category
) c
JOIN n_sent ns ON ns.subject_id = c.subject_id
WHERE c.first_at > ns.last_sent
GROUP BY c.subject_id;

CREATE OR REPLACE TEMP TABLE n_items AS
SELECT subject_id, 'source' AS item, channel, received, direct FROM n_sources
UNION ALL
SELECT subject_id, 'new_category', channel, received, false FROM n_new_category;

CREATE OR REPLACE TEMP TABLE n_triggers AS
SELECT i.subject_id, i.item, i.channel, i.received, i.direct,
       CAST(i.received + INTERVAL 1 MONTH AS DATE) AS by_collection,
       min(e.at) FILTER (WHERE e.event = 'meaningful_contact') AS by_contact,
       min(e.at) FILTER (WHERE e.event = 'disclosed') AS by_disclosure
FROM n_items i
LEFT JOIN n_events e ON e.subject_id = i.subject_id AND e.at >= i.received
                    AND e.event IN ('meaningful_contact', 'disclosed')
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE notice_rows_today AS
WITH decided AS (
    SELECT t.*, ns.last_sent, p.as_of,
           least(t.by_collection, coalesce(t.by_contact, t.by_collection),
                 coalesce(t.by_disclosure, t.by_collection)) AS due
    FROM n_triggers t
    LEFT JOIN n_sent ns ON ns.subject_id = t.subject_id
    CROSS JOIN n_params p
), statused AS (
    SELECT d.*,
           CASE WHEN d.direct THEN 'exempt'
                WHEN d.last_sent >= d.received THEN 'sent'
                WHEN d.due < d.as_of THEN 'overdue'
                ELSE 'due' END AS status,
           CASE WHEN d.by_contact = d.due THEN 'meaningful_contact'
                WHEN d.by_disclosure = d.due THEN 'disclosed'
                ELSE 'collected_plus_one_month' END AS trig
    FROM decided d
), special AS (
    SELECT DISTINCT subject_id FROM restricted
), flagged AS (
    SELECT st.*,
           list_sort(list_filter([
               CASE WHEN rs.subject_id IS NOT NULL THEN 'restricted' END,
               CASE WHEN st.status IN ('due', 'overdue') AND sp.subject_id IS NOT NULL THEN 'special_category_held' END,
               CASE WHEN st.status IN ('due', 'overdue') AND st.trig = 'disclosed' THEN 'disclosed_before_notice' END
           ], x -> x IS NOT NULL)) AS reasons
    FROM statused st
    LEFT JOIN restrictions rs ON rs.subject_id = st.subject_id
    LEFT JOIN special sp ON sp.subject_id = st.subject_id
)
SELECT f.subject_id || '/' || CASE WHEN f.item = 'source' THEN 'source:' || f.channel ELSE f.item END AS row_id,
       f.subject_id,
       s.subject_ref,
       f.item,
       f.channel,
       f.received AS received_date,
       CASE WHEN f.status = 'exempt' THEN NULL ELSE f.due END AS due_date,
       CASE WHEN f.status = 'exempt' THEN NULL ELSE f.trig END AS due_trigger,
       f.status,
       f.last_sent,
       CASE WHEN f.status = 'exempt' THEN 'obtained_from_subject' END AS exempt_reason,
       len(f.reasons) > 0 AS review_required,
       f.reasons AS review_reasons
FROM flagged f
JOIN subjects s ON s.subject_id = f.subject_id;
