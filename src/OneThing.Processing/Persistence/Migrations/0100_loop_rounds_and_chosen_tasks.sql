-- A step in a loop has a task per round, and a triage step a task per chosen department, so a step can have many
-- task rows. Their ids are derived from case, step, round and chosen department; these indexes keep the same guard.
ALTER TABLE department_tasks ADD COLUMN round integer NOT NULL DEFAULT 1;
ALTER TABLE department_tasks ADD COLUMN chosen boolean NOT NULL DEFAULT false;
ALTER TABLE department_tasks DROP CONSTRAINT department_tasks_case_id_step_id_key;
CREATE UNIQUE INDEX ux_department_tasks_step_round ON department_tasks (case_id, step_id, round) WHERE NOT chosen;
CREATE UNIQUE INDEX ux_department_tasks_chosen ON department_tasks (case_id, step_id, round, department) WHERE chosen;
