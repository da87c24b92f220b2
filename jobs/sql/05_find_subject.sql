-- The subject an id or an e-mail names (e-mails through the identity keys).
SELECT subject_id FROM subjects WHERE subject_id = CAST($ref AS VARCHAR)
UNION
SELECT subject_id FROM subject_keys WHERE key = 'email:' || lower(trim(CAST($ref AS VARCHAR)))
