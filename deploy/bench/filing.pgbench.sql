-- The rows one filing of an identity-change case writes (FileCase and CaseWriter), in one transaction: a number
-- from the case_numbers sequence (as the service takes it: no counter row that every filing would update), the case
-- with its form and engine state, two history rows, the household task, its six deadline timers (case warning and
-- breach; task warning, breach and two escalations) and the outbox message that sends the task to the department. Due times are plain offsets here; the service computes them on the business
-- calendar. Needs a database with the migrations applied and the workflows registered (as `OneThing.Bench filing` makes).
--   pgbench --no-vacuum --protocol=prepared --client=8 --jobs=2 --transactions=250 --file=deploy/bench/filing.pgbench.sql DB
SELECT gen_random_uuid() AS case_id, gen_random_uuid() AS task_id, gen_random_uuid() AS message_id \gset
BEGIN;
SELECT 'YJS-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(nextval('case_numbers')::text, 6, '0') AS case_number \gset
INSERT INTO cases (id, case_number, workflow_id, workflow_version, status, form, state, idempotency_key, request_hash,
                   filed_at, updated_at, ended_at, sla, due_at, warn_at, breached_at)
VALUES (:case_id::uuid, :case_number, 'identity-change', 1, 'running',
        '{"name": "张小明", "phone": "13812345678", "newName": "张明远", "idNumber": "330205196001010005", "ownsProperty": true, "hasSchoolAgeChild": true}',
        jsonb_build_object(
            'steps', jsonb_build_array(
                jsonb_build_object('status', 'active', 'stepId', 'household', 'taskId', :task_id::uuid, 'endedAt', NULL, 'activatedAt', now()),
                jsonb_build_object('status', 'waiting', 'stepId', 'social-security', 'taskId', NULL, 'endedAt', NULL, 'activatedAt', NULL),
                jsonb_build_object('status', 'waiting', 'stepId', 'medical-insurance', 'taskId', NULL, 'endedAt', NULL, 'activatedAt', NULL),
                jsonb_build_object('status', 'waiting', 'stepId', 'housing-fund', 'taskId', NULL, 'endedAt', NULL, 'activatedAt', NULL),
                jsonb_build_object('status', 'waiting', 'stepId', 'education', 'taskId', NULL, 'endedAt', NULL, 'activatedAt', NULL),
                jsonb_build_object('status', 'waiting', 'stepId', 'real-estate', 'taskId', NULL, 'endedAt', NULL, 'activatedAt', NULL)),
            'caseId', :case_id::uuid, 'status', 'running', 'endedAt', NULL, 'filedAt', now()),
        NULL, encode(sha256(convert_to(:case_id, 'UTF8')), 'hex'),
        now(), now(), NULL, '5 workdays', now() + interval '7 days', now() + interval '5 days', NULL);
INSERT INTO case_events (case_id, type, step_id, task_id, actor, detail, occurred_at)
VALUES (:case_id::uuid, 'case-filed', NULL, NULL, NULL, 'identity-change v1', now()),
       (:case_id::uuid, 'task-dispatched', 'household', :task_id::uuid, NULL, 'household-registration', now());
INSERT INTO department_tasks (id, case_id, step_id, department, kind, state, assignee, comment, dispatch_attempts,
                              created_at, last_dispatched_at, acknowledged_at, claimed_at, ended_at, sla, due_at, warn_at,
                              paused_at, paused_seconds, warned_at, breached_at, escalation_level)
VALUES (:task_id::uuid, :case_id::uuid, 'household', 'household-registration', 'review', 'dispatched', NULL, NULL, 1,
        now(), now(), NULL, NULL, NULL, '1 workday', now() + interval '1 day', now() + interval '19 hours',
        NULL, 0, NULL, NULL, 0);
INSERT INTO timers (case_id, task_id, kind, level, due_at, created_at)
VALUES (:case_id::uuid, NULL, 'case-warning', 0, now() + interval '5 days', now()),
       (:case_id::uuid, NULL, 'case-breach', 0, now() + interval '7 days', now()),
       (:case_id::uuid, :task_id::uuid, 'task-warning', 0, now() + interval '19 hours', now()),
       (:case_id::uuid, :task_id::uuid, 'task-breach', 0, now() + interval '1 day', now()),
       (:case_id::uuid, :task_id::uuid, 'task-escalation', 1, now() + interval '1 day', now()),
       (:case_id::uuid, :task_id::uuid, 'task-escalation', 2, now() + interval '2 days', now());
INSERT INTO outbox_messages (message_id, message_type, destination, payload, case_id, created_at)
VALUES (:message_id::uuid, 'RequestDepartmentTask', 'department-household-registration',
        jsonb_build_object('taskId', :task_id::uuid, 'caseId', :case_id::uuid, 'caseNumber', :case_number::text,
                           'workflowId', 'identity-change', 'stepId', 'household', 'department', 'household-registration',
                           'kind', 'review', 'attempt', 1),
        :case_id::uuid, now());
COMMIT;
