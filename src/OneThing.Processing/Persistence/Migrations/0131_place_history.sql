-- place.cases90d counts the cases an incident's place had in the last 90 days, ended ones included, when a case opens;
-- the index on open incidents (0020) covers only open cases.
CREATE INDEX ix_cases_incident_place_history ON cases (incident_event, incident_place, filed_at DESC)
    WHERE incident_event IS NOT NULL;
