-- The first day an incremental export must rewrite: the day of the earliest run after
-- the last one exported, or of any earlier row whose subject a later run merged into
-- another (its subject_id changed). NULL: nothing new.
SELECT strftime(min(d), '%Y-%m-%d') FROM (
    SELECT CAST(started_at AS DATE) AS d FROM runs WHERE run_id > $1
    UNION ALL
    SELECT CAST(r.started_at AS DATE)
    FROM profiles p JOIN runs r ON r.run_id = p.run_id
    WHERE p.subject_id IN (SELECT kept_subject_id FROM subject_merges WHERE run_id > $1)
    UNION ALL
    SELECT CAST(r.started_at AS DATE)
    FROM events e JOIN runs r ON r.run_id = e.run_id
    WHERE e.subject_id IN (SELECT kept_subject_id FROM subject_merges WHERE run_id > $1)
)
