-- Append-only audit log: who, role, action, target, time, client address.
CREATE TABLE audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    actor           text,
    role            text,
    action          text        NOT NULL,
    target_type     text,
    target_id       text,
    client_address  text,
    detail          text
);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX ix_audit_log_actor ON audit_log (actor, occurred_at DESC);
CREATE INDEX ix_audit_log_target ON audit_log (target_id, occurred_at DESC);

-- The service connects as the role that owns its tables, so REVOKE alone would not bind it (owners and superusers
-- skip privilege checks). Triggers fire for every role, the owner and superusers included: rows can be added, never
-- changed or removed. Getting round this takes DDL (ALTER TABLE ... DISABLE TRIGGER), which the service never runs.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Other roles given access later get reading and appending only.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
