/** Hook request builders: realistic CDS Hooks 2.0 bodies with synthetic (non-PHI) data. */
import { randomUUID } from 'node:crypto';
import type { MedicationRequest } from 'fhir/r4';
import type { HookRequest } from '../../src/cdshooks/types';

export const PATIENT_ID = 'pat-7c31f0';
export const DIPLOTYPE_TEXT = 'CYP2C19 *2/*17';

export function draftOrder(id: string, patientId = PATIENT_ID): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }] },
  };
}

export function genotypeObservation(id: string, patientId = PATIENT_ID) {
  return {
    resourceType: 'Observation' as const,
    id,
    meta: { versionId: '3' },
    status: 'final' as const,
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '84413-4', display: 'Genotype display name' }] },
    subject: { reference: `Patient/${patientId}` },
    valueCodeableConcept: { coding: [{ system: 'http://www.pharmvar.org', code: 'CYP2C19', display: DIPLOTYPE_TEXT }], text: DIPLOTYPE_TEXT },
  };
}

export const emptyBundle = () => ({ resourceType: 'Bundle' as const, type: 'searchset' as const, entry: [] });

/** every prefetch key of our services, filled with "no data" (null) unless overridden */
export function fullPrefetch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    patient: { resourceType: 'Patient', id: PATIENT_ID },
    pgx: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: genotypeObservation('obs-1') }] },
    medications: emptyBundle(),
    dispenses: null,
    coverage: null,
    conditions: null,
    vitals: null,
    ...overrides,
  };
}

export function hookRequest(hook: 'order-select' | 'order-sign', overrides: Partial<HookRequest> & Record<string, unknown> = {}): HookRequest {
  const orders = [draftOrder('mr-1'), draftOrder('mr-2')];
  return {
    hook,
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/prac-1',
      patientId: PATIENT_ID,
      ...(hook === 'order-select' ? { selections: ['MedicationRequest/mr-1'] } : {}),
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: orders.map((resource) => ({ resource })) },
    },
    prefetch: fullPrefetch() as HookRequest['prefetch'],
    ...overrides,
  } as HookRequest;
}
