/** Hook calls against a plan directory of our choosing: a hand-built order-sign request and its CRD answer. */
import { randomUUID } from 'node:crypto';
import type { Coverage, Extension, MedicationRequest, Resource } from 'fhir/r4';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from './config';
import type { HookResponse } from '../../src/cdshooks/types';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CRD_CI = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';

export async function serviceWithPlans(planDir: string): Promise<FastifyInstance> {
  const app = await buildApp(testConfig({ planDir }));
  await app.ready();
  return app;
}

const searchset = (resources: Resource[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.resourceType}-${resource.id}`, resource })),
});

export function draft(id: string, coding: { code: string; display: string }, patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM, ...coding }], text: coding.display },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: new Date().toISOString(),
  };
}

/** order-sign over HTTP (fastify.inject) for one patient, their Coverage and draft orders; no genomic results. */
export async function orderSign(
  app: FastifyInstance,
  opts: { patientId: string; coverage: Coverage; orders: MedicationRequest[]; medications?: Resource[]; conditions?: Resource[] },
): Promise<HookResponse> {
  const body = {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/example-prescriber',
      patientId: opts.patientId,
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: opts.orders.map((resource) => ({ resource })) },
    },
    prefetch: {
      patient: { resourceType: 'Patient', id: opts.patientId, birthDate: '1960-01-01', gender: 'female' },
      pgx: searchset([]),
      medications: searchset(opts.medications ?? []),
      dispenses: searchset([]),
      coverage: searchset([opts.coverage]),
      conditions: searchset(opts.conditions ?? []),
    },
  };
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  if (res.statusCode !== 200) throw new Error(`hook answered ${res.statusCode}: ${res.body}`);
  return res.json() as HookResponse;
}

/** The CRD coverage-information the service put on a draft order, as { sub-extension url → values }. */
export function coverageInformation(response: HookResponse, orderId: string): { get: (url: string) => Extension[]; details: string } {
  const action = (response.systemActions ?? []).find((a) => (a.resource as MedicationRequest | undefined)?.id === orderId);
  const ci = ((action?.resource as MedicationRequest | undefined)?.extension ?? []).find((e) => e.url === CRD_CI);
  if (!ci) throw new Error(`no coverage-information on ${orderId}: ${JSON.stringify(response.systemActions)}`);
  const get = (url: string) => (ci.extension ?? []).filter((e) => e.url === url);
  return { get, details: JSON.stringify(get('detail')) };
}
