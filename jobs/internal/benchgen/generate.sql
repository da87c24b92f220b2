-- A synthetic store for the nightly benchmark: $subjects subjects of every type, about
-- ten events each (dates over 2015–2025), one or two sources, CV profiles for the
-- candidates, and special-category rows for 2% of them. Fictional: example.com only.

CREATE TEMP TABLE bench AS SELECT CAST(getvariable('subjects') AS BIGINT) AS n, CAST(getvariable('events') AS BIGINT) AS m;

INSERT INTO subjects
SELECT printf('S%07d', i),
       printf('bench%07d@example.com', i),
       CASE WHEN i % 100 < 80 THEN 'candidate'
            WHEN i % 100 < 85 THEN 'client_contact'
            WHEN i % 100 < 90 THEN 'employee'
            WHEN i % 100 < 95 THEN 'marketing_contact'
            WHEN i % 100 < 98 THEN 'supplier_contact'
            ELSE 'complainant' END,
       TIMESTAMP '2015-01-01' + to_days(CAST(hash(i, 'created') % 3650 AS INTEGER)),
       1
FROM bench, range(1, bench.n + 1) t(i);

INSERT INTO subject_keys
SELECT 'email:' || subject_ref, subject_id FROM subjects;

INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, emails, run_id)
SELECT printf('%016x/0', hash(subject_id)), subject_id, printf('%064x', hash(subject_id)), 'text',
       'Bench Person', [subject_ref], 1
FROM subjects WHERE subject_type = 'candidate';

INSERT INTO sources
SELECT printf('%016x/0', hash(subject_id)), subject_id, 'direct', true, created_at,
       printf('%064x', hash(subject_id)), 'inbox/' || subject_id || '.txt', NULL, 1
FROM subjects;

-- One in ten subjects also came through a job board or social media.
INSERT INTO sources
SELECT printf('%016x/1', hash(subject_id)), subject_id,
       CASE WHEN hash(subject_id) % 3 = 0 THEN 'social:facebook' ELSE 'job_board:indeed' END, false,
       created_at + to_days(CAST(hash(subject_id, 'second') % 400 AS INTEGER)),
       printf('%064x', hash(subject_id, 'second')), 'boards/' || subject_id || '.csv', 'row 1', 1
FROM subjects WHERE hash(subject_id, 'second') % 10 = 0;

INSERT INTO events
WITH e AS (
    SELECT k,
           printf('S%07d', CAST(1 + hash(k, 'subject') % CAST(bench.n AS UBIGINT) AS BIGINT)) AS subject_id,
           CAST(hash(k, 'kind') % 1000 AS INTEGER) AS r,
           DATE '2015-01-01' + CAST(hash(k, 'at') % 4017 AS INTEGER) AS at
    FROM bench, range(0, bench.m) t(k)
)
SELECT printf('%032x', hash(k, 'key')), subject_id, kind, at, detail, 'bench', 1
FROM (
    SELECT k, subject_id, at,
           CASE WHEN r < 60 THEN 'registered'
                WHEN r < 300 THEN 'applied'
                WHEN r < 480 THEN 'meaningful_contact'
                WHEN r < 580 THEN 'work_finding_service'
                WHEN r < 680 THEN 'unsuccessful'
                WHEN r < 710 THEN 'placed'
                WHEN r < 740 THEN 'project_closed'
                WHEN r < 760 THEN 'employment_ended'
                WHEN r < 820 THEN 'consent_given'
                WHEN r < 840 THEN 'consent_withdrawn'
                WHEN r < 870 THEN 'confirmed_retention'
                WHEN r < 900 THEN 'notice_sent'
                WHEN r < 920 THEN 'disclosed'
                WHEN r < 930 THEN 'complaint_closed'
                WHEN r < 940 THEN 'erasure_requested'
                WHEN r < 950 THEN 'access_requested'
                WHEN r < 955 THEN 'restriction_requested'
                WHEN r < 965 THEN 'legal_hold'
                WHEN r < 972 THEN 'legal_hold_released'
                WHEN r < 980 THEN 'objected'
                ELSE 'meaningful_contact' END AS kind,
           CASE WHEN r < 60 THEN '{"subject_type":"candidate"}'
                WHEN r < 300 THEN '{"vacancy":"BENCH-' || (k % 5000) || '"}'
                WHEN r >= 760 AND r < 820 THEN
                    CASE WHEN k % 3 = 0 THEN '{"purpose":"future_vacancies"}'
                         WHEN k % 3 = 1 THEN '{"purpose":"marketing","until":"' || strftime(at + 730, '%Y-%m-%d') || '"}'
                         ELSE '{"purpose":"future_potential","until":"' || strftime(at + 365, '%Y-%m-%d') || '"}' END
                WHEN r >= 820 AND r < 840 THEN '{"purpose":"future_vacancies"}'
                WHEN r >= 900 AND r < 920 THEN '{"recipient":"client"}'
                WHEN r >= 955 AND r < 965 THEN '{"reason":"claim"}'
                WHEN r >= 972 AND r < 980 THEN '{"processing":"marketing"}' END AS detail
    FROM e
);

INSERT INTO restricted
SELECT subject_id || '#0', subject_id, subject_id, printf('%016x/0', hash(subject_id)),
       CASE WHEN hash(subject_id, 'cat') % 2 = 0 THEN 'health' ELSE 'religious_beliefs' END,
       CASE WHEN hash(subject_id, 'cond') % 3 = 0 THEN NULL ELSE 'equal_opportunities_monitoring' END,
       'bench', 0.9, 0, 10, '\x00'::BLOB, 1
FROM subjects WHERE subject_type = 'candidate' AND hash(subject_id, 'special') % 40 = 0;
