-- A sensor that retries a report sends the same Idempotency-Key; the retry must not count as a second report.
ALTER TABLE incident_reports ADD COLUMN idempotency_key text UNIQUE;
