/**
 * Chaos over real HTTP: the service listens on loopback and must fetch the genomics (pgx) from a local FHIR
 * server that misbehaves. Whatever the fault, the hook answers 200 within its FHIR deadline (+ a margin),
 * says what could not be checked, and never reassures: for clopidogrel without PGx, no "standard use" card.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Resource } from 'fhir/r4';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { PATIENT_ID, genotypeObservation, hookRequest } from '../support/fixtures';
import { startFhirServer, type Behaviour, type FhirTestServer } from '../support/fhir-server';
import { MemoryStore } from '../support/memory-store';

const DEADLINE_MS = 500;
const MARGIN_MS = 400;
const TOKEN = 'chaos-fhir-token-do-not-log';

let fhir: FhirTestServer;
let elsewhere: FhirTestServer;
let broken: http.Server;
let brokenBase: string;
let app: FastifyInstance;
let store: MemoryStore;
let baseUrl: string;

beforeAll(async () => {
  // answers every request with a truncated Bundle: headers fine, body not JSON
  broken = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Obs');
  });
  await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
  brokenBase = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/fhir`;
  elsewhere = await startFhirServer();
});
afterAll(async () => {
  await new Promise<void>((r) => broken.close(() => r()));
  await elsewhere.close();
});

beforeEach(async () => {
  fhir = await startFhirServer();
  fhir.data = { Observation: [genotypeObservation('g1')] as Resource[] };
  store = new MemoryStore();
  app = await buildApp(testConfig({ fhirDeadlineMs: DEADLINE_MS, fhirMaxPages: 3 }), { store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await app.close();
  await fhir.close();
});

/** order-sign for clopidogrel, everything prefetched except the genomics, which must be fetched */
async function callHook(fhirServer = fhir.base): Promise<{ status: number; json: any; ms: number }> {
  const body: any = hookRequest('order-sign', {
    fhirServer,
    fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'svc', patient: PATIENT_ID },
  });
  delete body.prefetch.pgx;
  body.context.draftOrders.entry.length = 1;
  const started = Date.now();
  const res = await fetch(`${baseUrl}/cds-services/pgx-benefit-order-sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json(), ms: Date.now() - started };
}

const clopidogrelCard = (j: any) => j.cards.find((c: any) => /^clopidogrel/i.test(c.summary));
const gapCard = (j: any) => j.cards.find((c: any) => /could not check everything/i.test(c.summary));

/** the answer a PGx outage must produce: timely 200, a gap card naming pgx, no reassurance */
function expectHonestOutage(res: { status: number; json: any; ms: number }, reason: RegExp): void {
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  const gap = gapCard(res.json);
  expect(gap).toBeDefined();
  expect(gap.detail).toMatch(/\*\*pgx\*\*/);
  expect(gap.detail).toMatch(reason);
  const card = clopidogrelCard(res.json);
  expect(card).toBeDefined();
  expect(card.indicator).not.toBe('info');
  expect(card.summary).toMatch(/unavailable|unknown|indeterminate/i);
  expect(card.summary.replace(/do not assume normal/i, '')).not.toMatch(/standard|normal|no change/i);
  expect(card.detail).toMatch(/do not assume normal/i);
  // the audit says the answer was partial
  expect(store.audits).toHaveLength(1);
  expect(store.audits[0].outcome).toBe('partial');
}

const faults: Array<[string, Behaviour, RegExp]> = [
  ['slow past the deadline', { latencyMs: DEADLINE_MS + 600 }, /could not be retrieved/],
  ['500', { status: 500 }, /could not be retrieved/],
  ['429 with a Retry-After longer than the deadline', { status: 429, retryAfter: '120' }, /could not be retrieved/],
  ['connection reset', { reset: true }, /could not be retrieved/],
  ['redirect to another origin', { redirectTo: 'http://169.254.169.254/latest/meta-data' }, /could not be retrieved/],
];

test.each(faults)('FHIR server: %s → honest gap within the deadline', async (_name, behaviour, reason) => {
  fhir.behaviours.Observation = behaviour;
  expectHonestOutage(await callHook(), reason);
});

test('429 with a short Retry-After is retried once and then succeeds: no gap', async () => {
  fhir.behaviours.Observation = { status: 429, retryAfter: '0', failTimes: 1 };
  const res = await callHook();
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(gapCard(res.json)).toBeUndefined();
  expect(fhir.requests.filter((r) => r.path.startsWith('/fhir/Observation'))).toHaveLength(2);
  expect(clopidogrelCard(res.json).detail).toMatch(/CYP2C19/);
});

/** an Observation whose extension nests `levels` arrays deep, as JSON text */
const deepObservation = (id: string, levels: number): string =>
  `{"resourceType":"Observation","id":"${id}","status":"final","subject":{"reference":"Patient/${PATIENT_ID}"},"extension":${'['.repeat(levels)}${']'.repeat(levels)}}`;

test('an Observation nested 100,000 levels deep → 200, the gap card names the refused resource; the good one is used', async () => {
  fhir.behaviours.Observation = { rawEntries: [deepObservation('obs-deep-1', 100_000)] };
  const res = await callHook();
  expect(res.status).toBe(200);
  const gap = gapCard(res.json);
  expect(gap.detail).toMatch(/\*\*pgx\*\*/);
  expect(gap.detail).toMatch(/refused \(nested more than 64 levels deep.*Observation\/obs-deep-1/);
  // the well-formed genotype in the same Bundle is still read
  expect(clopidogrelCard(res.json).detail).toMatch(/CYP2C19/);
  expect(store.audits).toHaveLength(1);
  expect(store.audits[0].outcome).toBe('partial');
});

test('nesting exactly at the limit is accepted; one level more is refused', async () => {
  // the Observation object is level 1 and `extension` opens the first of the arrays: 63 of them reach 64
  fhir.behaviours.Observation = { rawEntries: [deepObservation('obs-at-limit', 63), deepObservation('obs-over-limit', 64)] };
  const res = await callHook();
  expect(res.status).toBe(200);
  const gap = gapCard(res.json);
  expect(gap.detail).toMatch(/obs-over-limit/);
  expect(gap.detail).not.toMatch(/obs-at-limit/);
});

test('broken Bundle JSON → honest gap within the deadline', async () => {
  expectHonestOutage(await callHook(brokenBase), /could not be retrieved/);
});

test('another patient\'s genotype from the server is dropped, never used', async () => {
  fhir.data.Observation = [genotypeObservation('g-other', 'rel-other-patient-77')] as Resource[];
  expectHonestOutage(await callHook(), /not about this patient/);
});

test('endless next chain: cut at fhirMaxPages, answered in time, reported as a gap', async () => {
  fhir.behaviours.Observation = { endlessNext: true, pageSize: 1 };
  const res = await callHook();
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(fhir.requests.filter((r) => r.path.startsWith('/fhir/Observation'))).toHaveLength(3);
  expect(gapCard(res.json).detail).toMatch(/pages/);
});

test('a next link to another origin is not followed', async () => {
  fhir.data.Observation = [genotypeObservation('g1'), genotypeObservation('g2')] as Resource[];
  fhir.behaviours.Observation = { pageSize: 1, nextOrigin: `http://127.0.0.1:${elsewhere.port}` };
  const res = await callHook();
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(elsewhere.requests).toHaveLength(0);
  expect(gapCard(res.json)).toBeDefined();
});

test('FHIR server gone (closed port) → honest gap within the deadline', async () => {
  const port = fhir.port;
  await fhir.close();
  fhir = await startFhirServer(); // a live one for afterEach; the hook points at the dead port
  expectHonestOutage(await callHook(`http://127.0.0.1:${port}/fhir`), /could not be retrieved/);
});
