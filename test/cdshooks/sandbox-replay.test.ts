/**
 * Replays requests shaped exactly as the public CDS Hooks sandbox sends them (test/fixtures/cds-hooks-sandbox,
 * provenance there), against the demo profile as `npm start` runs it: the sandbox's signed calls, its filled
 * prefetch, its draft orders (decimal timing period, doseAndRate, expectedSupplyDuration, one-object
 * category), the early order-select before a drug is chosen, and taking a suggestion the way it does
 * (first action only).
 */
import type { FastifyInstance } from 'fastify';
import type { MedicationRequest } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Card, HookResponse } from '../../src/cdshooks/types';
import type { ExampleFile, PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import {
  CLOPIDOGREL,
  RXNORM,
  SANDBOX_ISS,
  sandboxDraft,
  sandboxJwt,
  sandboxPrefetch,
  sandboxRequest,
  type SandboxDrug,
} from '../fixtures/cds-hooks-sandbox/sandbox-shapes';

const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
const ava = examples.patients.find((p) => p.id === 'pbh-ava')!;

// what a user enters in the sandbox is the discovery URL; the sandbox's aud is that URL + "/" + service id
const DISCOVERY = 'http://localhost:8080/cds-services';
const FHIR_SERVER = 'https://launch.smarthealthit.org/v/r4/fhir'; // the sandbox's, never called: prefetch is complete

let app: FastifyInstance;
beforeAll(async () => {
  // the demo profile exactly as `npm start` configures it (no trusted issuers), with an in-memory store
  app = await buildApp({ ...loadConfig({ PBH_PROFILE: 'demo', LOG_LEVEL: 'silent', PBH_DATA_DIR: 'memory://' }) });
  await app.ready();
});
afterAll(() => app.close());

async function send(hook: 'order-select' | 'order-sign', drug: SandboxDrug | undefined, opts: { prefetch?: boolean } = {}) {
  const now = new Date().toISOString();
  const serviceUrl = `${DISCOVERY}/pgx-benefit-${hook}`;
  const body = sandboxRequest({
    hook,
    patientId: ava.id,
    draft: sandboxDraft(ava.id, now.slice(0, 10), drug),
    fhirServer: FHIR_SERVER,
    prefetch: opts.prefetch === false ? undefined : sandboxPrefetch(ava, now, bindings, FHIR_SERVER),
  });
  const res = await app.inject({
    method: 'POST',
    url: `/cds-services/pgx-benefit-${hook}`,
    headers: { accept: 'application/json', authorization: `Bearer ${await sandboxJwt(serviceUrl)}`, origin: 'https://sandbox.cds-hooks.org' },
    payload: body,
  });
  return res;
}

const clopidogrelCard = (r: HookResponse): Card => r.cards.find((c) => /^clopidogrel/i.test(c.summary))!;

test('discovery answers the sandbox (CORS from its origin)', async () => {
  const res = await app.inject({ method: 'GET', url: '/cds-services', headers: { origin: 'https://sandbox.cds-hooks.org' } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBe('*');
});

test('the early order-select (Rx view opened, no drug chosen yet): answered, no card', async () => {
  const res = await send('order-select', undefined);
  expect(res.statusCode).toBe(200);
  expect((res.json() as HookResponse).cards).toEqual([]);
});

test.each(['order-select', 'order-sign'] as const)('%s with clopidogrel for a CYP2C19 *2/*2 patient: the critical card', async (hook) => {
  const res = await send(hook, CLOPIDOGREL);
  expect(res.statusCode).toBe(200);
  const card = clopidogrelCard(res.json());
  expect(card.indicator).toBe('critical');
  expect(card.summary).toMatch(/CYP2C19 Poor Metabolizer/);
  expect(card.detail).toContain('*2/*2');
});

test('taking the recommended suggestion as the sandbox does (first action only) leaves the alternative on the order', async () => {
  const card = clopidogrelCard((await send('order-select', CLOPIDOGREL)).json());
  const suggestion = card.suggestions!.find((s) => s.isRecommended)!;
  // medication-reducers.js TAKE_SUGGESTION: the first action decides; create/update with a coded
  // medicationCodeableConcept (text + coding[0].code) becomes the new drug, delete clears the order
  const first = suggestion.actions![0]!;
  expect(first.type).toBe('create');
  const mcc = (first.resource as MedicationRequest).medicationCodeableConcept!;
  expect(mcc.text).toBeTruthy();
  expect(mcc.coding![0]!.system).toBe(RXNORM);
  const taken: SandboxDrug = { name: mcc.text!, code: mcc.coding![0]!.code! };
  expect(taken.name).toMatch(/prasugrel|ticagrelor/);

  // the sandbox then calls again with the alternative: no critical card about it
  const again = (await send('order-sign', taken)).json() as HookResponse;
  expect(again.cards.filter((c) => c.indicator === 'critical')).toEqual([]);
});

test('signed by an issuer the service was not told about: listed on the playground, never verified', async () => {
  await send('order-select', CLOPIDOGREL);
  const listed = (await app.inject({ method: 'GET', url: '/playground/unverified-issuers' })).json();
  expect(listed.issuers).toEqual([expect.objectContaining({ iss: SANDBOX_ISS })]);
});
