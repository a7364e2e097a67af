import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import type { HookResponse } from '../../src/cdshooks/types';
import { buildHookRequest } from '../../src/sample-patients/build-request';
import { bindings, cardFor, spec } from '../scenarios/helpers';
import { draftOrder, hookRequest, PATIENT_ID } from '../support/fixtures';

/**
 * The robustness rule (docs/fhir-input.md), over HTTP: only what the decision must read can refuse a call or
 * leave a resource out; a single object where R4 has a list is a one-item list; every leniency is counted
 * in /metrics and logged without values.
 */
const SIGN = '/cds-services/pgx-benefit-order-sign';
const SELECT = '/cds-services/pgx-benefit-order-select';
const DAILY = { repeat: { frequency: 1, period: 1, periodUnit: 'd' } };

let app: FastifyInstance;
const logLines: string[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp(testConfig({ logLevel: 'info' }), { logStream });
  await app.ready();
});
afterAll(() => app.close());

const post = async (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
const body = (res: { json(): unknown }) => res.json() as HookResponse;

/** Carla: CYP2D6 *1/*1 on paroxetine, ordering codeine (examples/patients.json) */
const carla = () =>
  buildHookRequest(spec('pbh-carla'), { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() }) as any;

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('a dosage timing (Timing.repeat.period is a decimal, not a Period)', () => {
  it('on a draft order: 200 with the same card as without it', async () => {
    const plain = hookRequest('order-sign');
    const timed = hookRequest('order-sign');
    for (const e of timed.context.draftOrders.entry!) (e.resource as any).dosageInstruction = [{ text: '1 tablet daily', timing: DAILY }];
    const [a, b] = [await post(SIGN, plain), await post(SIGN, timed)];
    expect(b.statusCode).toBe(200);
    expect(body(b).cards.map((c) => c.summary)).toEqual(body(a).cards.map((c) => c.summary));
    expect(body(b).cards.some((c) => /^clopidogrel/i.test(c.summary))).toBe(true);
  });

  it('on an active paroxetine order in prefetch: kept, so phenoconversion still makes codeine critical', async () => {
    const req = carla();
    const meds = req.prefetch.medications.entry.map((e: any) => e.resource);
    const paroxetine = meds.find((m: any) => /paroxetine/i.test(JSON.stringify(m.medicationCodeableConcept)));
    expect(paroxetine).toBeDefined();
    paroxetine.dosageInstruction = [{ sequence: 1, text: '20 mg daily', timing: DAILY, doseAndRate: [{ doseQuantity: { value: 20, unit: 'mg' } }] }];
    paroxetine.dispenseRequest = { expectedSupplyDuration: { value: 30, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } };
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    const codeine = cardFor(body(res).cards, 'codeine');
    expect(codeine.indicator).toBe('critical');
    expect(codeine.summary).toMatch(/acts as Poor Metabolizer \(paroxetine\)/);
    expect(body(res).cards.some((c) => /could not check everything/i.test(c.summary))).toBe(false);
  });
});

describe('a single object where R4 has a list', () => {
  it('MedicationRequest.category as one object (as the CDS Hooks sandbox sends it) is accepted, counted and logged', async () => {
    const before = await counter('pbh_fhir_leniencies_total', { kind: 'single-as-list', resource_type: 'MedicationRequest' });
    const req = hookRequest('order-sign');
    const order = req.context.draftOrders.entry![0]!.resource as any;
    order.category = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'outpatient' }] };
    logLines.length = 0;
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    expect(body(res).cards.some((c) => /^clopidogrel/i.test(c.summary))).toBe(true);
    expect(await counter('pbh_fhir_leniencies_total', { kind: 'single-as-list', resource_type: 'MedicationRequest' })).toBe(before + 1);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.fhirLeniencies);
    expect(line.fhirLeniencies).toEqual([{ kind: 'single-as-list', element: 'MedicationRequest.category', count: 1 }]);
    expect(JSON.stringify(line)).not.toContain(PATIENT_ID);
    expect(JSON.stringify(line)).not.toContain('outpatient');
  });
});

describe('an element the decision never reads never refuses a call nor drops a resource', () => {
  it('wrong datatypes, nulls and unknown elements outside the read paths: 200, resource kept, each counted', async () => {
    const before = await counter('pbh_fhir_leniencies_total', { kind: 'wrong-type', resource_type: 'Observation' });
    const req = hookRequest('order-sign');
    const order = req.context.draftOrders.entry![0]!.resource as any;
    Object.assign(order, { note: 'take with food', priority: 7, dosageInstruction: [{ timing: { repeat: { period: '1' } } }], madeUp: true, reasonCode: null });
    const obs = (req.prefetch!.pgx as any).entry[0].resource;
    Object.assign(obs, { interpretation: 'abnormal', note: { text: 5 }, specimen: 'blood' });
    (req.prefetch!.patient as any).birthDate = 19800101;
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    const card = body(res).cards.find((c) => /^clopidogrel/i.test(c.summary))!;
    expect(card.summary).toMatch(/CYP2C19/);
    expect(card.summary).not.toMatch(/no CYP2C19 result|unavailable/);
    expect(body(res).cards.some((c) => /could not check everything/i.test(c.summary))).toBe(false);
    expect(await counter('pbh_fhir_leniencies_total', { kind: 'wrong-type', resource_type: 'Observation' })).toBeGreaterThanOrEqual(before + 2);
  });

  it('an unusable element the decision reads leaves the resource out and names it (type/id + reason) in the data-gap card', async () => {
    const before = await counter('pbh_fhir_resources_dropped_total', { resource_type: 'MedicationRequest' });
    const req = carla();
    const paroxetine = req.prefetch.medications.entry.map((e: any) => e.resource).find((m: any) => /paroxetine/i.test(JSON.stringify(m)));
    paroxetine.medicationCodeableConcept.coding = [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: 32937 }];
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    const gap = body(res).cards.find((c) => /could not check everything/i.test(c.summary))!;
    expect(gap.detail).toContain(
      `MedicationRequest/${paroxetine.id} was left out: MedicationRequest.medicationCodeableConcept.coding.code must be a string (code)`,
    );
    expect(await counter('pbh_fhir_resources_dropped_total', { resource_type: 'MedicationRequest' })).toBe(before + 1);
  });
});

describe('what the decision must read', () => {
  it("a draft order's unusable medication → 400 naming the element", async () => {
    const req = hookRequest('order-sign');
    (req.context.draftOrders.entry![1]!.resource as any).medicationCodeableConcept = { coding: [{ code: 309362 }] };
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'PBH_ERR_VALIDATION',
      instancePath: '/context/draftOrders/entry/1/resource/medicationCodeableConcept/coding/0/code',
    });
  });

  it('a draft order with no medication yet (order-select as the order form opens) gets no card', async () => {
    const blank = { ...draftOrder('mr-new'), medicationCodeableConcept: undefined } as any;
    delete blank.medicationCodeableConcept;
    blank.category = { coding: [{ code: 'outpatient' }] };
    const req = hookRequest('order-select', { prefetch: undefined } as any);
    req.prefetch = hookRequest('order-select').prefetch;
    req.context.draftOrders.entry = [{ resource: blank }];
    req.context.selections = ['MedicationRequest/mr-new'];
    const res = await post(SELECT, req);
    expect(res.statusCode).toBe(200);
    expect(body(res).cards).toEqual([]);
  });
});
