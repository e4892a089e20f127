-- Uploaded files, kept in PostgreSQL so that a file and the case that uses it commit together, every node serves
-- every file, and a backup of the database holds everything. An upload stays unbound (case_id NULL) until a filing
-- or supplement uses it; unbound uploads older than a day are deleted.
CREATE TABLE attachments (
    id            uuid        PRIMARY KEY,
    file_name     text        NOT NULL,
    content_type  text        NOT NULL,
    size          bigint      NOT NULL CHECK (size > 0),
    sha256        text        NOT NULL,
    uploaded_by   text        NOT NULL,
    uploaded_at   timestamptz NOT NULL,
    case_id       uuid        REFERENCES cases (id),
    -- The form field that holds it, or 'attachments' for a supplement's further materials.
    field         text,
    -- For further materials only: the steps that were waiting for the supplement, whose reviewers may open them.
    step_ids      text[]
);
CREATE INDEX ix_attachments_case ON attachments (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX ix_attachments_unbound ON attachments (uploaded_at) WHERE case_id IS NULL;

-- The bytes apart from the description, so that listing or binding attachments never reads them.
CREATE TABLE attachment_contents (
    attachment_id uuid  PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    content       bytea NOT NULL
);
