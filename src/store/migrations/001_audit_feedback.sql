-- Audit trail, issued cards (the analytics fact table) and feedback.
-- Same SQL for PGlite (embedded) and PostgreSQL; no extensions.

CREATE TABLE audit_record (
  id                text PRIMARY KEY,
  recorded_at       timestamptz NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('hook', 'feedback')),
  service_id        text NOT NULL,
  patient_pseudonym text,
  outcome           text NOT NULL,
  -- the full AuditRecord (pseudonyms only, never raw ids or tokens)
  record            jsonb NOT NULL
);
CREATE INDEX audit_record_recorded_at ON audit_record (recorded_at);
CREATE INDEX audit_record_patient ON audit_record (patient_pseudonym, recorded_at);
CREATE INDEX audit_record_service ON audit_record (service_id, recorded_at);

-- One row per card shown, with the coarse demographics captured at decision time.
-- Card uuids are deterministic per hookInstance + order, so a repeated call shows the same card once.
CREATE TABLE issued_card (
  service_id   text NOT NULL,
  card_uuid    text NOT NULL,
  audit_id     text NOT NULL REFERENCES audit_record (id) ON DELETE CASCADE,
  issued_at    timestamptz NOT NULL,
  card_kind    text NOT NULL,
  pair         text,
  plan_rule_id text,
  step_therapy text,
  pa_pathway   text,
  race         text NOT NULL DEFAULT 'unknown',
  ethnicity    text NOT NULL DEFAULT 'unknown',
  sex          text NOT NULL DEFAULT 'unknown',
  age_band     text NOT NULL DEFAULT 'unknown',
  summary      jsonb NOT NULL,
  PRIMARY KEY (service_id, card_uuid)
);
CREATE INDEX issued_card_issued_at ON issued_card (issued_at);

CREATE TABLE feedback (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id           text NOT NULL,
  card_uuid            text NOT NULL,
  outcome              text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp    timestamptz NOT NULL,
  received_at          timestamptz NOT NULL,
  accepted_suggestions jsonb NOT NULL,
  override_system      text,
  override_code        text,
  override_display     text,
  -- the free-text comment may contain PHI: we keep only whether there was one
  has_comment          boolean NOT NULL DEFAULT false,
  UNIQUE (service_id, card_uuid, outcome_timestamp, outcome)
);
CREATE INDEX feedback_card ON feedback (service_id, card_uuid);
CREATE INDEX feedback_received_at ON feedback (received_at);
