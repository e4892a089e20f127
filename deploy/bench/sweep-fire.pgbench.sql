-- Fires one due deadline timer per transaction, as DeadlineSweeper does, in plain SQL: claim the earliest due timer
-- with SKIP LOCKED, lock its case, mark the task breached, write the history row, mark the timer fired.
-- Run by `OneThing.Bench sweep` with one client and as many transactions as there are due timers:
--   pgbench --no-vacuum --protocol=prepared --client=1 --transactions=100 --file=deploy/bench/sweep-fire.pgbench.sql DB
BEGIN;
SELECT id AS timer_id, case_id, task_id
  FROM timers
 WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()
 ORDER BY due_at
 LIMIT 1
   FOR UPDATE SKIP LOCKED \gset
SELECT id FROM cases WHERE id = :case_id FOR NO KEY UPDATE;
UPDATE department_tasks SET breached_at = now()
 WHERE id = :task_id AND state IN ('dispatched', 'open', 'claimed') AND paused_at IS NULL;
INSERT INTO case_events (case_id, type, step_id, task_id, actor, detail, occurred_at)
SELECT case_id, 'task-breached', step_id, id, 'deadline', 'due ' || due_at, now()
  FROM department_tasks
 WHERE id = :task_id;
UPDATE timers SET fired_at = now() WHERE id = :timer_id;
COMMIT;
