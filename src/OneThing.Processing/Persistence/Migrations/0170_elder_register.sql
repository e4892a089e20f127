-- 甬易养: the register of elders living alone whose homes have a smart water meter, kept by civil affairs. A meter's
-- alert names the meter only; the case's form (name, address, grid, family phone) is completed from here. Personal
-- data is held as cases hold their forms: in clear in the database, masked in lists, each full read audited.
-- An enrolment that ends keeps its row (ended_on), so an alert from the meter is refused with a clear reason.
CREATE TABLE enrolled_elders (
    meter_id      text        PRIMARY KEY,
    name          text        NOT NULL,
    address       text        NOT NULL,
    grid          text        NOT NULL,
    family_phone  text        NOT NULL,
    enrolled_on   date        NOT NULL,
    ended_on      date,
    end_reason    text,
    updated_at    timestamptz NOT NULL,
    updated_by    text        NOT NULL
);
CREATE INDEX ix_enrolled_elders_grid ON enrolled_elders (grid) WHERE ended_on IS NULL;
