-- The street or town (街道/镇) a case lies in, found from its place field when it is filed (null when the workflow has
-- none): supervisors filter every view by it. Cases filed before this column existed have none.
ALTER TABLE cases ADD COLUMN street text;
CREATE INDEX ix_cases_street ON cases (street, filed_at DESC) WHERE street IS NOT NULL;
