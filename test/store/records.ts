import { buildAuditRecord, type AuditRecordInput } from '../../src/store/audit-record';
import type { AuditRecord, Demographics } from '../../src/store/types';
import type { DecisionSummary } from '../../src/decision/types';

export const KEY = 'test-pseudonym-key-0123456789';
export const RAW_PATIENT_ID = 'pat-RAW-4f7c1e';

let n = 0;
export function card(over: Partial<DecisionSummary> = {}): DecisionSummary {
  n++;
  return {
    cardUuid: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
    cardKind: 'pgx-recommendation',
    indicator: 'warning',
    drug: 'clopidogrel',
    gene: 'CYP2C19',
    pair: 'CYP2C19:clopidogrel',
    suggestionUuids: [],
    ...over,
  };
}

export function hookRecord(over: Partial<AuditRecordInput> = {}, demographics?: Demographics): AuditRecord {
  return buildAuditRecord(
    {
      time: '2026-11-20T10:00:00.000Z',
      kind: 'hook',
      serviceId: 'pgx-benefit-order-sign',
      hook: 'order-sign',
      hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
      client: { iss: 'https://ehr.example.org', sub: 'ehr-client', jti: 'jti-abc-123' },
      patientId: RAW_PATIENT_ID,
      userId: 'Practitioner/dr-raw-99',
      resourcesUsed: [
        { resourceType: 'Patient', id: RAW_PATIENT_ID },
        { resourceType: 'Observation', id: 'obs-1', versionId: '2' },
      ],
      decisions: [card()],
      systemActions: [{ type: 'update', resourceType: 'MedicationRequest' }],
      knowledgeVersion: 'cpic-2026-10',
      planVersion: 'plan-2026',
      demographics: demographics ?? { race: '2106-3', ethnicity: '2186-5', sex: 'female', ageBand: '45-64' },
      durationMs: 42,
      outcome: 'success',
      errors: [],
      ...over,
    },
    KEY,
  );
}
