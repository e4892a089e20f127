-- Case numbers come from one sequence instead of a counter row per day: filings no longer queue on that row's lock
-- until commit. Numbers stay unique (the date is part of them and the sequence never repeats), increase within a day,
-- and may have gaps (a rolled-back filing uses its number up); they no longer start at 000001 each day.
CREATE SEQUENCE case_numbers AS bigint MINVALUE 1 OWNED BY cases.case_number;

-- Above every number already given today, so a number given before the upgrade is not given again.
SELECT setval('case_numbers', GREATEST(1, COALESCE((SELECT max(last_value) FROM case_number_counters), 0)),
    EXISTS (SELECT 1 FROM case_number_counters));
