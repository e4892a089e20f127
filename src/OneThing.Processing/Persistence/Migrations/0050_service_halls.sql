-- A clerk's service hall: clerks of one hall may supplement and withdraw each other's cases (seeing them masked).
ALTER TABLE accounts ADD COLUMN hall text;
ALTER TABLE accounts ADD CONSTRAINT accounts_hall_not_blank CHECK (hall IS NULL OR length(btrim(hall)) > 0);
