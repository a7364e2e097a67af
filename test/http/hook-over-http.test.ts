/**
 * Real HTTP end to end: the service listens on an ephemeral port and fetches missing data from a local
 * FHIR server over HTTP (no prefetch): parallel fetches, paging, timeouts, failures, server down.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Resource } from 'fhir/r4';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { PATIENT_ID, genotypeObservation, hookRequest } from '../support/fixtures';
import { MemoryStore } from '../support/memory-store';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { schemaErrors } from '../support/response-schema';
import { dataGapCard } from '../support/cards';

const DEADLINE_MS = 600;
const MARGIN_MS = 400;
let fhir: FhirTestServer;
let app: FastifyInstance;
let store: MemoryStore;
let baseUrl: string;

const subject = { reference: `Patient/${PATIENT_ID}` };
function seed(server: FhirTestServer): void {
  server.data = {
    Patient: [{ resourceType: 'Patient', id: PATIENT_ID }],
    Observation: [genotypeObservation('g1'), genotypeObservation('g2'), genotypeObservation('g3')] as Resource[],
    MedicationRequest: [{ resourceType: 'MedicationRequest', id: 'active-1', status: 'active', intent: 'order', subject } as Resource],
    MedicationDispense: [{ resourceType: 'MedicationDispense', id: 'd1', status: 'completed', subject } as Resource],
    Coverage: [{ resourceType: 'Coverage', id: 'cov1', status: 'active', beneficiary: subject } as Resource],
    Condition: [{ resourceType: 'Condition', id: 'c1', subject } as Resource],
    Goal: [],
  };
}

beforeEach(async () => {
  fhir = await startFhirServer();
  seed(fhir);
  store = new MemoryStore();
  app = await buildApp(testConfig({ fhirDeadlineMs: DEADLINE_MS, fhirMaxPages: 3 }), { store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await app?.close();
  await fhir?.close();
});

const fetchingRequest = (fhirServer = fhir.base) =>
  hookRequest('order-sign', {
    prefetch: undefined,
    fhirServer,
    fhirAuthorization: { access_token: 'tok-http', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'svc', patient: PATIENT_ID },
  });

async function callHook(body: unknown): Promise<{ status: number; json: any; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${baseUrl}/cds-services/pgx-benefit-order-sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json(), ms: Date.now() - started };
}

test('no prefetch: all eight queries are fetched in parallel with the bearer token; no gaps', async () => {
  for (const t of Object.keys(fhir.data)) fhir.behaviours[t] = { latencyMs: 150 };
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  expect(schemaErrors('hook-response.schema.json', res.json)).toEqual([]);
  expect(dataGapCard(res.json.cards, store.audits[0])).toBeUndefined(); // everything was obtained
  expect(fhir.requests).toHaveLength(8);
  expect(fhir.maxConcurrent).toBe(8); // parallel, not sequential
  expect(res.ms).toBeLessThan(6 * 150); // sequential would take ≥ 900 ms
  expect(fhir.requests.every((r) => r.authorization === 'Bearer tok-http')).toBe(true);
  const paths = fhir.requests.map((r) => decodeURIComponent(r.path)).sort();
  expect(paths).toContain(`/fhir/Patient/${PATIENT_ID}`);
  expect(paths.find((p) => p.startsWith('/fhir/Observation?'))).toContain('code=http://loinc.org|84413-4');
  const used = store.audits[0].resourcesUsed.map((r) => `${r.resourceType}/${r.id}`);
  expect(used).toEqual(expect.arrayContaining(['Observation/g1', 'Observation/g3', 'Coverage/cov1', 'MedicationDispense/d1', 'Condition/c1']));
});

test('paged results are followed (and the audit lists every page\'s resources)', async () => {
  fhir.behaviours.Observation = { pageSize: 1 };
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  expect(fhir.requests.filter((r) => r.path.startsWith('/fhir/Observation') && r.path.includes('category=laboratory')).length).toBe(3);
  const ids = store.audits[0].resourcesUsed.filter((r) => r.resourceType === 'Observation').map((r) => r.id);
  expect(ids.sort()).toEqual(['g1', 'g2', 'g3']);
});

test('an endless next chain is cut at fhirMaxPages and reported as a gap', async () => {
  fhir.behaviours.Observation = { pageSize: 1, endlessNext: true };
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  expect(fhir.requests.filter((r) => r.path.startsWith('/fhir/Observation') && r.path.includes('category=laboratory')).length).toBe(3);
  expect(dataGapCard(res.json.cards, store.audits[0])!.detail).toMatch(/pgx.*more than 3 pages/);
});

test('a slow query: the hook still answers within the deadline + margin, with a data-gap card', async () => {
  fhir.behaviours.Observation = { latencyMs: 3000 };
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  const gap = dataGapCard(res.json.cards, store.audits[0])!;
  expect(gap.indicator).toBe('warning');
  expect(gap.detail).toMatch(/\*\*pgx\*\*: could not be retrieved/);
  expect(store.audits[0].outcome).toBe('partial');
});

test('500 and 429 answers become gaps for those keys only', async () => {
  fhir.behaviours.Coverage = { status: 500 };
  fhir.behaviours.Condition = { status: 429, retryAfter: '0' };
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  const detail = dataGapCard(res.json.cards, store.audits[0])!.detail!;
  expect(detail).toMatch(/coverage.*answered 500/);
  expect(detail).toMatch(/conditions.*answered 429/);
  expect(detail).not.toMatch(/\*\*pgx\*\*/);
});

test('another patient\'s data from the server is dropped and reported', async () => {
  fhir.data.Observation.push(genotypeObservation('foreign', 'pat-other') as Resource);
  const res = await callHook(fetchingRequest());
  expect(dataGapCard(res.json.cards, store.audits[0])!.detail).toMatch(/pgx.*1 resource\(s\) not about this patient/);
  expect(store.audits[0].resourcesUsed.some((r) => r.id === 'foreign')).toBe(false);
});

test('FHIR server down: 200 within the deadline with a gap for every key', async () => {
  await fhir.close();
  const res = await callHook(fetchingRequest());
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  for (const key of ['patient', 'pgx', 'medications', 'dispenses', 'coverage', 'conditions']) {
    expect(dataGapCard(res.json.cards, store.audits[0])!.detail).toContain(`**${key}**`);
  }
  fhir = await startFhirServer(); // for afterEach
});

test('prefetched keys are not fetched; only the missing ones are', async () => {
  const req = fetchingRequest();
  req.prefetch = { patient: { resourceType: 'Patient', id: PATIENT_ID }, pgx: null, coverage: null, vitals: null, goals: null } as never;
  const res = await callHook(req);
  expect(res.status).toBe(200);
  const fetchedTypes = fhir.requests.map((r) => r.path.split(/[/?]/)[2]).sort();
  expect(fetchedTypes).toEqual(['Condition', 'MedicationDispense', 'MedicationRequest']);
});
