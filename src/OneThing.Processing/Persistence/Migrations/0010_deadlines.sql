-- Deadlines (承诺时限): per task and per case, with the durable timers that turn them yellow, red and escalate.
ALTER TABLE department_tasks
    ADD COLUMN sla               text,
    ADD COLUMN due_at            timestamptz,
    ADD COLUMN warn_at           timestamptz,
    ADD COLUMN paused_at         timestamptz,
    ADD COLUMN paused_seconds    double precision NOT NULL DEFAULT 0,
    ADD COLUMN warned_at         timestamptz,
    ADD COLUMN breached_at       timestamptz,
    ADD COLUMN escalation_level  integer NOT NULL DEFAULT 0;

-- Open tasks by deadline: the breach list reads this index from the most overdue end.
CREATE INDEX ix_department_tasks_open_due ON department_tasks (due_at)
    WHERE state IN ('dispatched', 'open', 'claimed') AND due_at IS NOT NULL;

ALTER TABLE cases
    ADD COLUMN sla          text,
    ADD COLUMN due_at       timestamptz,
    ADD COLUMN warn_at      timestamptz,
    ADD COLUMN breached_at  timestamptz;

CREATE TABLE timers (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       uuid        NOT NULL REFERENCES cases (id),
    task_id       uuid        REFERENCES department_tasks (id),
    kind          text        NOT NULL,
    level         integer     NOT NULL DEFAULT 0,
    due_at        timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    fired_at      timestamptz,
    cancelled_at  timestamptz
);
-- Only pending timers are indexed, so a sweep's cost follows the number of due timers, not of open tasks.
CREATE INDEX ix_timers_pending_due ON timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX ix_timers_task ON timers (task_id) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX ix_timers_case ON timers (case_id) WHERE fired_at IS NULL AND cancelled_at IS NULL;
