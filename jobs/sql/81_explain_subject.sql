-- Explain: what is known about the subject being explained (ids and dates, no e-mail).
SELECT f.subject_id, f.subject_type, f.roles, f.status,
       coalesce((SELECT list_sort(list(event)) FROM ev_agg WHERE subject_id = f.subject_id AND qual = '*'
                 AND event NOT IN ('created', 'received')), []::VARCHAR[]) AS events,
       coalesce((SELECT list_sort(list(qual)) FROM ev_agg WHERE subject_id = f.subject_id AND event = 'received'
                 AND qual <> '*'), []::VARCHAR[]) AS channel_kinds,
       coalesce((SELECT list_sort(list(qual)) FROM f_consent WHERE subject_id = f.subject_id AND state = 'given'), []::VARCHAR[]) AS consents_given,
       coalesce((SELECT list_sort(list(qual)) FROM f_consent WHERE subject_id = f.subject_id AND state = 'withdrawn'), []::VARCHAR[]) AS consents_withdrawn,
       f.hold_active, f.hold_released, f.last_request, f.n_special, f.n_no_condition, f.n_channels, f.n_files,
       f.placed_or_employed
FROM facts f
