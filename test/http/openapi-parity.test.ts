import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import YAML from 'yaml';
import { buildApp } from '../../src/app';
import { loadSchemas } from '../../src/http/schemas';
import { testConfig } from '../support/config';
import { projectPath } from '../../src/paths';
import { createStore } from '../../src/store/create-store';
import type { AdminStore } from '../../src/store/types';

/** openapi.yaml and the routes the service registers are the same set; its examples are valid. */
const doc = YAML.parse(readFileSync(projectPath('openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: ExampleHolder; responses: Record<string, ExampleHolder> }>>;
};
type ExampleHolder = { content?: Record<string, { examples?: Record<string, { externalValue?: string }> }> };

let app: FastifyInstance;
let store: AdminStore;
beforeAll(async () => {
  // the real embedded store, so the admin routes exist as they do in production
  store = createStore(testConfig());
  await store.init();
  app = await buildApp(testConfig(), { store });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** "METHOD /path" for every route, read from Fastify's own route tree (printRoutes). */
function registeredRoutes(a: FastifyInstance): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of a.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const url = stack.join('');
    for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push(`${method} ${url}`);
  }
  return out;
}

/** Deliberately undocumented: the docs UI itself, the admin reports page and its files, the playground's page and static assets, CORS preflight. */
// the static pages' files (src/http/static-page.ts): HTML and assets, not API
const NOT_API = [/^GET \/docs/, /^GET \/admin\/dashboard(\/?\*)?$/, /^GET \/playground(\/|\/\*)?$/, /^GET \/playground\/vendor\/[a-z.]+\.(js|mjs)$/, /^OPTIONS \*$/];

describe('openapi.yaml ↔ registered routes', () => {
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
  );

  it('are the same set (minus the docs UI, playground assets and CORS preflight)', () => {
    const api = registeredRoutes(app).filter((r) => !NOT_API.some((re) => re.test(r)));
    expect(api.length).toBeGreaterThan(8);
    expect([...new Set(api)].sort()).toEqual([...new Set(documented)].sort());
  });
});

describe('openapi examples validate against the schemas the routes use', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const schema of loadSchemas().values()) ajv.addSchema(schema);
  const hookOp = doc.paths['/cds-services/{id}'].post;

  it('request examples match hook-request.schema.json', () => {
    const examples = hookOp.requestBody!.content!['application/json'].examples!;
    expect(Object.keys(examples).length).toBeGreaterThan(0);
    for (const ex of Object.values(examples)) {
      const value = JSON.parse(readFileSync(projectPath(ex.externalValue!), 'utf8'));
      const validate = ajv.getSchema(loadSchemas().get('hook-request.schema.json')!.$id as string)!;
      expect(validate(value) ? [] : validate.errors).toEqual([]);
    }
  });

  it('response examples match hook-response.schema.json and are what the service answers today', async () => {
    const examples = hookOp.responses['200'].content!['application/json'].examples!;
    for (const [name, ex] of Object.entries(examples)) {
      const value = JSON.parse(readFileSync(projectPath(ex.externalValue!), 'utf8'));
      const validate = ajv.getSchema(loadSchemas().get('hook-response.schema.json')!.$id as string)!;
      expect(validate(value) ? [] : validate.errors).toEqual([]);
      const request = JSON.parse(readFileSync(projectPath(`examples/requests/${ex.externalValue!.split('/').pop()}`), 'utf8'));
      const service = request.hook === 'order-select' ? 'pgx-benefit-order-select' : 'pgx-benefit-order-sign';
      const fixed = await buildApp(testConfig(), { now: () => new Date('2026-11-23T09:00:00.000Z') });
      const res = await fixed.inject({ method: 'POST', url: `/cds-services/${service}`, payload: request });
      await fixed.close();
      expect({ name, body: res.json() }).toEqual({ name, body: value });
    }
  });

  it('the served document inlines the examples', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.yaml' });
    const served = YAML.parse(res.body);
    const ex = served.paths['/cds-services/{id}'].post.requestBody.content['application/json'].examples.avaOrderSign;
    expect(ex.externalValue).toBeUndefined();
    expect(ex.value.hook).toBe('order-sign');
  });
});
