-- The case deadline stops while a task of the case waits for a supplement (补正), as each task's own deadline does.
ALTER TABLE cases
    ADD COLUMN paused_at       timestamptz,
    ADD COLUMN paused_seconds  double precision NOT NULL DEFAULT 0;

-- 延期: a reviewer asks for more working days on a task; a supervisor grants (some or all of) them or refuses.
CREATE TABLE extension_requests (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL REFERENCES cases (id),
    task_id          uuid        NOT NULL REFERENCES department_tasks (id),
    department       text        NOT NULL,
    requested_by     text        NOT NULL,
    requested_days   integer     NOT NULL CHECK (requested_days > 0),
    reason           text        NOT NULL,
    requested_at     timestamptz NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
    decided_by       text,
    decided_at       timestamptz,
    granted_days     integer     CHECK (granted_days IS NULL OR (granted_days > 0 AND granted_days <= requested_days)),
    decision_reason  text,
    due_before       timestamptz,
    due_after        timestamptz
);
-- At most one request waits per task, even when two reviewers ask at once.
CREATE UNIQUE INDEX ux_extension_requests_pending_task ON extension_requests (task_id) WHERE state = 'pending';
CREATE INDEX ix_extension_requests_pending ON extension_requests (requested_at) WHERE state = 'pending';
CREATE INDEX ix_extension_requests_case ON extension_requests (case_id);
