/** FhirClient against a local FHIR server: paging, origin rule, redirects, retries, deadlines, caps. */
import type { Resource } from 'fhir/r4';
import { FhirClient } from '../../src/fhir/client';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';

let server: FhirTestServer;
let client: FhirClient;
const obs = (i: number): Resource => ({ resourceType: 'Observation', id: `o${i}` }) as Resource;

beforeEach(async () => {
  server = await startFhirServer();
  client = new FhirClient({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 64 * 1024 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

const query = (path: string, overrides: Partial<{ deadline: number; maxPages: number }> = {}) =>
  client.fetch({ base: new URL(server.base), path, accessToken: 'tok-1', deadline: Date.now() + 2000, maxPages: 5, ...overrides });

test('a read returns the resource; the bearer token is sent', async () => {
  server.data.Patient = [{ resourceType: 'Patient', id: 'p1' }];
  const r = await query('Patient/p1');
  expect(r).toEqual({ ok: true, resources: [{ resourceType: 'Patient', id: 'p1' }], pages: 1, truncated: false });
  expect(server.requests[0].authorization).toBe('Bearer tok-1');
});

test('a read of a missing resource is "no data", not a failure', async () => {
  expect(await query('Patient/nope')).toMatchObject({ ok: true, resources: [] });
});

test('searchset pages are followed through next links', async () => {
  server.data.Observation = Array.from({ length: 7 }, (_, i) => obs(i));
  server.behaviours.Observation = { pageSize: 3 };
  const r = await query('Observation?patient=p1');
  expect(r.ok && r.resources.map((x) => x.id)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6']);
  expect(r.ok && r.pages).toBe(3);
});

test('an endless next chain stops at maxPages and says the result is truncated', async () => {
  server.data.Observation = [obs(1)];
  server.behaviours.Observation = { pageSize: 1, endlessNext: true };
  const r = await query('Observation?patient=p1', { maxPages: 4 });
  expect(r).toMatchObject({ ok: true, pages: 4, truncated: true });
  expect(server.requests).toHaveLength(4);
});

test('a next link to another origin is never followed (the token would leak)', async () => {
  server.data.Observation = [obs(1), obs(2)];
  server.behaviours.Observation = { pageSize: 1, nextOrigin: 'http://127.0.0.2:1' };
  const r = await query('Observation?patient=p1');
  expect(r).toEqual({ ok: false, reason: 'the FHIR server sent a next-page link to another server', kind: 'invalid' });
  expect(server.requests).toHaveLength(1);
});

test('redirects are not followed', async () => {
  server.behaviours.Patient = { redirectTo: 'http://169.254.169.254/latest' };
  expect(await query('Patient/p1')).toEqual({ ok: false, reason: 'the FHIR server answered with a redirect (not followed)', kind: 'http' });
  expect(server.requests).toHaveLength(1);
});

test('503 with Retry-After is retried once when the deadline allows', async () => {
  server.data.Patient = [{ resourceType: 'Patient', id: 'p1' }];
  server.behaviours.Patient = { status: 503, failTimes: 1, retryAfter: '0' };
  expect(await query('Patient/p1')).toMatchObject({ ok: true, resources: [{ id: 'p1' }] });
  expect(server.requests).toHaveLength(2);
});

test('429 is retried at most once', async () => {
  server.behaviours.Patient = { status: 429, retryAfter: '0' };
  expect(await query('Patient/p1')).toEqual({ ok: false, reason: 'the FHIR server answered 429', kind: 'http' });
  expect(server.requests).toHaveLength(2);
});

test('a Retry-After longer than the deadline allows is not waited for', async () => {
  server.behaviours.Patient = { status: 503, retryAfter: '30' };
  const started = Date.now();
  expect(await query('Patient/p1', { deadline: Date.now() + 500 })).toMatchObject({ ok: false });
  expect(server.requests).toHaveLength(1);
  expect(Date.now() - started).toBeLessThan(400);
});

test('500 is not retried', async () => {
  server.behaviours.Patient = { status: 500 };
  expect(await query('Patient/p1')).toEqual({ ok: false, reason: 'the FHIR server answered 500', kind: 'http' });
  expect(server.requests).toHaveLength(1);
});

test('a connection reset is retried once', async () => {
  server.data.Patient = [{ resourceType: 'Patient', id: 'p1' }];
  server.behaviours.Patient = { reset: true, failTimes: 1 };
  expect(await query('Patient/p1')).toMatchObject({ ok: true });
  expect(server.requests).toHaveLength(2);
});

test('a slow server is cut off at the deadline', async () => {
  server.behaviours.Patient = { latencyMs: 1500 };
  const started = Date.now();
  const r = await query('Patient/p1', { deadline: Date.now() + 300 });
  expect(r.ok).toBe(false);
  expect(Date.now() - started).toBeLessThan(600);
});

test('responses over the size cap are refused', async () => {
  server.data.Observation = Array.from({ length: 2000 }, (_, i) => ({ ...obs(i), note: [{ text: 'x'.repeat(100) }] }) as Resource);
  const r = await query('Observation?patient=p1');
  expect(r).toEqual({ ok: false, reason: 'the FHIR server response was too large', kind: 'invalid' });
});

test('a server that is down is a failure, not an exception', async () => {
  await server.close();
  const r = await query('Patient/p1');
  expect(r).toEqual({ ok: false, reason: 'the FHIR server refused the connection', kind: 'network' });
});

test('a Bundle whose entry and link are one object each is read as one-item lists, and says so', async () => {
  server.behaviours.Observation = { body: { resourceType: 'Bundle', type: 'searchset', link: { relation: 'self', url: server.base }, entry: { resource: obs(1) } } };
  expect(await query('Observation?patient=p1')).toEqual({ ok: true, resources: [obs(1)], pages: 1, truncated: false, singleAsList: ['Bundle.entry', 'Bundle.link'] });
});

test('a body that is not a FHIR resource, or a Bundle whose entry is not a list, is a failure, not an exception', async () => {
  server.behaviours.Observation = { body: null };
  expect(await query('Observation?patient=p1')).toEqual({ ok: false, reason: 'the FHIR server did not send a FHIR resource', kind: 'invalid' });
  server.behaviours.Observation = { body: { resourceType: 'Bundle', entry: 'x' } };
  expect(await query('Observation?patient=p1')).toEqual({ ok: false, reason: 'the FHIR server sent a malformed Bundle (entry is not a list)', kind: 'invalid' });
});
