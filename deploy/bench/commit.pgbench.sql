-- The floor under every durable write: a transaction whose only change is one small WAL record (a transactional
-- logical message, which every user may write), so its commit is flushed to disk (fsync) and nothing else happens.
-- Each fired timer and each filed case pays at least this once.
--   pgbench --no-vacuum --protocol=prepared --client=1 --transactions=200 --file=deploy/bench/commit.pgbench.sql DB
SELECT pg_logical_emit_message(true, 'onething-bench', 'commit');
