-- The rows one decision writes: a reviewer approving the household step of an identity-change case whose other
-- conditions are false (hasSchoolAgeChild, ownsProperty), the decision that fans out. It is the largest of the case's
-- decisions; approving social-security or medical-insurance, or the housing-fund system's answer, writes the first
-- four kinds of rows below and no new tasks (the last of them also closes the case: its timers, case-completed, and
-- a CaseCompleted outbox message).
--
-- How they were derived: PostgreSQL's own statement log (log_statement = all) of POST /api/tasks/{id}/approve on a
-- case filed through the API, read against DecideTask and CaseWriter.ApplyAsync. The service runs, in one transaction:
--   lock the case (SELECT * FROM cases ... FOR NO KEY UPDATE), read the task,
--   cancel the task's 4 pending timers (warning, breach, 2 escalations: one UPDATE),
--   then one batch: the audit row; 6 history rows (task-approved, 3 task-dispatched, 2 step-skipped); the case's
--   state (and form) update; the task update (approved, assignee, comment, outcome, ended); 3 new tasks
--   (social-security, medical-insurance, housing-fund); their 3 outbox messages (RequestDepartmentTask to
--   department-social-security, department-medical-insurance, department-system-housing-fund); 12 timers (4 each);
--   and commits. Before the transaction it looks the task up twice by id (the reviewer's department, then the case).
-- Here the task is taken with one indexed lookup (the inbox index, SKIP LOCKED so clients do not queue on one row)
-- instead of those two; the new task ids come from gen_random_uuid (the service derives them from case and step);
-- due times are plain offsets (the service computes them on the business calendar).
--
-- Needs undecided household tasks: rows as filing.pgbench.sql writes them, one per transaction here (the tool runs
-- that script first, unmeasured, for as many cases as it decides plus one per client). The form it filed is not read.
--   pgbench --no-vacuum --protocol=prepared --client=8 --jobs=2 --transactions=300 --file=deploy/bench/filing.pgbench.sql DB
--   pgbench --no-vacuum --protocol=prepared --client=6 --jobs=2 --transactions=50 --file=deploy/bench/decision.pgbench.sql DB
SELECT gen_random_uuid() AS social_id, gen_random_uuid() AS medical_id, gen_random_uuid() AS fund_id \gset
BEGIN;
SELECT id AS task_id, case_id FROM department_tasks
WHERE department = 'household-registration' AND state = 'dispatched'
LIMIT 1 FOR UPDATE SKIP LOCKED \gset
SELECT * FROM cases WHERE id = :case_id::uuid FOR NO KEY UPDATE \gset
SELECT * FROM department_tasks WHERE id = :task_id::uuid;
UPDATE timers SET cancelled_at = now() WHERE task_id = :task_id::uuid AND fired_at IS NULL AND cancelled_at IS NULL;
INSERT INTO audit_log (action, actor, client_address, detail, occurred_at, role, target_id, target_type)
VALUES ('task-approved', 'reviewer.household-registration', '127.0.0.1', 'case ' || :case_number::text || ', step household',
        now(), 'reviewer', :task_id::text, 'task');
INSERT INTO case_events (case_id, type, step_id, task_id, actor, detail, occurred_at)
VALUES (:case_id::uuid, 'task-approved', 'household', :task_id::uuid, 'reviewer.household-registration', '材料齐全，同意', now()),
       (:case_id::uuid, 'task-dispatched', 'social-security', :social_id::uuid, NULL, 'social-security', now()),
       (:case_id::uuid, 'task-dispatched', 'medical-insurance', :medical_id::uuid, NULL, 'medical-insurance', now()),
       (:case_id::uuid, 'task-dispatched', 'housing-fund', :fund_id::uuid, NULL, 'housing-fund', now()),
       (:case_id::uuid, 'step-skipped', 'education', NULL, NULL, 'condition ''hasSchoolAgeChild'' is false', now()),
       (:case_id::uuid, 'step-skipped', 'real-estate', NULL, NULL, 'condition ''ownsProperty'' is false', now());
UPDATE cases
SET form = form,
    state = jsonb_build_object(
        'steps', jsonb_build_array(
            jsonb_build_object('status', 'approved', 'stepId', 'household', 'taskId', :task_id::uuid, 'endedAt', now(), 'outcome', 'approved',
                               'breachedAt', NULL, 'activatedAt', filed_at, 'supplementRequestedAt', NULL),
            jsonb_build_object('status', 'active', 'stepId', 'social-security', 'taskId', :social_id::uuid, 'endedAt', NULL, 'outcome', NULL,
                               'breachedAt', NULL, 'activatedAt', now(), 'supplementRequestedAt', NULL),
            jsonb_build_object('status', 'active', 'stepId', 'medical-insurance', 'taskId', :medical_id::uuid, 'endedAt', NULL, 'outcome', NULL,
                               'breachedAt', NULL, 'activatedAt', now(), 'supplementRequestedAt', NULL),
            jsonb_build_object('status', 'active', 'stepId', 'housing-fund', 'taskId', :fund_id::uuid, 'endedAt', NULL, 'outcome', NULL,
                               'breachedAt', NULL, 'activatedAt', now(), 'supplementRequestedAt', NULL),
            jsonb_build_object('status', 'skipped', 'stepId', 'education', 'taskId', NULL, 'endedAt', now(), 'outcome', 'skipped',
                               'breachedAt', NULL, 'activatedAt', NULL, 'supplementRequestedAt', NULL),
            jsonb_build_object('status', 'skipped', 'stepId', 'real-estate', 'taskId', NULL, 'endedAt', now(), 'outcome', 'skipped',
                               'breachedAt', NULL, 'activatedAt', NULL, 'supplementRequestedAt', NULL)),
        'caseId', :case_id::uuid, 'status', 'running', 'endedAt', NULL, 'filedAt', filed_at, 'reports', 0),
    updated_at = now()
WHERE id = :case_id::uuid;
UPDATE department_tasks
SET assignee = 'reviewer.household-registration', comment = '材料齐全，同意', ended_at = now(), outcome = 'approved', state = 'approved'
WHERE id = :task_id::uuid;
INSERT INTO department_tasks (id, case_id, step_id, department, kind, state, assignee, comment, dispatch_attempts,
                              created_at, last_dispatched_at, acknowledged_at, claimed_at, ended_at, sla, due_at, warn_at,
                              paused_at, paused_seconds, warned_at, breached_at, escalation_level)
VALUES (:social_id::uuid, :case_id::uuid, 'social-security', 'social-security', 'review', 'dispatched', NULL, NULL, 1,
        now(), now(), NULL, NULL, NULL, '2 workdays', now() + interval '2 days', now() + interval '42 hours', NULL, 0, NULL, NULL, 0),
       (:medical_id::uuid, :case_id::uuid, 'medical-insurance', 'medical-insurance', 'review', 'dispatched', NULL, NULL, 1,
        now(), now(), NULL, NULL, NULL, '2 workdays', now() + interval '2 days', now() + interval '42 hours', NULL, 0, NULL, NULL, 0),
       (:fund_id::uuid, :case_id::uuid, 'housing-fund', 'housing-fund', 'automated', 'dispatched', NULL, NULL, 1,
        now(), now(), NULL, NULL, NULL, '4 workhours', now() + interval '4 hours', now() + interval '3 hours', NULL, 0, NULL, NULL, 0);
INSERT INTO outbox_messages (message_id, message_type, destination, payload, case_id, created_at)
VALUES (gen_random_uuid(), 'RequestDepartmentTask', 'department-social-security',
        jsonb_build_object('kind', 'review', 'caseId', :case_id::uuid, 'stepId', 'social-security', 'taskId', :social_id::uuid, 'attempt', 1,
                           'caseNumber', :case_number::text, 'department', 'social-security', 'workflowId', 'identity-change'),
        :case_id::uuid, now()),
       (gen_random_uuid(), 'RequestDepartmentTask', 'department-medical-insurance',
        jsonb_build_object('kind', 'review', 'caseId', :case_id::uuid, 'stepId', 'medical-insurance', 'taskId', :medical_id::uuid, 'attempt', 1,
                           'caseNumber', :case_number::text, 'department', 'medical-insurance', 'workflowId', 'identity-change'),
        :case_id::uuid, now()),
       (gen_random_uuid(), 'RequestDepartmentTask', 'department-system-housing-fund',
        jsonb_build_object('kind', 'automated', 'caseId', :case_id::uuid, 'stepId', 'housing-fund', 'taskId', :fund_id::uuid, 'attempt', 1,
                           'caseNumber', :case_number::text, 'department', 'housing-fund', 'workflowId', 'identity-change'),
        :case_id::uuid, now());
INSERT INTO timers (case_id, task_id, kind, level, due_at, created_at)
VALUES (:case_id::uuid, :social_id::uuid, 'task-warning', 0, now() + interval '42 hours', now()),
       (:case_id::uuid, :social_id::uuid, 'task-breach', 0, now() + interval '2 days', now()),
       (:case_id::uuid, :social_id::uuid, 'task-escalation', 1, now() + interval '2 days', now()),
       (:case_id::uuid, :social_id::uuid, 'task-escalation', 2, now() + interval '4 days', now()),
       (:case_id::uuid, :medical_id::uuid, 'task-warning', 0, now() + interval '42 hours', now()),
       (:case_id::uuid, :medical_id::uuid, 'task-breach', 0, now() + interval '2 days', now()),
       (:case_id::uuid, :medical_id::uuid, 'task-escalation', 1, now() + interval '2 days', now()),
       (:case_id::uuid, :medical_id::uuid, 'task-escalation', 2, now() + interval '4 days', now()),
       (:case_id::uuid, :fund_id::uuid, 'task-warning', 0, now() + interval '3 hours', now()),
       (:case_id::uuid, :fund_id::uuid, 'task-breach', 0, now() + interval '4 hours', now()),
       (:case_id::uuid, :fund_id::uuid, 'task-escalation', 1, now() + interval '4 hours', now()),
       (:case_id::uuid, :fund_id::uuid, 'task-escalation', 2, now() + interval '6 hours', now());
COMMIT;
