/**
 * The error catalogue, kept equal to its documentation the way Fastify keeps lib/errors.js equal to
 * docs/Reference/Errors.md: every code in src/errors.ts is documented in docs/errors.md with its status,
 * every documented code exists, every code is raised somewhere, and every Fastify
 * error a request can cause is mapped to one of ours. Then, over HTTP: Fastify's router errors and the
 * admin endpoints answer through the one renderer, without echoing the path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorCodes, type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { FASTIFY_ERRORS } from '../../src/http/error-handler';
import { Errors } from '../../src/errors';
import { PROJECT_ROOT } from '../../src/paths';
import type { AdminStore } from '../../src/store/types';
import { MemoryStore } from '../support/memory-store';
import { schemaErrors } from '../support/response-schema';

const documented = (): Map<string, number> => {
  const md = readFileSync(path.join(PROJECT_ROOT, 'docs', 'errors.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const m of md.matchAll(/^\| `(PBH_ERR_[A-Z0-9_]+)` \| (\d{3}) \|/gm)) {
    expect(rows.has(m[1])).toBe(false); // documented once
    rows.set(m[1], Number(m[2]));
  }
  return rows;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });

describe('catalogue ↔ docs/errors.md', () => {
  test('every catalogued code is documented with its HTTP status', () => {
    const docs = documented();
    for (const def of Object.values(Errors)) {
      expect({ code: def.code, documented: docs.get(def.code) }).toEqual({ code: def.code, documented: def.statusCode });
    }
  });

  test('every documented code exists in the catalogue', () => {
    for (const code of documented().keys()) expect(Object.keys(Errors)).toContain(code);
  });

  test('every code is raised somewhere in src/ (the catalogue holds no code a request can never get)', () => {
    const catalogue = path.join(PROJECT_ROOT, 'src', 'errors.ts');
    const text = sourceFiles(path.join(PROJECT_ROOT, 'src'))
      .filter((f) => f !== catalogue)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const def of Object.values(Errors)) {
      expect({ code: def.code, raised: text.includes(`'${def.code}'`) }).toEqual({ code: def.code, raised: true });
    }
  });

  test("every Fastify error a request can cause is mapped to one of our codes (walks Fastify's own catalogue)", () => {
    const clientFacing = Object.entries(errorCodes)
      .filter(([, Ctor]) => {
        const status = (new (Ctor as unknown as new (...a: string[]) => { statusCode?: number })('a', 'b', 'c')).statusCode;
        return status !== undefined && status !== 500;
      })
      .map(([code]) => code);
    expect(clientFacing).toContain('FST_ERR_MAX_PARAM_LENGTH');
    for (const code of clientFacing) expect({ code, mapped: FASTIFY_ERRORS[code] !== undefined }).toEqual({ code, mapped: true });
    for (const target of Object.values(FASTIFY_ERRORS)) expect(Errors[target]).toBeDefined();
  });
});

describe('over HTTP: one renderer for every route', () => {
  const ADMIN = 'admin-token-for-catalogue';
  let app: FastifyInstance;
  beforeAll(async () => {
    const store = Object.assign(new MemoryStore(), {
      searchAudit: async () => [],
      cardOutcomes: async () => [],
      purgeBefore: async () => ({ auditRecords: 0, feedback: 0 }),
    }) as unknown as AdminStore;
    app = await buildApp(testConfig({ adminToken: ADMIN }), { store });
  });
  afterAll(() => app.close());

  const expectCatalogued = (res: { statusCode: number; body: string; json: () => any }, code: keyof typeof Errors) => {
    expect(res.statusCode).toBe(Errors[code].statusCode);
    expect(res.json()).toMatchObject({ statusCode: Errors[code].statusCode, code, message: expect.stringMatching(new RegExp(`^${Errors[code].message}`)) });
    expect(schemaErrors('error.schema.json', res.json())).toEqual([]);
  };

  test('a 300-character service id → 414 PBH_ERR_URI_TOO_LONG; the path is not echoed', async () => {
    const id = `svc-${'x'.repeat(296)}`;
    for (const url of [`/cds-services/${id}`, `/cds-services/${id}/feedback`]) {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{}' });
      expectCatalogued(res, 'PBH_ERR_URI_TOO_LONG');
      expect(res.body).not.toContain('xxxxxxxxxx');
      expect(res.body).not.toMatch(/FST_ERR/);
      expect(res.headers['x-request-id']).toBeDefined();
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    }
  });

  test('a URL with broken percent-encoding → 400 PBH_ERR_BAD_URL; the path is not echoed', async () => {
    const res = await app.inject({ method: 'GET', url: '/cds-services/%E0%A4%A-secret-path' });
    expectCatalogued(res, 'PBH_ERR_BAD_URL');
    expect(res.body).not.toContain('secret-path');
  });

  test('the static pages (playground, admin reports) and the playground routes answer through the same renderer', async () => {
    for (const url of ['/playground/nope.js', '/playground/vendor/purify.js', '/playground/%2e%2e/src/config.ts', '/admin/dashboard/x.js']) {
      expectCatalogued(await app.inject(url), 'PBH_ERR_NOT_FOUND');
    }
    expectCatalogued(await app.inject('/playground/examples/nobody/request'), 'PBH_ERR_NOT_FOUND');
    expectCatalogued(await app.inject('/playground/examples/pbh-ava/request?orders=0,9'), 'PBH_ERR_VALIDATION');
  });

  test('admin endpoints answer through the same renderer: validation errors name the path, like the hook routes', async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const res = await app.inject({ url: '/admin/audit-events?_count=many', headers: auth });
    expectCatalogued(res, 'PBH_ERR_VALIDATION');
    expect(res.json()).toMatchObject({ instancePath: expect.stringContaining('_count') });
    expect(res.body).not.toContain('many');
    const denied = await app.inject({ url: '/admin/audit-events', headers: { authorization: 'Bearer nope-nope-nope' } });
    expectCatalogued(denied, 'PBH_ERR_UNAUTHORIZED');
    expect(denied.headers['www-authenticate']).toBe('Bearer');
  });
});
