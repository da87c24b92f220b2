-- Facts about every subject as of the as-of day: what happened to them (events), what
-- was received about them (sources), what they are (roles, status), their consents,
-- legal holds, open requests and special-category rows. Events dated after the as-of
-- day are ignored, so a run for a past day sees what was known then. Each fact is its
-- own table: DuckDB plans small steps over a million subjects better than one query.

CREATE OR REPLACE TEMP TABLE subj AS
SELECT s.subject_id, s.subject_ref, s.subject_type, CAST(s.created_at AS DATE) AS created_on
FROM subjects s, params p
WHERE p.only_subject IS NULL OR s.subject_id = p.only_subject;

-- ev_agg: the first and last date of each event per subject (qual '*')…
CREATE OR REPLACE TEMP TABLE ev_agg AS
SELECT e.subject_id, e.event, '*' AS qual, min(e.at) AS first_at, max(e.at) AS last_at,
       CAST(NULL AS DATE) AS until
FROM events e, params p
WHERE e.at <= p.as_of AND (p.only_subject IS NULL OR e.subject_id = p.only_subject)
GROUP BY e.subject_id, e.event;

-- …and per qualifier: the purpose of consent events, the subject type of registered
-- events. "until" is that of the latest consent_given (the latest-dated, then the
-- longest), NULL when it has none.
INSERT INTO ev_agg
SELECT subject_id, event, qual, min(at), max(at),
       nullif(arg_max(until, (at - DATE '1970-01-01') * 10000000 + (until - DATE '1970-01-01')), DATE '9999-12-31')
FROM (
    SELECT e.subject_id, e.event, e.at,
           CASE WHEN e.event = 'registered' THEN json_extract_string(e.detail, '$.subject_type')
                ELSE coalesce(json_extract_string(e.detail, '$.purpose'), '') END AS qual,
           CASE WHEN e.event = 'consent_given'
                THEN coalesce(TRY_CAST(json_extract_string(e.detail, '$.until') AS DATE), DATE '9999-12-31') END AS until
    FROM events e, params p
    WHERE e.event IN ('registered', 'consent_given', 'consent_withdrawn')
      AND e.at <= p.as_of AND (p.only_subject IS NULL OR e.subject_id = p.only_subject)
)
WHERE qual IS NOT NULL
GROUP BY subject_id, event, qual;

-- The "until" of the latest consent of any purpose.
UPDATE ev_agg
SET until = x.until
FROM (
    SELECT subject_id,
           nullif(arg_max(coalesce(until, DATE '9999-12-31'),
                          (last_at - DATE '1970-01-01') * 10000000 + (coalesce(until, DATE '9999-12-31') - DATE '1970-01-01')),
                  DATE '9999-12-31') AS until
    FROM ev_agg
    WHERE event = 'consent_given' AND qual <> '*'
    GROUP BY subject_id
) x
WHERE ev_agg.subject_id = x.subject_id AND ev_agg.event = 'consent_given' AND ev_agg.qual = '*';

-- received: when records about the subject arrived, overall and per channel kind.
INSERT INTO ev_agg
SELECT subject_id, 'received',
       CASE WHEN grouping(kind) = 1 THEN '*' ELSE kind END,
       min(d), max(d), NULL
FROM (
    SELECT s.subject_id, split_part(s.channel, ':', 1) AS kind, CAST(s.received_at AS DATE) AS d
    FROM sources s, params p
    WHERE CAST(s.received_at AS DATE) <= p.as_of AND (p.only_subject IS NULL OR s.subject_id = p.only_subject)
)
GROUP BY GROUPING SETS ((subject_id), (subject_id, kind));

-- created: the first day the subject is on record — their first event, their first
-- received record or the day the subject was created, whichever is earliest.
INSERT INTO ev_agg
SELECT x.subject_id, 'created', '*', x.d, x.d, NULL
FROM (
    SELECT s.subject_id, least(s.created_on, a.first_at) AS d
    FROM subj s
    LEFT JOIN (SELECT subject_id, min(first_at) AS first_at FROM ev_agg WHERE qual = '*' GROUP BY subject_id) a
           ON a.subject_id = s.subject_id
) x, params p
WHERE x.d <= p.as_of;

-- The latest lifecycle event; on the same day the later one in the lifecycle.
CREATE OR REPLACE TEMP TABLE f_status AS
SELECT a.subject_id, arg_max(a.event, (a.last_at - DATE '1970-01-01') * 100 + v.rank) AS status
FROM ev_agg a JOIN p_vocab v ON v.list = 'lifecycle' AND v.name = a.event
WHERE a.qual = '*'
GROUP BY a.subject_id;

-- The subject types a subject was registered as.
CREATE OR REPLACE TEMP TABLE f_roles AS
SELECT subject_id, list(qual) AS roles
FROM ev_agg
WHERE event = 'registered' AND qual <> '*'
GROUP BY subject_id;

-- Consent state per purpose: the later of the last consent and the last withdrawal
-- wins; a withdrawal on the same day as a consent wins.
CREATE OR REPLACE TEMP TABLE f_consent AS
SELECT subject_id, qual,
       CASE WHEN withdrawn IS NOT NULL AND (given IS NULL OR withdrawn >= given) THEN 'withdrawn' ELSE 'given' END AS state
FROM (
    SELECT subject_id, qual,
           max(last_at) FILTER (WHERE event = 'consent_given') AS given,
           max(last_at) FILTER (WHERE event = 'consent_withdrawn') AS withdrawn
    FROM ev_agg
    WHERE event IN ('consent_given', 'consent_withdrawn') AND qual <> '*'
    GROUP BY subject_id, qual
);

-- Legal holds, and the latest rights request (erasure, access, restriction).
CREATE OR REPLACE TEMP TABLE f_hold AS
SELECT a.subject_id,
       max(a.last_at) FILTER (WHERE a.event = 'legal_hold') AS held,
       max(a.last_at) FILTER (WHERE a.event = 'legal_hold_released') AS released,
       max(a.last_at) FILTER (WHERE v.list = 'rights_request') AS last_request,
       bool_or(v.list = 'placed') AS placed
FROM ev_agg a
JOIN p_vocab v ON v.name = a.event AND v.list IN ('rights_request', 'placed', 'hold')
WHERE a.qual = '*'
GROUP BY a.subject_id;

-- Special-category rows, and those with no Art. 9 / Art. 10 condition recorded.
CREATE OR REPLACE TEMP TABLE f_special AS
SELECT r.subject_id, count(*) AS n_special, count(*) FILTER (WHERE r.condition IS NULL) AS n_no_condition
FROM restricted r, params p
WHERE p.only_subject IS NULL OR r.subject_id = p.only_subject
GROUP BY r.subject_id;

-- Provenance: how many channels and files; whether there is a CV (a profile), which
-- makes the subject a candidate whatever else they were registered as later.
CREATE OR REPLACE TEMP TABLE f_prov AS
SELECT s.subject_id, count(DISTINCT s.channel) AS n_channels, count(DISTINCT s.file_sha256) AS n_files
FROM sources s, params p
WHERE CAST(s.received_at AS DATE) <= p.as_of AND (p.only_subject IS NULL OR s.subject_id = p.only_subject)
GROUP BY s.subject_id;

CREATE OR REPLACE TEMP TABLE f_profiled AS
SELECT DISTINCT pr.subject_id
FROM profiles pr, params p
WHERE p.only_subject IS NULL OR pr.subject_id = p.only_subject;

CREATE OR REPLACE TEMP TABLE facts AS
SELECT s.subject_id, s.subject_ref, s.subject_type,
       list_sort(list_distinct(list_filter(
           coalesce(ro.roles, []::VARCHAR[]) || [s.subject_type, CASE WHEN pf.subject_id IS NOT NULL THEN 'candidate' END],
           x -> x IS NOT NULL))) AS roles,
       st.status,
       coalesce(h.held IS NOT NULL AND (h.released IS NULL OR h.held > h.released), false) AS hold_active,
       CASE WHEN h.released IS NOT NULL AND (h.held IS NULL OR h.released >= h.held) THEN h.released END AS hold_released,
       h.last_request,
       coalesce(sp.n_special, 0) AS n_special,
       coalesce(sp.n_no_condition, 0) AS n_no_condition,
       coalesce(pv.n_channels, 0) AS n_channels,
       coalesce(pv.n_files, 0) AS n_files,
       coalesce(h.placed, false) OR s.subject_type = 'employee' OR list_contains(coalesce(ro.roles, []::VARCHAR[]), 'employee') AS placed_or_employed
FROM subj s
LEFT JOIN f_status st ON st.subject_id = s.subject_id
LEFT JOIN f_roles ro ON ro.subject_id = s.subject_id
LEFT JOIN f_hold h ON h.subject_id = s.subject_id
LEFT JOIN f_special sp ON sp.subject_id = s.subject_id
LEFT JOIN f_prov pv ON pv.subject_id = s.subject_id
LEFT JOIN f_profiled pf ON pf.subject_id = s.subject_id;
