-- A hand-made store for TestComputeCounts: six candidates and a client contact whose
-- every count is worked out by hand in the test. Fictional; example.com only.
INSERT INTO subjects VALUES
    ('C1', 'c1@example.com', 'candidate', TIMESTAMP '2026-01-05', 1),
    ('C2', 'c2@example.com', 'candidate', TIMESTAMP '2026-01-20', 1),
    ('C3', 'c3@example.com', 'candidate', TIMESTAMP '2026-02-02', 1),
    ('C4', 'c4@example.com', 'candidate', TIMESTAMP '2026-02-10', 1),
    ('C5', 'c5@example.com', 'candidate', TIMESTAMP '2026-12-01', 1),
    ('C6', 'c6@example.com', 'candidate', TIMESTAMP '2026-02-11', 1),
    ('X1', 'x1@example.com', 'client_contact', TIMESTAMP '2026-01-01', 1);

INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, postcode, skills, run_id) VALUES
    ('p1/0', 'C1', 'f1', 'text', 'Cara One', 'ls1 4ap', ['Venepuncture', 'Phlebotomy', 'Personal Care'], 1),
    ('p1/1', 'C1', 'f1b', 'text', 'Cara One', 'M1 1AE', NULL, 1),
    ('p2/0', 'C2', 'f2', 'text', 'Cal Two', NULL, ['Personal Care', 'Manual Handling'], 1),
    ('p3/0', 'C3', 'f3', 'text', 'Cy Three', 'EH1 1YZ', ['Personal Care', 'Cannulation'], 1),
    ('p4/0', 'C4', 'f4', 'text', 'Cat Four', 'not a postcode', NULL, 1),
    ('p6/0', 'C6', 'f6', 'text', 'Cid Six', 'G2 3AB', NULL, 1);

-- C1 came directly first and through Indeed later (with a newer postcode: Manchester).
INSERT INTO sources VALUES
    ('p1/0', 'C1', 'direct', true, TIMESTAMP '2026-01-05', 'f1', 'in/c1.txt', NULL, 1),
    ('p1/1', 'C1', 'job_board:indeed', false, TIMESTAMP '2026-03-01', 'f1b', 'in/c1b.txt', NULL, 1),
    ('p2/0', 'C2', 'job_board:indeed', false, TIMESTAMP '2026-01-20', 'f2', 'in/c2.txt', NULL, 1),
    ('p3/0', 'C3', 'linkedin', false, TIMESTAMP '2026-02-02', 'f3', 'in/c3.txt', NULL, 1),
    ('p4/0', 'C4', 'direct', true, TIMESTAMP '2026-02-10', 'f4', 'in/c4.txt', NULL, 1),
    ('p6/0', 'C6', 'referee', false, TIMESTAMP '2026-02-11', 'f6', 'in/c6.txt', NULL, 1),
    ('x1/0', 'X1', 'direct', true, TIMESTAMP '2026-01-01', 'fx', 'in/x1.txt', NULL, 1),
    ('p5/0', 'C5', 'direct', true, TIMESTAMP '2026-12-01', 'f5', 'in/c5.txt', NULL, 1);

INSERT INTO events (event_key, subject_id, event, at, run_id) VALUES
    ('e1', 'C1', 'applied', DATE '2026-01-10', 1),
    ('e2', 'C1', 'disclosed', DATE '2026-01-15', 1),
    ('e3', 'C1', 'placed', DATE '2026-02-20', 1),       -- 41 days after applying
    ('e4', 'C2', 'applied', DATE '2026-01-22', 1),
    ('e5', 'C2', 'unsuccessful', DATE '2026-02-01', 1),
    ('e6', 'C3', 'applied', DATE '2026-02-05', 1),
    ('e7', 'C3', 'disclosed', DATE '2026-02-06', 1),    -- shortlisted
    ('e8', 'C4', 'applied', DATE '2026-02-11', 1),
    ('e9', 'C4', 'placed', DATE '2026-12-01', 1),       -- after as-of: not counted
    ('e10', 'C6', 'placed', DATE '2026-03-01', 1),      -- never applied: not in the pipeline
    ('e11', 'C3', 'access_requested', DATE '2026-03-03', 1),
    ('e12', 'C3', 'erasure_requested', DATE '2026-03-04', 1),
    ('e13', 'C4', 'objected', DATE '2026-03-05', 1),
    ('e14', 'C3', 'access_requested', DATE '2026-03-20', 1), -- same subject, kind and month: one
    ('e15', 'C2', 'notice_sent', DATE '2026-01-25', 1);

-- Monitoring answers (condition recorded) for C1 and C3; C1's health finding in CV
-- text and C2's finding held on explicit consent are not monitoring data.
INSERT INTO restricted VALUES
    ('p1/0#0', 'C1', 'C1', 'p1/0', 'racial_ethnic_origin', 'equal_opportunities_monitoring', 'd', 0.9, 0, 5, '\x00'::BLOB, 1),
    ('p1/0#1', 'C1', 'C1', 'p1/0', 'health', NULL, 'd', 0.9, 0, 5, '\x00'::BLOB, 1),
    ('p2/0#0', 'C2', 'C2', 'p2/0', 'religious_beliefs', 'explicit_consent', 'd', 0.9, 0, 5, '\x00'::BLOB, 1),
    ('p3/0#0', 'C3', 'C3', 'p3/0', 'racial_ethnic_origin', 'equal_opportunities_monitoring', 'd', 0.9, 0, 5, '\x00'::BLOB, 1);

INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, run_id, created_at, superseded_by) VALUES
    ('m1', 'deletion', DATE '2026-03-01', 'tophat', 'x', 2, 1, TIMESTAMP '2026-03-01', NULL),
    ('m2', 'deletion', DATE '2026-03-15', 'tophat', 'x', 1, 1, TIMESTAMP '2026-03-15', NULL),
    ('m0', 'deletion', DATE '2026-03-15', 'tophat', 'x', 1, 1, TIMESTAMP '2026-03-15', 'm2');

INSERT INTO manifest_rows (manifest_id, row_id, subject_id, action, rule_id, due_date, legal_hold, review_required,
                           review_reasons, proposed_action, blocked_by, rules_due, scope) VALUES
    ('m1', 'C1/r', 'C1', 'keep', 'r', DATE '2026-03-01', false, false, [], 'delete', [], [], 'subject'),
    ('m1', 'C2/r', 'C2', 'request_consent', 'r', DATE '2026-03-01', false, false, [], 'request_consent', [], [], 'subject'),
    ('m2', 'C1/r', 'C1', 'delete', 'r', DATE '2026-03-15', false, false, [], 'delete', [], [], 'subject'),
    ('m0', 'C4/r', 'C4', 'delete', 'r', DATE '2026-03-15', false, false, [], 'delete', [], [], 'subject');

INSERT INTO decisions VALUES
    ('m2', 'C1/r', 'approve', 'Reviewer A', NULL, TIMESTAMP '2026-03-16 09:00'),
    ('m2', 'C1/r', 'reject', 'Reviewer B', NULL, TIMESTAMP '2026-03-16 10:00'),
    ('m1', 'C2/r', 'approve', 'Reviewer A', NULL, TIMESTAMP '2026-03-02 09:00');
