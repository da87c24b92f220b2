-- A synthetic store for the matching benchmark: $candidates candidates in nine sectors,
-- each with 3–10 of their sector's skills (sometimes one from another sector), one to
-- three past jobs, a qualification for half of them and a postcode in one of 28 areas;
-- and $vacancies open vacancies asking for 3–6 skills. Fictional: example.com only.

CREATE TEMP TABLE sector AS
SELECT s.no, s.skills, s.titles, s.quals
FROM (SELECT unnest(from_json(getvariable('sectors'), '[{"no":"INTEGER","skills":["VARCHAR"],"titles":["VARCHAR"],"quals":["VARCHAR"]}]'), recursive := true)) s;

CREATE TEMP TABLE place AS
SELECT from_json(getvariable('places'), '{"areas":["VARCHAR"],"towns":["VARCHAR"]}') AS p;

CREATE TEMP TABLE people AS
SELECT i, printf('S%07d', i) AS subject_id, CAST(hash(i, 'sector') % 9 AS INTEGER) AS sector_no,
       CAST(hash(i, 'area') % 28 AS INTEGER) + 1 AS place_no
FROM range(1, CAST(getvariable('candidates') AS BIGINT) + 1) t(i);

INSERT INTO subjects
SELECT subject_id, printf('bench%07d@example.com', i), 'candidate', TIMESTAMP '2020-01-01', 1 FROM people;

INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, emails, postcode, town, skills, employment, education, run_id)
SELECT printf('%016x/0', hash(p.subject_id)), p.subject_id, printf('%064x', hash(p.subject_id)), 'text', 'Bench Person',
       [printf('bench%07d@example.com', p.i)],
       pl.p.areas[p.place_no] || CAST(1 + hash(p.i, 'district') % 12 AS VARCHAR) || ' ' || CAST(hash(p.i, 'sector2') % 9 + 1 AS VARCHAR) || 'AB',
       pl.p.towns[p.place_no],
       list_slice(list_distinct([
           s.skills[1 + CAST(hash(p.i, 1) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(p.i, 2) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(p.i, 3) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(p.i, 4) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(p.i, 5) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(p.i, 6) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(p.i, 7) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(p.i, 8) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(p.i, 9) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(p.i, 10) % len(s.skills) AS INTEGER)]]),
           1, 3 + CAST(hash(p.i, 'nskills') % 8 AS INTEGER)),
       CAST(to_json(list_slice([
           {'title': s.titles[1 + CAST(hash(p.i, 'job1') % len(s.titles) AS INTEGER)], 'employer': 'Bench Employer Ltd',
            'start': printf('%d-%02d', 2016 + hash(p.i, 'y1') % 9, 1 + hash(p.i, 'm1') % 12), 'end': 'present'},
           {'title': s.titles[1 + CAST(hash(p.i, 'job2') % len(s.titles) AS INTEGER)], 'employer': 'Bench Services Ltd',
            'start': printf('%d-%02d', 2008 + hash(p.i, 'y2') % 6, 1 + hash(p.i, 'm2') % 12), 'end': '2015-12'},
           {'title': s.titles[1 + CAST(hash(p.i, 'job3') % len(s.titles) AS INTEGER)], 'employer': 'Bench Group plc',
            'start': printf('%d-%02d', 2001 + hash(p.i, 'y3') % 6, 1 + hash(p.i, 'm3') % 12), 'end': '2007-12'}],
           1, 1 + CAST(hash(p.i, 'njobs') % 3 AS INTEGER))) AS JSON),
       CASE WHEN hash(p.i, 'edu') % 2 = 0 THEN CAST(to_json([{'institution': 'Bench College',
            'qualification': s.quals[1 + CAST(hash(p.i, 'q') % len(s.quals) AS INTEGER)], 'year': '2010'}]) AS JSON) END,
       1
FROM people p JOIN sector s ON s.no = p.sector_no, place pl;

INSERT INTO vacancies (vacancy_id, reference, channel, file_sha256, title, employer, town, postcode, description, skills, posted_date, run_id)
SELECT 'job_board:bench/V' || CAST(v AS VARCHAR), 'V' || CAST(v AS VARCHAR), 'job_board:bench', 'bench-feed',
       s.titles[1 + CAST(hash(v, 'title') % len(s.titles) AS INTEGER)],
       'Bench Client ' || CAST(hash(v, 'client') % 500 AS VARCHAR),
       pl.p.towns[1 + CAST(hash(v, 'area') % 28 AS INTEGER)],
       pl.p.areas[1 + CAST(hash(v, 'area') % 28 AS INTEGER)] || CAST(1 + hash(v, 'district') % 12 AS VARCHAR) || ' 1AA',
       'Bench vacancy. ' || s.quals[1 + CAST(hash(v, 'q') % len(s.quals) AS INTEGER)] || ' preferred. '
           || CAST(1 + hash(v, 'years') % 5 AS VARCHAR) || ' years experience.',
       list_slice(list_distinct([
           s.skills[1 + CAST(hash(v, 1) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(v, 2) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(v, 3) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(v, 4) % len(s.skills) AS INTEGER)],
           s.skills[1 + CAST(hash(v, 5) % len(s.skills) AS INTEGER)], s.skills[1 + CAST(hash(v, 6) % len(s.skills) AS INTEGER)]]),
           1, 3 + CAST(hash(v, 'nskills') % 4 AS INTEGER)),
       getvariable('as_of') - CAST(hash(v, 'posted') % 30 AS INTEGER), 1
FROM range(1, CAST(getvariable('vacancies') AS BIGINT) + 1) t(v)
JOIN sector s ON s.no = CAST(hash(v, 'sector') % 9 AS INTEGER), place pl;

DROP TABLE people
