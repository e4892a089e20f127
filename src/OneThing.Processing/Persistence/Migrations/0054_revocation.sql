-- Revocation: an admin disables an account (it cannot sign in, its sessions end; the row stays for the audit log),
-- and each bearer sign-in starts a refresh-token family whose current token is the only one that may be refreshed.
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz;

CREATE TABLE refresh_token_families (
    id                uuid        PRIMARY KEY,
    user_id           text        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    current_token_id  uuid        NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz,
    revoked_reason    text
);
CREATE INDEX ix_refresh_token_families_user_id ON refresh_token_families (user_id);
CREATE INDEX ix_refresh_token_families_expires_at ON refresh_token_families (expires_at);
