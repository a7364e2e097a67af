/**
 * FHIR resources sent to the hooks as an EHR would send them, with an app that records what its FHIR
 * reader did to them: every leniency it needed and every resource it left out.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { RXNORM } from '../../src/fhir/systems';
import type { Observer } from '../../src/cdshooks/observe';
import { testConfig } from './config';
import type { HookResponse } from '../../src/cdshooks/types';

/** the prefetch key each resource type the hooks read arrives in */
export const PREFETCH_SLOT: Record<string, string> = {
  Patient: 'patient',
  Observation: 'pgx',
  MedicationRequest: 'medications',
  MedicationDispense: 'dispenses',
  Coverage: 'coverage',
  Condition: 'conditions',
  Goal: 'goals',
};

export interface FhirReadRecorder {
  app(): FastifyInstance;
  /** "<resourceType> <kind>" per leniency since the last clear() */
  leniencies: string[];
  /** resource types left out since the last clear() */
  dropped: string[];
  clear(): void;
}

/** the app of this test file (built before its tests, closed after them), its FHIR reads recorded */
export function recordFhirReads(): FhirReadRecorder {
  let app: FastifyInstance | undefined;
  const recorder: FhirReadRecorder = {
    app: () => app!,
    leniencies: [],
    dropped: [],
    clear() {
      recorder.leniencies.length = 0;
      recorder.dropped.length = 0;
    },
  };
  const observer: Observer = {
    hookAnswered: () => undefined,
    fhirFetchFailed: () => undefined,
    authRejected: () => undefined,
    fhirLeniency: (kind, resourceType) => recorder.leniencies.push(`${resourceType} ${kind}`),
    fhirResourceDropped: (resourceType) => recorder.dropped.push(resourceType),
  };
  beforeAll(async () => {
    app = await buildApp(testConfig(), { observer });
    await app.ready();
  });
  afterAll(() => app?.close());
  return recorder;
}

/** a draft MedicationRequest (id "draft-1") for one RxNorm code */
export const draftMedicationRequest = (patientId: string, drug: { code: string; display: string }) => ({
  resourceType: 'MedicationRequest',
  id: 'draft-1',
  status: 'draft',
  intent: 'order',
  subject: { reference: `Patient/${patientId}` },
  medicationCodeableConcept: { coding: [{ system: RXNORM, ...drug }] },
});

/** the resource in its prefetch slot as an EHR sends it: a Patient as is, anything else in a searchset Bundle */
export const inPrefetchSlot = (resource: { resourceType: string }): Record<string, unknown> => ({
  [PREFETCH_SLOT[resource.resourceType]!]:
    resource.resourceType === 'Patient' ? resource : { resourceType: 'Bundle', type: 'searchset', entry: [{ resource }] },
});

/** a call of `hook` with one draft order; every prefetch key present, null unless given */
export const hookCallWith = (hook: 'order-sign' | 'order-select', patientId: string, prefetch: Record<string, unknown>, order: { id: string }) => ({
  hook,
  hookInstance: randomUUID(),
  context: {
    userId: 'Practitioner/example',
    patientId,
    ...(hook === 'order-select' ? { selections: [`MedicationRequest/${order.id}`] } : {}),
    draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: order }] },
  },
  prefetch: { ...Object.fromEntries(Object.values(PREFETCH_SLOT).map((k) => [k, null])), ...prefetch },
});

/** nothing sent was left unread: no data-gap card with details */
export function expectNoDataGap(res: HookResponse): void {
  const gap = res.cards.find((c) => /could not check everything/i.test(c.summary));
  expect(gap?.detail).toBeUndefined();
}
