/**
 * The playground plugin over inject: sample list, the server-built hook request (one builder), static
 * assets with their own CSP, and plan bindings that resolve against the sample plans.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Bundle, InsurancePlan } from 'fhir/r4';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { parseOrderIndexes } from '../../src/playground/examples';
import { PLAYGROUND_CSP, playground } from '../../src/playground/plugin';

const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
const NOW = new Date('2026-11-23T10:00:00.000Z');
const ID = '2f1b9a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(playground, { now: () => NOW, newId: () => ID });
  await app.ready();
});
afterAll(() => app.close());

describe('GET /playground/examples', () => {
  it('lists every sample patient with its orders, genes and plan', async () => {
    const res = await app.inject('/playground/examples');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { patients: Array<Record<string, unknown>> };
    expect(body.patients.map((p) => p.id)).toEqual(examples.patients.map((p) => p.id));
    const ava = body.patients.find((p) => p.id === 'pbh-ava')!;
    expect(ava.orders).toEqual([{ index: 0, rxcui: '32968', display: 'clopidogrel 75 MG Oral Tablet' }]);
    expect(ava.genes).toEqual(expect.arrayContaining(['CYP2C19', 'CYP2D6']));
    expect(ava.planName).toBe(bindings.commercial.planName);
    const ben = body.patients.find((p) => p.id === 'pbh-ben')!;
    expect((ben.orders as unknown[]).length).toBe(2);
  });
});

describe('GET /playground/examples/:id/request', () => {
  it('returns exactly what the shared builder makes (nothing dropped by serialisation)', async () => {
    const res = await app.inject('/playground/examples/pbh-ben/request?hook=order-sign');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const spec = examples.patients.find((p) => p.id === 'pbh-ben')!;
    const expected = buildHookRequest(spec, { hook: 'order-sign', now: NOW.toISOString(), bindings, hookInstance: ID, orderIndexes: [0, 1] });
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('defaults to order-sign with every order', async () => {
    const body = (await app.inject('/playground/examples/pbh-ben/request')).json();
    expect(body.hook).toBe('order-sign');
    expect(body.context.draftOrders.entry).toHaveLength(2);
    expect(body.context.selections).toBeUndefined();
  });

  it('order-select with a chosen order carries only that order and selects it', async () => {
    const body = (await app.inject('/playground/examples/pbh-ben/request?hook=order-select&orders=1')).json();
    expect(body.hook).toBe('order-select');
    const orders = body.context.draftOrders.entry.map((e: { resource: { id: string; medicationCodeableConcept: { text: string } } }) => e.resource);
    expect(orders.map((o: { medicationCodeableConcept: { text: string } }) => o.medicationCodeableConcept.text)).toEqual([
      'oxycodone hydrochloride 5 MG Oral Tablet',
    ]);
    expect(body.context.selections).toEqual([`MedicationRequest/${orders[0].id}`]);
  });

  it('names the bound plan on the Coverage', async () => {
    const body = (await app.inject('/playground/examples/pbh-dan/request')).json();
    const coverage = body.prefetch.coverage.entry[0].resource;
    expect(coverage.class[0].value).toBe(bindings.medicare.planValue);
  });

  it('404 for an unknown patient, 400 for a bad order index or hook', async () => {
    expect((await app.inject('/playground/examples/nobody/request')).statusCode).toBe(404);
    const outOfRange = await app.inject('/playground/examples/pbh-ava/request?orders=0,3');
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().message).toMatch(/out of range/);
    expect((await app.inject('/playground/examples/pbh-ava/request?orders=a')).statusCode).toBe(400);
    expect((await app.inject('/playground/examples/pbh-ava/request?hook=patient-view')).statusCode).toBe(400);
  });
});

describe('parseOrderIndexes', () => {
  it('parses, sorts and de-duplicates; empty means all', () => {
    expect(parseOrderIndexes('2,0,2', 3)).toEqual([0, 2]);
    expect(parseOrderIndexes(undefined, 3)).toEqual([0, 1, 2]);
    expect(parseOrderIndexes('', 2)).toEqual([0, 1]);
    expect(parseOrderIndexes('0,,1', 2)).toHaveProperty('error');
    expect(parseOrderIndexes('-1', 2)).toHaveProperty('error');
    expect(parseOrderIndexes('2', 2)).toHaveProperty('error');
  });
});

describe('static assets', () => {
  it('serves the page with a CSP that allows only its own scripts, styles and same-origin calls', async () => {
    const res = await app.inject('/playground');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
    expect(PLAYGROUND_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.body).toContain('<script type="module" src="/playground/app.js">');
    // no CDN: every script or stylesheet the page loads is ours
    for (const m of res.body.matchAll(/(?:src|href)="([^"]+)"/g)) expect(m[1]).toMatch(/^(\/|#)/);
  });

  it('redirects /playground/ to /playground', async () => {
    const res = await app.inject('/playground/');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/playground');
  });

  it.each(['app.js', 'render.js', 'style.css', 'vendor/marked.esm.js', 'vendor/purify.es.mjs'])('serves %s', async (name) => {
    const res = await app.inject(`/playground/${name}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    expect(res.body.length).toBeGreaterThan(500);
  });

  it('the vendored libraries export what app.js imports', async () => {
    expect((await app.inject('/playground/vendor/marked.esm.js')).body).toMatch(/export\s*\{[^}]*\bmarked\b/);
    expect((await app.inject('/playground/vendor/purify.es.mjs')).body).toMatch(/export\s*\{[^}]*as default/);
  });

  it('a name that is not one of its files, or climbs out of its directory, is not found', async () => {
    for (const url of ['/playground/nope.js', '/playground/vendor/purify.js', '/playground/%2e%2e/src/config.ts', '/playground/..%2fpackage.json']) {
      const res = await app.inject(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject('/playground/app.js');
    const again = await app.inject({ url: '/playground/app.js', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('examples/plan-bindings.json', () => {
  const planIds = readdirSync(projectPath('plans/sample'))
    .filter((f) => f.endsWith('.bundle.json'))
    .flatMap((f) => {
      const bundle = JSON.parse(readFileSync(projectPath('plans/sample', f), 'utf8')) as Bundle;
      return (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is InsurancePlan => r?.resourceType === 'InsurancePlan' && !!r.meta?.profile?.some((p) => p.endsWith('usdf-PayerInsurancePlan')))
        .flatMap((p) => (p.identifier ?? []).map((i) => i.value));
    });

  it('binds every plan key the examples use', () => {
    const used = new Set(examples.patients.map((p) => p.plan).filter((p): p is string => p !== null));
    for (const key of used) expect(bindings[key]).toBeDefined();
  });

  it('maps commercial and medicare to sample plans, and unknown-plan to no plan at all', () => {
    expect(planIds.length).toBeGreaterThanOrEqual(2);
    expect(planIds).toContain(bindings.commercial.planValue);
    expect(planIds).toContain(bindings.medicare.planValue);
    expect(planIds).not.toContain(bindings['unknown-plan'].planValue);
  });
});
