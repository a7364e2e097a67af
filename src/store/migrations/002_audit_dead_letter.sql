-- Audit records the database refused on their own (a data error, not an outage), kept with the error
-- instead of blocking every record behind them. `record` is the JSON text as it was sent (text, not jsonb:
-- the text is exactly what failed to parse or insert).
CREATE TABLE audit_dead_letter (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id  text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  error     text NOT NULL,
  record    text NOT NULL
);
CREATE INDEX audit_dead_letter_failed_at ON audit_dead_letter (failed_at);
