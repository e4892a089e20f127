-- The governance centre's wall (一屏观天下) counts breaches per day and incidents per place over the last weeks:
-- these partial indexes keep both reads proportional to the recent rows, not to all cases and tasks ever filed.
CREATE INDEX ix_department_tasks_breached_at ON department_tasks (breached_at) WHERE breached_at IS NOT NULL;
CREATE INDEX ix_cases_incident_filed_at ON cases (filed_at, incident_place) WHERE incident_place IS NOT NULL;
