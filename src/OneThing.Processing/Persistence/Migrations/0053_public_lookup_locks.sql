-- Wrong phone digits per case number, shared by every API node: after a few within the window the case number is
-- locked for a while, however many addresses the guesses come from. case_key is a hash of the case number, so
-- numbers that match no case (counted alike, or a lock would tell which numbers exist) take a fixed-size row.
CREATE TABLE public_lookup_failures (
    case_key      text        PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    failures      integer     NOT NULL,
    locked_until  timestamptz
);
CREATE INDEX ix_public_lookup_failures_window_start ON public_lookup_failures (window_start);
