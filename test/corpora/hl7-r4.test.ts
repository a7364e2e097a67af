import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { noopObserver } from '../../src/cdshooks/observe';
import { testConfig } from '../../src/config';
import type { HookResponse } from '../../src/cdshooks/types';

/**
 * The FHIR R4 core examples HL7 publishes (test/corpora/hl7-r4/PROVENANCE.md), sent to both hooks over
 * HTTP as their EHR would: each in its prefetch slot, and each MedicationRequest also as the draft order.
 * None may be refused, none left out, and none needs a leniency.
 */
const DIR = path.join(__dirname, 'hl7-r4');
const examples = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, resource: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) }));

const SLOT: Record<string, string> = {
  Patient: 'patient',
  Observation: 'pgx',
  MedicationRequest: 'medications',
  MedicationDispense: 'dispenses',
  Coverage: 'coverage',
  Condition: 'conditions',
};
const KEYS = Object.values(SLOT);

let app: FastifyInstance;
const leniencies: string[] = [];
const dropped: string[] = [];
beforeAll(async () => {
  const observer = { ...noopObserver, fhirLeniency: (k: string, t: string) => leniencies.push(`${t} ${k}`), fhirResourceDropped: (t: string) => dropped.push(t) };
  app = await buildApp(testConfig(), { observer });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  leniencies.length = 0;
  dropped.length = 0;
});

/** the patient the example is about (its own id for a Patient) */
function patientOf(r: any): string {
  if (r.resourceType === 'Patient') return r.id;
  const ref: string = (r.subject ?? r.patient ?? r.beneficiary).reference;
  return ref.split('/').pop()!;
}

const noGaps = (res: HookResponse) => {
  const gap = res.cards.find((c) => /could not check everything/i.test(c.summary));
  expect(gap?.detail).toBeUndefined();
};

it('the corpus holds several examples of every resource type the hooks read', () => {
  const counts = examples.reduce<Record<string, number>>((n, e) => ({ ...n, [e.resource.resourceType]: (n[e.resource.resourceType] ?? 0) + 1 }), {});
  for (const type of Object.keys(SLOT)) expect(counts[type]).toBeGreaterThanOrEqual(4);
});

describe.each(['order-sign', 'order-select'] as const)('%s', (hook) => {
  const url = `/cds-services/pgx-benefit-${hook}`;
  const draft = (patientId: string) => ({
    resourceType: 'MedicationRequest',
    id: 'draft-1',
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2670', display: 'codeine' }] },
  });
  const request = (patientId: string, prefetch: Record<string, unknown>, order: unknown) => ({
    hook,
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/example',
      patientId,
      ...(hook === 'order-select' ? { selections: [`MedicationRequest/${(order as { id: string }).id}`] } : {}),
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: order }] },
    },
    prefetch: { ...Object.fromEntries(KEYS.map((k) => [k, null])), ...prefetch },
  });

  it.each(examples.map((e) => [e.file, e.resource] as const))('%s in prefetch: not refused, not left out', async (_file, resource) => {
    const patientId = patientOf(resource);
    const entry = structuredClone(resource);
    const prefetch = {
      [SLOT[resource.resourceType]!]: resource.resourceType === 'Patient' ? entry : { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: entry }] },
    };
    const res = await app.inject({ method: 'POST', url, payload: request(patientId, prefetch, draft(patientId)) });
    expect(res.statusCode).toBe(200);
    noGaps(res.json());
    expect(dropped).toEqual([]);
    expect(leniencies).toEqual([]);
  });

  it.each(examples.filter((e) => e.resource.resourceType === 'MedicationRequest').map((e) => [e.file, e.resource] as const))(
    '%s as the draft order: not refused',
    async (_file, resource) => {
      const res = await app.inject({ method: 'POST', url, payload: request(patientOf(resource), {}, structuredClone(resource)) });
      expect(res.statusCode).toBe(200);
      noGaps(res.json());
      expect(leniencies).toEqual([]);
      // each names a medication, so each gets its card (an unrecognised drug says so; it is never silent)
      expect(res.json().cards.length).toBe(1);
    },
  );
});
