-- Durable messaging across processes (API nodes, workers, department adapters on one PostgreSQL and one RabbitMQ).

-- An API node has no relay of its own: every commit that wrote outbox rows wakes the relays in the workers through
-- LISTEN/NOTIFY, so a filed case reaches its departments without waiting for a poll. NOTIFY is sent at commit and
-- collapsed within a transaction, so a filing pays one notification however many rows it wrote.
CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onething_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();

-- A department system that acknowledged an automated task but never answered is asked again.
CREATE INDEX ix_department_tasks_awaiting_system ON department_tasks (last_dispatched_at) WHERE state = 'open' AND kind = 'automated';

-- Notifications are retried with back-off until delivered, or marked failed for supervisors to see.
ALTER TABLE notifications
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN last_error      text,
    ADD COLUMN failed_at       timestamptz;
UPDATE notifications SET next_attempt_at = created_at WHERE delivered_at IS NULL;
CREATE INDEX ix_notifications_pending ON notifications (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX ix_notifications_failed ON notifications (failed_at DESC) WHERE failed_at IS NOT NULL;
