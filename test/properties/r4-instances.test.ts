import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { noopObserver } from '../../src/cdshooks/observe';
import { testConfig } from '../../src/config';
import type { HookResponse } from '../../src/cdshooks/types';
import { readFhirResource, type Leniency } from '../../src/fhir/json-shape';
import { fhirR4Model } from '../../src/fhir/read-paths';
import { r4Arbitraries } from './r4-arbitrary';

/**
 * Valid R4 instances of every resource type the hooks read, generated from the R4 definitions (all
 * datatypes, lists, choice types): none is refused, none is left out, none needs a leniency — in prefetch,
 * and as the draft order for MedicationRequest.
 */
const model = fhirR4Model();
const { resource } = r4Arbitraries(model);
const PATIENT = 'gen-patient-1';
const RUNS = 25;

/** prefetch slot and the element that ties the resource to the patient */
const READ: Record<string, { slot: string; link?: string }> = {
  Patient: { slot: 'patient' },
  Observation: { slot: 'pgx', link: 'subject' },
  MedicationRequest: { slot: 'medications', link: 'subject' },
  MedicationDispense: { slot: 'dispenses', link: 'subject' },
  Coverage: { slot: 'coverage', link: 'beneficiary' },
  Condition: { slot: 'conditions', link: 'subject' },
};

/** a generated resource, about our patient (attribution is not what this test is about) */
function aboutPatient(r: Record<string, unknown>): Record<string, unknown> {
  const link = READ[r.resourceType as string]!.link;
  if (!link) return { ...r, id: PATIENT };
  const ref = (r[link] as Record<string, unknown> | undefined) ?? {};
  return { ...r, [link]: { ...ref, reference: `Patient/${PATIENT}` } };
}

const clopidogrel = {
  resourceType: 'MedicationRequest',
  id: 'draft-1',
  status: 'draft',
  intent: 'order',
  subject: { reference: `Patient/${PATIENT}` },
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '32968', display: 'clopidogrel' }] },
};

const request = (prefetch: Record<string, unknown>, draft: unknown) => ({
  hook: 'order-sign',
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/p1', patientId: PATIENT, draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] } },
  prefetch: { ...Object.fromEntries(Object.values(READ).map((r) => [r.slot, null])), ...prefetch },
});

let app: FastifyInstance;
const leniencies: string[] = [];
const dropped: string[] = [];
beforeAll(async () => {
  const observer = { ...noopObserver, fhirLeniency: (k: string, t: string) => leniencies.push(`${t} ${k}`), fhirResourceDropped: (t: string) => dropped.push(t) };
  app = await buildApp(testConfig(), { observer });
  await app.ready();
});
afterAll(() => app.close());

async function expectAccepted(body: unknown): Promise<void> {
  leniencies.length = 0;
  dropped.length = 0;
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body as object });
  expect(res.statusCode).toBe(200);
  const gap = (res.json() as HookResponse).cards.find((c) => /could not check everything/i.test(c.summary));
  expect(gap?.detail).toBeUndefined();
  expect(dropped).toEqual([]);
  expect(leniencies).toEqual([]);
}

it('the generator makes instances the R4 reader takes as they are', () => {
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(READ)).chain(resource), (r) => {
      const out: Leniency[] = [];
      const before = JSON.stringify(r);
      expect(readFhirResource(r, model, 'prefetch', out)).toBeUndefined();
      expect(out).toEqual([]);
      expect(JSON.stringify(r)).toBe(before);
    }),
    { numRuns: 200 },
  );
});

it.each(Object.keys(READ))('%s in prefetch: never refused, never left out', async (type) => {
  await fc.assert(
    fc.asyncProperty(resource(type).map(aboutPatient), async (r) => {
      const slot = READ[type]!.slot;
      const given = type === 'Patient' ? r : { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: r }] };
      await expectAccepted(request({ [slot]: given }, clopidogrel));
    }),
    { numRuns: RUNS },
  );
});

it('MedicationRequest as the draft order: never refused', async () => {
  await fc.assert(
    fc.asyncProperty(resource('MedicationRequest').map(aboutPatient), async (r) => {
      await expectAccepted(request({}, r));
    }),
    { numRuns: RUNS },
  );
});
