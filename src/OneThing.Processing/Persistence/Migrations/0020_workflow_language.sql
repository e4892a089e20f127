-- The workflow language: outcomes, wait timers, notifications, supplements (补正), withdrawal and incident reports.
ALTER TABLE department_tasks ADD COLUMN outcome text;

-- Wait steps have no task: their timer names the step.
ALTER TABLE timers ADD COLUMN step_id text;

ALTER TABLE cases
    ADD COLUMN incident_event     text,
    ADD COLUMN incident_place     text,
    ADD COLUMN report_count       integer NOT NULL DEFAULT 0,
    ADD COLUMN last_reported_at   timestamptz;
-- A new report looks for the open case of the same event and place; only open incident cases are indexed.
CREATE INDEX ix_cases_open_incident ON cases (incident_event, incident_place, last_reported_at DESC)
    WHERE incident_event IS NOT NULL AND ended_at IS NULL;

-- Every report of an incident, the first (which opened the case) and those attached to it later.
CREATE TABLE incident_reports (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases (id),
    event        text        NOT NULL,
    place        text        NOT NULL,
    source       text,
    form         jsonb       NOT NULL,
    received_at  timestamptz NOT NULL
);
CREATE INDEX ix_incident_reports_case ON incident_reports (case_id, id);

-- Messages to applicants, clerks and family members; delivered by an INotificationChannel after commit.
CREATE TABLE notifications (
    id            uuid        PRIMARY KEY,
    case_id       uuid        NOT NULL REFERENCES cases (id),
    step_id       text        NOT NULL,
    recipient     text        NOT NULL,
    address       text,
    message_zh    text        NOT NULL,
    message_en    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    delivered_at  timestamptz,
    channel       text
);
CREATE INDEX ix_notifications_case ON notifications (case_id, created_at);

-- What a clerk supplied in answer to a supplement request: which fields changed and which materials were added.
CREATE TABLE supplements (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         uuid        NOT NULL REFERENCES cases (id),
    changed_fields  text[]      NOT NULL,
    attachments     jsonb       NOT NULL,
    note            text,
    submitted_by    text,
    submitted_at    timestamptz NOT NULL
);
CREATE INDEX ix_supplements_case ON supplements (case_id, id);
