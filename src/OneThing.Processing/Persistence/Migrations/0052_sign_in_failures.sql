-- Failed sign-ins, shared by every API node: one row per account name and client address, counting that pair's
-- failures since its first one in the current window. Both keys are hashes: neither what was typed as the name nor the
-- address is kept in clear. Rows are deleted soon after their window ends, so guessing cannot fill the disk.
CREATE TABLE sign_in_failures (
    account_key       text        NOT NULL,
    address_key       text        NOT NULL,
    first_failure_at  timestamptz NOT NULL,
    last_failure_at   timestamptz NOT NULL,
    failures          integer     NOT NULL,
    PRIMARY KEY (address_key, account_key)
);
CREATE INDEX ix_sign_in_failures_account_key ON sign_in_failures (account_key);
CREATE INDEX ix_sign_in_failures_first_failure_at ON sign_in_failures (first_failure_at);
