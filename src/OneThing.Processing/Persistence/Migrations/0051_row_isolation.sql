-- One bad row never stops the rest.

-- A timer whose firing throws is tried again with back-off and, after the last try, marked failed for supervisors.
ALTER TABLE timers
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN failed_at       timestamptz,
    ADD COLUMN last_error      text;
CREATE INDEX ix_timers_failed ON timers (failed_at) WHERE failed_at IS NOT NULL;

-- An outbox row that can never be published (unknown type, unreadable payload) is set aside with its reason; the
-- relay skips it, and so does the re-sender's "still waiting in the outbox" test.
ALTER TABLE outbox_messages
    ADD COLUMN set_aside_at     timestamptz,
    ADD COLUMN set_aside_reason text;
DROP INDEX ix_outbox_messages_pending;
CREATE INDEX ix_outbox_messages_pending ON outbox_messages (id) WHERE published_at IS NULL AND set_aside_at IS NULL;

-- A stored workflow version keeps the department catalogue it was validated with, so it still loads after
-- departments.yaml renames or removes a department. Versions stored before this keep NULL and use the current file.
ALTER TABLE workflow_versions ADD COLUMN departments_source text;
