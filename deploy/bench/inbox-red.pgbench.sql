-- The inbox filtered to the tasks past their deadline (light=red), as the API reads it: count, then the first page.
--   pgbench --no-vacuum --protocol=prepared --client=1 --transactions=30 --define=offset=0 --define=limit=50 --file=deploy/bench/inbox-red.pgbench.sql DB
BEGIN;
SELECT count(*)
  FROM (SELECT 1
          FROM department_tasks t
         WHERE t.department = 'household-registration' AND t.kind <> 'automated'
           AND (t.state = 'open' OR t.state = 'claimed' OR t.state = 'awaiting-supplement')
           AND t.due_at <= now() AND t.due_at <= coalesce(t.paused_at, t.ended_at, now())
         LIMIT 10001) counted;
SELECT t.*, c.case_number, c.workflow_id, c.workflow_version, c.form
  FROM (SELECT *
          FROM department_tasks t
         WHERE t.department = 'household-registration' AND t.kind <> 'automated'
           AND (t.state = 'open' OR t.state = 'claimed' OR t.state = 'awaiting-supplement')
           AND t.due_at <= now() AND t.due_at <= coalesce(t.paused_at, t.ended_at, now())
         ORDER BY t.due_at, t.created_at, t.id
         LIMIT :limit OFFSET :offset) t
  JOIN cases c ON c.id = t.case_id;
COMMIT;
