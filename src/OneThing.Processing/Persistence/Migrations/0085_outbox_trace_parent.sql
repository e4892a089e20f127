-- The W3C traceparent of the request or message that wrote an outbox row: the relay publishes the row as part of that
-- trace, so a case's trace runs from the API through the bus to the department systems. Null for rows written
-- outside any trace, and for rows written before this column existed.
ALTER TABLE outbox_messages ADD COLUMN trace_parent text;
