-- The deadline sweeper's due-timer query (DeadlineSweeper.DueTimersSql) claiming its batch with SKIP LOCKED, then
-- rolled back so that every transaction finds the same due timers. Shows what reading only the due rows through the
-- partial index ix_timers_pending_due costs, whatever the number of open tasks.
--   pgbench --no-vacuum --protocol=prepared --client=1 --transactions=200 --define=batch=100 --file=deploy/bench/sweep-claim.pgbench.sql DB
BEGIN;
SELECT *
  FROM timers
 WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()
 ORDER BY due_at
 LIMIT :batch
   FOR UPDATE SKIP LOCKED;
ROLLBACK;
