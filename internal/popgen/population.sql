-- A fictional population written straight into a migrated store, for the statistics
-- attack tests and benchmarks: $n subjects (90% candidates), one or two sources each,
-- a CV profile per candidate with contact details, postcode, skills, employment and
-- free-text event details, a pipeline of events, equal-opportunities monitoring rows for
-- some, and a year of deletion manifests with reviewer decisions. Everything is invented:
-- names are combined from the pools below, e-mails use example.* domains, phones the
-- Ofcom drama range. Deterministic: hash() of the subject number drives every choice.

CREATE TEMP MACRO cap(x) AS upper(x[1]) || x[2:];

CREATE TEMP TABLE pop AS SELECT CAST(getvariable('n') AS BIGINT) AS n;

CREATE TEMP TABLE first_names AS SELECT unnest(['Amara','Tomasz','Priya','Rhys','Grace','Kwame','Zofia','Eilidh','Arjun','Chidi','Bethan','Yusuf','Leila','Callum','Nkechi','Isla','Marek','Ewan','Sade','Imogen','Tariq','Ffion','Adebayo','Catriona','Ioana','Jamal','Orla','Paolo','Tegan','Wiktoria']) AS name, generate_subscripts(['Amara','Tomasz','Priya','Rhys','Grace','Kwame','Zofia','Eilidh','Arjun','Chidi','Bethan','Yusuf','Leila','Callum','Nkechi','Isla','Marek','Ewan','Sade','Imogen','Tariq','Ffion','Adebayo','Catriona','Ioana','Jamal','Orla','Paolo','Tegan','Wiktoria'], 1) - 1 AS i;

CREATE TEMP TABLE surnames AS SELECT unnest(['Okafor','Nowak','Raman','Hughes','Adeyemi','Mensah','Kowalczyk','Macleod','Iqbal','Osei','Fraser','Nwosu','Popescu','Achterberg','Doherty','Oyelaran','Szymanski','Gallagher','Hartley','Ferreira','Blackwood','Asante','Pritchard','Quinn','McAllister','Bailey','Lloyd','Santos','Mahmood','Harris']) AS name, generate_subscripts(['Okafor','Nowak','Raman','Hughes','Adeyemi','Mensah','Kowalczyk','Macleod','Iqbal','Osei','Fraser','Nwosu','Popescu','Achterberg','Doherty','Oyelaran','Szymanski','Gallagher','Hartley','Ferreira','Blackwood','Asante','Pritchard','Quinn','McAllister','Bailey','Lloyd','Santos','Mahmood','Harris'], 1) - 1 AS i;

CREATE TEMP TABLE places AS SELECT * FROM (VALUES
    (0, 'LS', 'Leeds'), (1, 'M', 'Manchester'), (2, 'B', 'Birmingham'), (3, 'G', 'Glasgow'),
    (4, 'EH', 'Edinburgh'), (5, 'CF', 'Cardiff'), (6, 'BS', 'Bristol'), (7, 'NE', 'Newcastle upon Tyne'),
    (8, 'L', 'Liverpool'), (9, 'S', 'Sheffield'), (10, 'NG', 'Nottingham'), (11, 'SW', 'London'),
    (12, 'E', 'London'), (13, 'AB', 'Aberdeen'), (14, 'TR', 'Truro'), (15, 'IV', 'Inverness')
) t(i, area, town);

CREATE TEMP TABLE channels AS SELECT * FROM (VALUES
    (0, 'direct'), (1, 'job_board:indeed'), (2, 'job_board:reed'), (3, 'job_board:totaljobs'),
    (4, 'linkedin'), (5, 'referee'), (6, 'agency:brightstaff'), (7, 'social:facebook')
) t(i, channel);

CREATE TEMP TABLE employers AS SELECT * FROM (VALUES
    (0, 'Harrowgate Care Homes Ltd', 'Senior Care Assistant'), (1, 'Pennine Logistics plc', 'Warehouse Operative'),
    (2, 'Brackenfield NHS Trust', 'Staff Nurse'), (3, 'Quayside Software Ltd', 'Backend Developer'),
    (4, 'Thornbury Academy Trust', 'Teaching Assistant'), (5, 'Ledger & Lyle Accountants', 'Accounts Assistant'),
    (6, 'Copperbeech Hotels', 'Sous Chef'), (7, 'Northgate Builders', 'Site Manager')
) t(i, employer, title);

INSERT INTO subjects
SELECT printf('P%07d', t.k),
       lower(f.name || '.' || s.name) || printf('.%d', t.k) || '@example.' || (['com','org','net'])[CAST(1 + t.k % 3 AS BIGINT)],
       CASE WHEN hash(t.k, 'type') % 10 < 9 THEN 'candidate' ELSE 'client_contact' END,
       TIMESTAMP '2023-01-01' + to_days(CAST(hash(t.k, 'created') % 1400 AS INTEGER)),
       1
FROM pop, range(1, pop.n + 1) t(k)
JOIN first_names f ON f.i = hash(t.k, 'first') % 30
JOIN surnames s ON s.i = hash(t.k, 'last') % 30;

INSERT INTO subject_keys SELECT 'email:' || subject_ref, subject_id FROM subjects WHERE subject_id LIKE 'P%';

-- One profile per candidate, received with the subject's first source.
INSERT INTO profiles (profile_id, subject_id, file_sha256, origin, format, name, emails, phones, postcode, town,
                      ni_number, date_of_birth, skills, employment, education, links, run_id)
SELECT printf('%016x/0', hash(s.subject_id, 'file')), s.subject_id, printf('%064x', hash(s.subject_id, 'file')), NULL, 'text',
       cap(split_part(s.subject_ref, '.', 1)) || ' ' || cap(split_part(s.subject_ref, '.', 2)),
       [s.subject_ref],
       [printf('+447700900%03d', CAST(hash(s.subject_id, 'phone') % 1000 AS INTEGER))],
       CASE WHEN hash(s.subject_id, 'pc') % 20 = 0 THEN NULL
            ELSE p.area || CAST(1 + hash(s.subject_id, 'd') % 20 AS VARCHAR) || ' ' || CAST(hash(s.subject_id, 'e') % 10 AS VARCHAR)
                 || chr(65 + CAST(hash(s.subject_id, 'f') % 26 AS INTEGER)) || chr(65 + CAST(hash(s.subject_id, 'g') % 26 AS INTEGER)) END,
       p.town,
       printf('JT%06dA', CAST(hash(s.subject_id, 'ni') % 1000000 AS INTEGER)),
       DATE '1960-01-01' + CAST(hash(s.subject_id, 'dob') % 15000 AS INTEGER),
       list_distinct(list_transform(range(CAST(2 + hash(s.subject_id, 'nsk') % 4 AS BIGINT)),
           x -> getvariable('skills')[CAST(1 + hash(s.subject_id, x) % len(getvariable('skills')) AS BIGINT)])),
       json_array(json_object('employer', e.employer, 'title', e.title, 'start', '2019-04', 'end', 'present'))::JSON,
       json_array(json_object('institution', p.town || ' College', 'qualification', 'BTEC Level 3', 'year', '2012'))::JSON,
       ['https://linkedin.example.com/in/' || replace(split_part(s.subject_ref, '@', 1), '.', '-')],
       1
FROM subjects s
JOIN places p ON p.i = hash(s.subject_id, 'place') % 16
JOIN employers e ON e.i = hash(s.subject_id, 'employer') % 8
WHERE s.subject_type = 'candidate' AND s.subject_id LIKE 'P%';

-- Every subject's first source; one in five also came through a second channel later.
INSERT INTO sources
SELECT printf('%016x/0', hash(s.subject_id, 'file')), s.subject_id, c.channel, c.channel = 'direct', s.created_at,
       printf('%064x', hash(s.subject_id, 'file')), 'inbox/' || s.subject_id || '.txt', NULL, 1
FROM subjects s JOIN channels c ON c.i = hash(s.subject_id, 'channel') % 8
WHERE s.subject_id LIKE 'P%';

INSERT INTO sources
SELECT printf('%016x/1', hash(s.subject_id, 'file')), s.subject_id, c.channel, c.channel = 'direct',
       s.created_at + to_days(CAST(1 + hash(s.subject_id, 'second') % 300 AS INTEGER)),
       printf('%064x', hash(s.subject_id, 'file2')), 'boards/' || s.subject_id || '.csv', 'row 1', 1
FROM subjects s JOIN channels c ON c.i = hash(s.subject_id, 'channel2') % 8
WHERE s.subject_id LIKE 'P%' AND hash(s.subject_id, 'second') % 5 = 0;

-- The pipeline: most candidates apply; some are put forward (disclosed), placed or not.
CREATE TEMP TABLE pipeline AS
SELECT s.subject_id, CAST(s.created_at AS DATE) + CAST(hash(s.subject_id, 'apply') % 20 AS INTEGER) AS applied,
       hash(s.subject_id, 'stage') % 100 AS stage
FROM subjects s
WHERE s.subject_type = 'candidate' AND s.subject_id LIKE 'P%' AND hash(s.subject_id, 'applies') % 10 < 8;

INSERT INTO events
SELECT printf('%032x', hash(subject_id, 'applied')), subject_id, 'applied', applied,
       json_object('vacancy', 'POP-' || CAST(hash(subject_id, 'vac') % 4000 AS VARCHAR))::JSON, 'popgen', 1
FROM pipeline;

INSERT INTO events
SELECT printf('%032x', hash(p.subject_id, 'disclosed')), p.subject_id, 'disclosed', p.applied + 5,
       json_object('recipient', e.employer)::JSON, 'popgen', 1
FROM pipeline p JOIN employers e ON e.i = hash(p.subject_id, 'client') % 8
WHERE p.stage < 50;

INSERT INTO events
SELECT printf('%032x', hash(subject_id, 'placed')), subject_id, 'placed',
       applied + 6 + CAST(hash(subject_id, 'ttp') % 200 AS INTEGER), NULL, 'popgen', 1
FROM pipeline WHERE stage < 15;

INSERT INTO events
SELECT printf('%032x', hash(subject_id, 'unsuccessful')), subject_id, 'unsuccessful',
       applied + 10 + CAST(hash(subject_id, 'uns') % 60 AS INTEGER), NULL, 'popgen', 1
FROM pipeline WHERE stage >= 15 AND stage < 60;

INSERT INTO events
SELECT printf('%032x', hash(s.subject_id, 'right')), s.subject_id,
       (['access_requested', 'erasure_requested', 'restriction_requested', 'objected'])[CAST(1 + hash(s.subject_id, 'kind') % 4 AS BIGINT)],
       CAST(s.created_at AS DATE) + CAST(30 + hash(s.subject_id, 'when') % 300 AS INTEGER),
       CASE WHEN hash(s.subject_id, 'kind') % 4 = 3 THEN '{"processing":"marketing"}'::JSON
            ELSE json_object('reason', 'Asked by phone: ' || split_part(s.subject_ref, '@', 1) || ' wants this done')::JSON END,
       'popgen', 1
FROM subjects s WHERE s.subject_id LIKE 'P%' AND hash(s.subject_id, 'rights') % 25 = 0;

INSERT INTO events
SELECT printf('%032x', hash(s.subject_id, 'notice')), s.subject_id, 'notice_sent',
       CAST(s.created_at AS DATE) + CAST(hash(s.subject_id, 'nwhen') % 28 AS INTEGER), NULL, 'popgen', 1
FROM subjects s JOIN sources src ON src.profile_id = printf('%016x/0', hash(s.subject_id, 'file')) AND src.subject_id = s.subject_id
WHERE s.subject_id LIKE 'P%' AND NOT src.obtained_from_subject;

-- Equal-opportunities monitoring answers (condition recorded) for one candidate in 12,
-- and findings in CV free text (no condition) that must never be counted.
INSERT INTO restricted
SELECT p.profile_id || '#' || c.k, p.subject_id, p.subject_id, p.profile_id,
       (['racial_ethnic_origin', 'religious_beliefs', 'health', 'sex_life_sexual_orientation'])[CAST(1 + hash(p.subject_id, c.k) % 4 AS BIGINT)],
       CASE WHEN hash(p.subject_id, 'form') % 12 = 0 THEN 'equal_opportunities_monitoring' END,
       'popgen', 0.9, 0, 10, '\x00'::BLOB, 1
FROM profiles p, (VALUES (0), (1)) c(k)
WHERE p.subject_id LIKE 'P%' AND (hash(p.subject_id, 'form') % 12 = 0 OR hash(p.subject_id, 'freetext') % 30 = 0);

-- A deletion manifest on the first of each month of 2026, each listing the subjects
-- created that month three years earlier, with decisions on some rows.
CREATE TEMP TABLE pop_months AS SELECT DATE '2026-01-01' + to_months(CAST(m AS INTEGER)) AS as_of FROM range(0, 11) t(m);

INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at, superseded_by)
SELECT 'deletion-' || strftime(as_of, '%Y-%m-%d') || '-popgen', 'deletion', as_of, 'tophat', 'popgen', 0, [], 1, as_of, NULL
FROM pop_months;

INSERT INTO manifest_rows (manifest_id, row_id, subject_id, subject_type, action, rule_id, anchor_event, anchor_date,
                           due_date, earliest_permitted_date, legal_hold, review_required, review_reasons, status,
                           proposed_action, blocked_by, rules_due, scope)
SELECT 'deletion-' || strftime(m.as_of, '%Y-%m-%d') || '-popgen', s.subject_id || '/stale', s.subject_id, s.subject_type,
       (['delete', 'delete', 'request_consent', 'archive', 'keep'])[CAST(1 + hash(s.subject_id, 'action') % 5 AS BIGINT)],
       'stale', 'registered', CAST(s.created_at AS DATE), m.as_of, m.as_of, false, false, [], 'pending',
       'delete', [], ['stale'], 'subject'
FROM subjects s JOIN pop_months m ON date_trunc('month', s.created_at) = m.as_of - INTERVAL 3 YEAR
WHERE s.subject_id LIKE 'P%';

INSERT INTO decisions
SELECT manifest_id, row_id, CASE WHEN hash(row_id, 'd') % 4 = 0 THEN 'reject' ELSE 'approve' END,
       'Reviewer ' || CAST(hash(row_id, 'who') % 3 AS VARCHAR), NULL, CAST(due_date AS TIMESTAMP) + INTERVAL 2 DAY
FROM manifest_rows WHERE manifest_id LIKE '%-popgen' AND hash(row_id, 'decided') % 3 > 0;
