-- 好差评: a 不满意 or 非常不满意 rating opens a rating-rectification case in the rating's own transaction; the link lets
-- supervisors see whether each bad rating was answered on time, and stops a second case for the same rating. Deferred:
-- EF inserts the rating before the case it does not know the rating points to.
ALTER TABLE case_ratings ADD COLUMN rectification_case_id uuid UNIQUE REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX ix_case_ratings_rated_at ON case_ratings (rated_at);
