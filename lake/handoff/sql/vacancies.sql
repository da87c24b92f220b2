-- The vacancies of those files, as profile.Vacancy.
SELECT file_sha256, reference, coalesce(title, ''), coalesce(employer, ''), coalesce(town, ''),
       coalesce(postcode, ''), coalesce(description, ''), skills, coalesce(salary, ''),
       coalesce(job_type, ''), coalesce(strftime(posted_date, '%Y-%m-%d'), ''), coalesce(url, ''),
       coalesce(category, '')
FROM vacancies
WHERE run_id > $1 AND run_id <= $2
ORDER BY file_sha256, rowid
