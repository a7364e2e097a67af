/**
 * Schema-driven HTTP fuzz: requests generated from the route JSON Schemas (profiles/cds-hooks) and
 * structure-aware mutations of valid requests (examples + fixtures) are sent through `inject`. Whatever
 * arrives: never a 5xx, every error in our shape, no unhandled rejection. Bounded: a few hundred runs.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadSchemas } from '../../src/http/schemas';
import { testConfig } from '../support/config';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { hookRequest } from '../support/fixtures';
import { MemoryStore } from '../support/memory-store';
import { arbitraryFor, type Schema } from './json-schema-arbitrary';

const SERVICES = ['/cds-services/pgx-benefit-order-select', '/cds-services/pgx-benefit-order-sign'];
const schemas = loadSchemas();
const hookSchema = schemas.get('hook-request.schema.json') as unknown as Schema;
const feedbackSchema = schemas.get('feedback-request.schema.json') as unknown as Schema;
const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;

// keep any fetch on loopback, to a closed port: the fuzz must not reach out to the network
const LOOPBACK = fc.constantFrom('http://127.0.0.1:9/fhir', 'http://169.254.169.254/', 'https://10.1.2.3/fhir', 'not a url');
const hookArb = arbitraryFor(hookSchema, {
  '/hook': fc.oneof(fc.constantFrom('order-select', 'order-sign'), fc.string({ minLength: 1, maxLength: 20 })),
  '/fhirServer': LOOPBACK,
});
const feedbackArb = arbitraryFor(feedbackSchema);

let app: FastifyInstance;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  app = await buildApp(testConfig({ fhirDeadlineMs: 150, fhirMaxPages: 1, rateLimitMax: 1_000_000 }), { store: new MemoryStore() });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  process.off('unhandledRejection', onUnhandled);
});

async function send(url: string, payload: unknown): Promise<void> {
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  expect(res.statusCode).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.json()).toEqual(expect.objectContaining({ statusCode: res.statusCode, code: expect.stringMatching(/^PBH_ERR_/), error: expect.any(String), message: expect.any(String) }));
  }
}

/** A valid request to start from: the fixture request or one built from a sample patient. */
const validRequest = fc.oneof(
  fc.constantFrom<'order-select' | 'order-sign'>('order-select', 'order-sign').map((h) => hookRequest(h) as unknown),
  fc.tuple(fc.constantFrom(...examples.patients), fc.constantFrom<'order-select' | 'order-sign'>('order-select', 'order-sign')).map(([p, hook]) =>
    buildHookRequest(p, { hook, now: new Date().toISOString(), bindings, hookInstance: randomUUID() }) as unknown,
  ),
);

/** Every JSON path (as key arrays) of a value. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

type Mutation = { kind: 'delete' | 'replace' | 'wrap' | 'duplicate-into-array'; pick: number; value: unknown };
const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('delete', 'replace', 'wrap', 'duplicate-into-array'),
  pick: fc.nat(),
  value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('*1/*', '**2', '', 'Patient/other', 'OperationOutcome', -1, 1e308, null, [], {})),
});

function mutate(req: unknown, muts: Mutation[]): unknown {
  const copy = structuredClone(req) as Record<string, unknown>;
  for (const m of muts) {
    const all = paths(copy);
    if (all.length === 0) break;
    const p = all[m.pick % all.length];
    const parent = p.slice(0, -1).reduce<any>((o, k) => o?.[k], copy);
    const key = p[p.length - 1];
    if (parent === undefined || parent === null || typeof parent !== 'object') continue;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === 'replace') parent[key] = m.value;
    else if (m.kind === 'wrap') parent[key] = { resourceType: 'Bundle', entry: [{ resource: parent[key] }] };
    else parent[key] = [parent[key], parent[key]];
  }
  return copy;
}

test('schema-generated hook requests: no 5xx', async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom(...SERVICES), hookArb, send), { numRuns: 120 });
});

test('schema-generated feedback: no 5xx', async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom(...SERVICES), feedbackArb, (url, body) => send(`${url}/feedback`, body)), { numRuns: 60 });
});

test('structure-aware mutations of valid requests: no 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...SERVICES), validRequest, fc.array(mutation, { minLength: 1, maxLength: 4 }), (url, req, muts) => send(url, mutate(req, muts))),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
  );
});

test('no unhandled promise rejection during the fuzz', async () => {
  await new Promise((r) => setImmediate(r));
  expect(unhandled).toEqual([]);
});
