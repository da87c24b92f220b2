-- Analyst statistics: the aggregates `cvetl stats` releases after disclosure control.
--
-- Each statement below is one released table. It returns one row per unit counted:
-- (row_key, col_key, subject_id). The Go side counts DISTINCT (row_key, col_key,
-- subject_id) per cell and per margin, counts distinct subjects for the k threshold,
-- suppresses, and releases the counts only: subject ids never leave this process.
-- Header lines say what the table is:
--   table:     released table name
--   title:     a line for people
--   rows/cols: the names of the two dimensions
--   unit:      what one count is
--   col_order: display order of known column values (others follow, sorted)
--   requires:  table(col, …) that must exist in the store, else the table is skipped
--   same_figure: row, col = other_table(row, col): the two figures count the same units,
--              so disclosure control withholds them together (checked equal at run time)
--
-- Variables set by the runner: as_of (DATE). Data after as_of is ignored.
-- skill_sectors(skill, sector) is a temp table the runner loads from the skills taxonomy.

-- table: candidates_by_month_channel
-- title: Candidates by the month they were first seen and the channel they came from
-- rows: month
-- cols: channel
-- unit: candidates
SELECT strftime(received_at, '%Y-%m') AS row_key, channel AS col_key, subject_id
FROM (
    SELECT src.subject_id, src.channel, src.received_at,
           row_number() OVER (PARTITION BY src.subject_id ORDER BY src.received_at, src.channel) AS nth
    FROM sources src JOIN subjects s ON s.subject_id = src.subject_id
    WHERE s.subject_type = 'candidate'
      AND src.received_at < CAST(getvariable('as_of') AS DATE) + 1
)
WHERE nth = 1;

-- table: candidates_by_region_sector
-- title: Candidates by postcode area and the sector most of their skills belong to
-- rows: region
-- cols: sector
-- unit: candidates
-- same_figure: Total, Total = candidates_by_month_channel(Total, Total)
WITH candidates AS (
    SELECT DISTINCT s.subject_id
    FROM subjects s JOIN sources src ON src.subject_id = s.subject_id
    WHERE s.subject_type = 'candidate'
      AND src.received_at < CAST(getvariable('as_of') AS DATE) + 1
),
postcodes AS (   -- the most recently received postcode of each subject
    SELECT p.subject_id, max_by(p.postcode, src.received_at) AS postcode
    FROM profiles p JOIN sources src ON src.profile_id = p.profile_id
    WHERE p.postcode IS NOT NULL AND trim(p.postcode) <> ''
    GROUP BY p.subject_id
),
skills AS (
    SELECT DISTINCT subject_id, skill
    FROM (SELECT subject_id, unnest(skills) AS skill FROM profiles WHERE skills IS NOT NULL)
),
sector_counts AS (
    SELECT sk.subject_id, ss.sector, count(*) AS n
    FROM skills sk JOIN skill_sectors ss ON ss.skill = sk.skill
    WHERE ss.sector <> 'general'
    GROUP BY sk.subject_id, ss.sector
),
main_sector AS (   -- ties go to the sector name that sorts first, so reruns agree
    SELECT subject_id, sector
    FROM (SELECT subject_id, sector,
                 row_number() OVER (PARTITION BY subject_id ORDER BY n DESC, sector) AS nth
          FROM sector_counts)
    WHERE nth = 1
)
SELECT coalesce(nullif(regexp_extract(upper(trim(pc.postcode)), '^([A-Z]{1,2})[0-9]', 1), ''), 'unknown') AS row_key,
       coalesce(ms.sector, 'unknown') AS col_key,
       c.subject_id
FROM candidates c
LEFT JOIN postcodes pc ON pc.subject_id = c.subject_id
LEFT JOIN main_sector ms ON ms.subject_id = c.subject_id;

-- table: pipeline_by_month_stage
-- title: Applicants by the month of their first application and the furthest stage reached
-- rows: month
-- cols: stage
-- unit: applicants
-- col_order: applied, shortlisted, placed, unsuccessful
WITH ev AS (
    SELECT e.subject_id, e.event, e.at
    FROM events e JOIN subjects s ON s.subject_id = e.subject_id
    WHERE s.subject_type = 'candidate' AND e.at <= CAST(getvariable('as_of') AS DATE)
),
first_applied AS (
    SELECT subject_id, min(at) AS applied FROM ev WHERE event = 'applied' GROUP BY subject_id
),
reached AS (   -- shortlisted = put forward to a client (disclosed) after applying
    SELECT f.subject_id, f.applied,
           coalesce(bool_or(ev.event = 'placed'), false) AS placed,
           coalesce(bool_or(ev.event = 'unsuccessful'), false) AS unsuccessful,
           coalesce(bool_or(ev.event = 'disclosed'), false) AS shortlisted
    FROM first_applied f LEFT JOIN ev ON ev.subject_id = f.subject_id AND ev.at >= f.applied
    GROUP BY f.subject_id, f.applied
)
SELECT strftime(applied, '%Y-%m') AS row_key,
       CASE WHEN placed THEN 'placed' WHEN unsuccessful THEN 'unsuccessful'
            WHEN shortlisted THEN 'shortlisted' ELSE 'applied' END AS col_key,
       subject_id
FROM reached;

-- table: time_to_placement
-- title: Placed candidates by year of placement and days from first application to placement
-- rows: year
-- cols: days_to_placement
-- unit: placed candidates
-- col_order: 0-14, 15-30, 31-60, 61-90, 91-180, 181+
-- same_figure: Total, Total = pipeline_by_month_stage(Total, placed)
WITH ev AS (
    SELECT e.subject_id, e.event, e.at
    FROM events e JOIN subjects s ON s.subject_id = e.subject_id
    WHERE s.subject_type = 'candidate' AND e.at <= CAST(getvariable('as_of') AS DATE)
),
first_applied AS (
    SELECT subject_id, min(at) AS applied FROM ev WHERE event = 'applied' GROUP BY subject_id
),
first_placed AS (
    SELECT f.subject_id, min(ev.at) AS placed, date_diff('day', f.applied, min(ev.at)) AS days
    FROM first_applied f JOIN ev ON ev.subject_id = f.subject_id AND ev.event = 'placed' AND ev.at >= f.applied
    GROUP BY f.subject_id, f.applied
)
SELECT strftime(placed, '%Y') AS row_key,
       CASE WHEN days <= 14 THEN '0-14' WHEN days <= 30 THEN '15-30' WHEN days <= 60 THEN '31-60'
            WHEN days <= 90 THEN '61-90' WHEN days <= 180 THEN '91-180' ELSE '181+' END AS col_key,
       subject_id
FROM first_placed;

-- table: retention_actions
-- title: Subjects in the deletion manifests by month and the strongest action proposed that month
-- rows: month
-- cols: action
-- unit: subject-months
-- col_order: delete, anonymise, archive, request_consent, keep
SELECT month AS row_key, arg_min(action, strength) AS col_key, subject_id
FROM (
    SELECT strftime(m.as_of, '%Y-%m') AS month, r.subject_id, r.action,
           CASE r.action WHEN 'delete' THEN 1 WHEN 'anonymise' THEN 2 WHEN 'archive' THEN 3
                         WHEN 'request_consent' THEN 4 ELSE 5 END AS strength
    FROM manifest_rows r JOIN manifests m ON m.manifest_id = r.manifest_id
    WHERE m.kind = 'deletion' AND m.superseded_by IS NULL
      AND m.as_of <= CAST(getvariable('as_of') AS DATE)
)
GROUP BY month, subject_id;

-- table: retention_decisions
-- title: Reviewer decisions on deletion-manifest rows, by month decided and decision
-- rows: month_decided
-- cols: decision
-- unit: subject-months per decision
-- col_order: approved, rejected
-- (By month decided, not by manifest month: with the manifest month its month totals
-- would repeat those of retention_actions.)
WITH latest AS (   -- the latest decision on each manifest row
    SELECT manifest_id, row_id, arg_max(decision, decided_at) AS decision, max(decided_at) AS decided_at
    FROM decisions
    WHERE CAST(decided_at AS DATE) <= CAST(getvariable('as_of') AS DATE)
    GROUP BY manifest_id, row_id
)
SELECT strftime(l.decided_at, '%Y-%m') AS row_key,
       CASE l.decision WHEN 'approve' THEN 'approved' ELSE 'rejected' END AS col_key,
       r.subject_id
FROM latest l
JOIN manifest_rows r ON r.manifest_id = l.manifest_id AND r.row_id = l.row_id
JOIN manifests m ON m.manifest_id = r.manifest_id
WHERE m.kind = 'deletion' AND m.superseded_by IS NULL;

-- table: rights_requests
-- title: Rights requests received, by month and kind (from lifecycle events)
-- rows: month
-- cols: request
-- unit: subject-months per kind
-- col_order: access, erasure, restriction, objection
SELECT strftime(e.at, '%Y-%m') AS row_key,
       CASE e.event WHEN 'access_requested' THEN 'access' WHEN 'erasure_requested' THEN 'erasure'
                    WHEN 'restriction_requested' THEN 'restriction' ELSE 'objection' END AS col_key,
       e.subject_id
FROM events e
WHERE e.event IN ('access_requested', 'erasure_requested', 'restriction_requested', 'objected')
  AND e.at <= CAST(getvariable('as_of') AS DATE);

-- table: notices_sent
-- title: Article 14 notices sent, by month and the channel the subject first came from
-- rows: month
-- cols: channel
-- unit: subject-months
WITH first_channel AS (
    SELECT subject_id, channel
    FROM (SELECT subject_id, channel,
                 row_number() OVER (PARTITION BY subject_id ORDER BY received_at, channel) AS nth
          FROM sources)
    WHERE nth = 1
)
SELECT strftime(e.at, '%Y-%m') AS row_key, coalesce(fc.channel, 'unknown') AS col_key, e.subject_id
FROM events e LEFT JOIN first_channel fc ON fc.subject_id = e.subject_id
WHERE e.event = 'notice_sent' AND e.at <= CAST(getvariable('as_of') AS DATE);

-- table: notices_by_status
-- title: Article 14 notices by month due and status (due, sent, overdue, exempt)
-- rows: month_due
-- cols: status
-- unit: subject-months
-- col_order: due, sent, overdue, exempt
-- requires: notice_rows(subject_id, status, due_date, manifest_id)
-- Only the latest current notices manifest: each night's manifest repeats the rows.
SELECT strftime(due_date, '%Y-%m') AS row_key, lower(status) AS col_key, subject_id
FROM notice_rows
WHERE due_date <= CAST(getvariable('as_of') AS DATE) + 31
  AND manifest_id = (SELECT manifest_id FROM manifests WHERE kind = 'notices' AND superseded_by IS NULL
                     AND as_of <= CAST(getvariable('as_of') AS DATE) ORDER BY as_of DESC LIMIT 1);

-- table: rights_request_timeliness
-- title: Rights requests by kind and whether they were answered within the deadline
-- rows: request
-- cols: timeliness
-- unit: subject-requests
-- col_order: answered on time, answered late, open, open overdue
-- requires: requests(subject_id, kind, due_on, closed_on)
SELECT lower(kind) AS row_key,
       CASE WHEN closed_on IS NOT NULL AND closed_on <= due_on THEN 'answered on time'
            WHEN closed_on IS NOT NULL THEN 'answered late'
            WHEN due_on < CAST(getvariable('as_of') AS DATE) THEN 'open overdue'
            ELSE 'open' END AS col_key,
       subject_id
FROM requests;

-- table: equal_opportunities
-- title: Equal-opportunities monitoring: subjects by special category and the channel of the monitoring form
-- rows: category
-- cols: channel
-- unit: subjects per category
-- Only rows whose recorded condition is equal_opportunities_monitoring: the condition
-- is set at ingestion only for sections the config names as monitoring forms (or for
-- channels that are monitoring forms), so a category found in CV free text is never
-- counted here. The sealed evidence is not opened: counts are by category.
SELECT r.category AS row_key, coalesce(src.channel, 'unknown') AS col_key, r.subject_id
FROM restricted r
LEFT JOIN (SELECT profile_id, min(channel) AS channel FROM sources GROUP BY profile_id) src
       ON src.profile_id = r.profile_id
WHERE r.condition = 'equal_opportunities_monitoring';

-- table: equal_opportunities_by_value
-- title: Equal-opportunities monitoring: subjects by special category and answer (grouped)
-- rows: category
-- cols: value
-- unit: subjects per category and value
-- requires: monitoring_values(tag_id, value)
-- replaces: equal_opportunities
-- Only monitoring answers (condition equal_opportunities_monitoring). Go opens their
-- sealed evidence through the key store and maps it in memory to a controlled value
-- (stats/data/monitoring_values.tsv); monitoring_values holds only (tag_id, value).
-- Subjects whose data key was destroyed have no row there and are not counted.
-- Its category totals would be (nearly) those of equal_opportunities, letting an
-- analyst subtract one table's published cells from the other's totals; so when it is
-- computed, equal_opportunities is left out of the release.
SELECT r.category AS row_key, v.value AS col_key, r.subject_id
FROM restricted r
JOIN monitoring_values v ON v.tag_id = r.tag_id
WHERE r.condition = 'equal_opportunities_monitoring';
