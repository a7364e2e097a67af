/**
 * CRD coverage-information as the EHR receives it (order-sign systemActions), for every sample patient,
 * checked against the Da Vinci CRD IG's own definitions; and none without a known Coverage.
 */
import type { Extension, MedicationRequest } from 'fhir/r4';
import type { FastifyInstance } from 'fastify';
import { CRD, crdProblems } from '../support/crd-definitions';
import { callHook, cardFor, examples, spec, startService } from './helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const coverageInformation = (r: MedicationRequest): Extension | undefined => r.extension?.find((e) => e.url === CRD.url);

test.each(examples.patients.map((p) => p.id))('%s: every coverage-information extension conforms to the CRD IG', async (id) => {
  const res = await callHook(app, spec(id), 'order-sign');
  for (const action of res.systemActions ?? []) {
    const ext = coverageInformation(action.resource as MedicationRequest);
    expect(ext).toBeDefined();
    expect([id, crdProblems(ext!)]).toEqual([id, []]);
  }
});

test('no Coverage on file: no coverage-information at all, and the card still says coverage was not checked', async () => {
  const res = await callHook(app, spec('pbh-ava', { plan: null }), 'order-sign');
  expect(res.systemActions ?? []).toEqual([]);
  expect(cardFor(res.cards, 'clopidogrel').detail).toMatch(/not checked|could not be checked/i);
});

test('a Coverage the service cannot place: indeterminate, on that Coverage', async () => {
  const res = await callHook(app, spec('pbh-frank'), 'order-sign');
  const ext = coverageInformation(res.systemActions![0]!.resource as MedicationRequest)!;
  expect(crdProblems(ext)).toEqual([]);
  expect(ext.extension!.find((e) => e.url === 'covered')!.valueCode).toBe('indeterminate');
  expect(ext.extension!.find((e) => e.url === 'coverage')!.valueReference!.reference).toMatch(/^Coverage\//);
});
