-- A department's inbox page as the API reads it (InboxQueries.PageAsync): how many tasks match (counted up to 10,000 and one: InboxQueries.CountLimit), then one page of them,
-- most urgent first, joined to their cases. Read-only; every transaction reads the same rows.
--   pgbench --no-vacuum --protocol=prepared --client=1 --transactions=30 --define=offset=0 --define=limit=50 --file=deploy/bench/inbox-page.pgbench.sql DB
BEGIN;
SELECT count(*)
  FROM (SELECT 1
          FROM department_tasks t
         WHERE t.department = 'household-registration' AND t.kind <> 'automated'
           AND (t.state = 'open' OR t.state = 'claimed' OR t.state = 'awaiting-supplement')
         LIMIT 10001) counted;
SELECT t.*, c.case_number, c.workflow_id, c.workflow_version, c.form
  FROM (SELECT *
          FROM department_tasks t
         WHERE t.department = 'household-registration' AND t.kind <> 'automated'
           AND (t.state = 'open' OR t.state = 'claimed' OR t.state = 'awaiting-supplement')
         ORDER BY t.due_at, t.created_at, t.id
         LIMIT :limit OFFSET :offset) t
  JOIN cases c ON c.id = t.case_id;
COMMIT;
