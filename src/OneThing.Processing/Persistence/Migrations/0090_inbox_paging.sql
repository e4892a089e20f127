-- A department's inbox, most urgent first: the earliest deadline first, tasks without one last, then the oldest, then
-- by id so pages never overlap. The columns the inbox filters read (state, step, the warning, pause and end instants)
-- ride along, so a page and its total are read from this index alone, however many tasks the department holds.
CREATE INDEX ix_department_tasks_inbox_urgency ON department_tasks (department, due_at, created_at, id)
    INCLUDE (state, step_id, warn_at, paused_at, ended_at, case_id)
    WHERE kind <> 'automated' AND state IN ('open', 'claimed', 'awaiting-supplement');

-- The inbox's case-number filter matches a number's beginning (YJS-20261123) or its last digits (000123): a LIKE
-- prefix on the number and on the number reversed, whatever the database's collation.
CREATE INDEX ix_cases_case_number_prefix ON cases (case_number text_pattern_ops);
CREATE INDEX ix_cases_case_number_suffix ON cases (reverse(case_number) text_pattern_ops);
