/** GET /cds-services, health, readiness, OpenAPI and docs. */
import type { FastifyInstance } from 'fastify';
import YAML from 'yaml';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { MemoryStore } from '../support/memory-store';
import { schemaErrors } from '../support/response-schema';

let app: FastifyInstance;
let store: MemoryStore;
beforeAll(async () => {
  store = new MemoryStore();
  app = await buildApp(testConfig(), { store });
});
afterAll(() => app.close());

test('discovery lists both services with hook, description and prefetch templates', async () => {
  const res = await app.inject({ url: '/cds-services' });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(schemaErrors('discovery.schema.json', body)).toEqual([]);
  const byId = Object.fromEntries(body.services.map((s: { id: string }) => [s.id, s]));
  expect(byId['pgx-benefit-order-select'].hook).toBe('order-select');
  expect(byId['pgx-benefit-order-sign'].hook).toBe('order-sign');
  for (const s of body.services) {
    expect(s.title).toBeTruthy();
    expect(s.usageRequirements).toBeTruthy();
    expect(Object.keys(s.prefetch).sort()).toEqual(['conditions', 'coverage', 'dispenses', 'goals', 'medications', 'patient', 'pgx', 'vitals']);
    expect(s.prefetch.patient).toBe('Patient/{{context.patientId}}');
    expect(s.prefetch.pgx).toContain('http://loinc.org|84413-4');
    expect(s.prefetch.pgx).toContain('http://loinc.org|84414-2');
    // tumour results come with the genomics: variants (69548-6) and the HER2 / PD-L1 / MSI / TMB observations
    for (const code of ['69548-6', '85319-2', '83053-9', '81695-9', '94076-7']) expect(s.prefetch.pgx).toContain(`http://loinc.org|${code}`);
  }
});

test('healthz is live; readyz reports knowledge and store health', async () => {
  expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  const ready = await app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toMatchObject({ status: 'ok', store: { ok: true } });
  store.healthy = false;
  const down = await app.inject({ url: '/readyz' });
  expect(down.statusCode).toBe(503);
  expect(down.json().status).toBe('unavailable');
  store.healthy = true;
});

test('/openapi.yaml is OpenAPI 3.1 with the profile schemas inlined (no dangling file refs)', async () => {
  const res = await app.inject({ url: '/openapi.yaml' });
  expect(res.statusCode).toBe(200);
  const doc = YAML.parse(res.body);
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/cds-services', '/cds-services/{id}', '/cds-services/{id}/feedback', '/healthz', '/readyz']));
  expect(res.body).not.toMatch(/\$ref: .*profiles\//);
  expect(doc.components.schemas.HookRequest.properties.hookInstance.format).toBe('uuid');
  expect(doc.components.schemas.HookResponse.properties.cards.items.$ref).toBe('#/components/schemas/HookResponse/definitions/card');
});

test('/docs serves Swagger UI from local assets (no CDN)', async () => {
  const res = await app.inject({ url: '/docs/' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  expect(res.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
  const asset = await app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
  expect(asset.statusCode).toBe(200);
});
