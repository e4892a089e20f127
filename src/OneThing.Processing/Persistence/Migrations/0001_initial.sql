-- Workflow definitions are immutable versions keyed by the hash of their source text.
CREATE TABLE workflow_versions (
    workflow_id    text        NOT NULL,
    version        integer     NOT NULL,
    content_hash   text        NOT NULL,
    source_text    text        NOT NULL,
    file_name      text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    PRIMARY KEY (workflow_id, version),
    UNIQUE (workflow_id, content_hash)
);

CREATE TABLE cases (
    id                uuid        PRIMARY KEY,
    case_number       text        NOT NULL UNIQUE,
    workflow_id       text        NOT NULL,
    workflow_version  integer     NOT NULL,
    status            text        NOT NULL,
    form              jsonb       NOT NULL,
    state             jsonb       NOT NULL,
    idempotency_key   text        UNIQUE,
    request_hash      text,
    filed_at          timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    ended_at          timestamptz,
    FOREIGN KEY (workflow_id, workflow_version) REFERENCES workflow_versions (workflow_id, version)
);
CREATE INDEX ix_cases_filed_at ON cases (filed_at DESC, id);
CREATE INDEX ix_cases_status_filed_at ON cases (status, filed_at DESC);
CREATE INDEX ix_cases_workflow_filed_at ON cases (workflow_id, filed_at DESC);

-- Append-only journal of everything that happened to a case.
CREATE TABLE case_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases (id),
    type         text        NOT NULL,
    step_id      text,
    task_id      uuid,
    actor        text,
    detail       text,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX ix_case_events_case ON case_events (case_id, id);

CREATE TABLE department_tasks (
    id                  uuid        PRIMARY KEY,
    case_id             uuid        NOT NULL REFERENCES cases (id),
    step_id             text        NOT NULL,
    department          text        NOT NULL,
    kind                text        NOT NULL,
    state               text        NOT NULL,
    assignee            text,
    comment             text,
    dispatch_attempts   integer     NOT NULL,
    created_at          timestamptz NOT NULL,
    last_dispatched_at  timestamptz NOT NULL,
    acknowledged_at     timestamptz,
    claimed_at          timestamptz,
    ended_at            timestamptz,
    UNIQUE (case_id, step_id)
);
CREATE INDEX ix_department_tasks_inbox ON department_tasks (department, state, created_at);
CREATE INDEX ix_department_tasks_unacknowledged ON department_tasks (last_dispatched_at) WHERE state = 'dispatched';

-- Transactional outbox: written in the same transaction as the case, published afterwards by the relay.
CREATE TABLE outbox_messages (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    uuid        NOT NULL UNIQUE,
    message_type  text        NOT NULL,
    destination   text,
    payload       jsonb       NOT NULL,
    case_id       uuid,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);
CREATE INDEX ix_outbox_messages_pending ON outbox_messages (id) WHERE published_at IS NULL;

CREATE TABLE case_number_counters (
    day         date    PRIMARY KEY,
    last_value  integer NOT NULL
);
