import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { decide } from '../../src/decision/decide';
import type { PatientRecord } from '../../src/decision/types';
import { buildHookRequest } from '../../src/sample-patients/build-request';
import { loadKnowledge } from '../../src/loaders';
import { bindings, cardFor, spec, startService } from './helpers';
import { record as patientRecord } from '../benefit/helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

test('a Coverage whose class is an object (found by the HTTP fuzz) is ignored with a gap card, not a 500', async () => {
  const body = buildHookRequest(spec('pbh-ava'), { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() }) as {
    prefetch: { coverage: { entry: Array<{ resource: Record<string, unknown> }> } };
  };
  body.prefetch.coverage.entry[0].resource.class = {};
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  const { cards } = res.json();
  expect(cardFor(cards, 'clopidogrel').indicator).toBe('critical'); // PGx advice still shows
  expect(cardFor(cards, 'clopidogrel').summary).toMatch(/coverage not checked/);
});

describe('safety net in the core', () => {
  const kb = loadKnowledge({ knowledgeDir: 'terminology', planDir: 'plans/sample' });
  const record: PatientRecord = patientRecord({
    coverage: [],
    draftOrders: [
      { resourceType: 'MedicationRequest', id: 'd1', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'clopidogrel 75 MG Oral Tablet' } },
    ],
  });
  const ctx = { hook: 'order-sign' as const, serviceId: 's', hookInstance: 'h', now: '2026-11-23T00:00:00Z', serviceBaseUrl: 'http://x' };

  it('an engine exception on one order becomes a "could not be checked" warning card, and is reported', () => {
    const broken = { ...kb, pgx: { ...kb.pgx, drugs: new Proxy(kb.pgx.drugs, { get: () => { throw new TypeError('boom'); } }) } };
    const out = decide(record, ctx, broken);
    expect(out.response.cards).toHaveLength(1);
    expect(out.response.cards[0]).toMatchObject({ indicator: 'warning' });
    expect(out.response.cards[0].summary).toMatch(/could not be checked — do not assume/);
    expect(out.errors[0]).toMatch(/^TypeError at /);
    expect(out.errors[0]).not.toContain('boom'); // messages may quote data: only type and location are kept
  });

  it('a failing plan lookup still gives the PGx card and says coverage was not checked', () => {
    const broken = { ...kb, plans: new Proxy(kb.plans, { get: () => { throw new TypeError('boom'); } }) };
    const out = decide({ ...record, coverage: [{ resourceType: 'Coverage', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [], class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'PBH-COMM-GOLD-2026' }] }] }, ctx, broken);
    expect(out.response.cards[0].summary).toMatch(/^Clopidogrel: no CYP2C19 result/);
    expect(out.errors).toHaveLength(1);
    expect(out.response.cards[0].detail).toMatch(/Benefit could not be checked/);
  });
});
