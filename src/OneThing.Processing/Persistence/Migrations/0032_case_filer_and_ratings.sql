-- Who filed a case: only that clerk (and supervisors) may read its form in full.
ALTER TABLE cases ADD COLUMN filed_by text;

-- 好差评: one rating per case, after it ended.
CREATE TABLE case_ratings (
    case_id   uuid        PRIMARY KEY REFERENCES cases (id),
    score     integer     NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment   text,
    rated_at  timestamptz NOT NULL
);
