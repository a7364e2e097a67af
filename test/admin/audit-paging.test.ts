/**
 * /admin/audit-events through the service as deployed (buildApp): the documented query parameters arrive
 * as text and are coerced and validated; `_count` and the Bundle's `next` links page through a whole
 * window of 1,000 records, each exactly once, newest first. Both stores.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { SqlStore } from '../../src/store/sql-store';
import { BACKENDS } from '../store/backends';
import { card, hookRecord } from '../store/records';

jest.setTimeout(120_000);

const TOKEN = 'admin-token-for-paging-tests';
const BASE = 'https://pbh.example.org';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(BACKENDS)('audit-event paging on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.create>>;
  let store: SqlStore;
  let app: FastifyInstance;
  const inWindow: string[] = [];

  beforeAll(async () => {
    env = await backend.create();
    store = new SqlStore(env.open(), { flushIntervalMs: 20 });
    await store.init();
    // 1,000 records in November, many sharing a timestamp (ties are ordered by id), plus records outside
    for (let i = 0; i < 1000; i++) {
      const time = new Date(Date.UTC(2026, 10, 1 + (i % 28), 8, Math.floor(i / 28) % 60)).toISOString();
      const r = hookRecord({ time, decisions: [card()] });
      inWindow.push(r.id);
      store.enqueueAudit(r);
    }
    store.enqueueAudit(hookRecord({ time: '2026-10-31T23:59:59.999Z', decisions: [card()] }));
    store.enqueueAudit(hookRecord({ time: '2026-12-01T00:00:00.000Z', decisions: [card()] }));
    await store.flush();
    app = await buildApp(testConfig({ adminToken: TOKEN, publicBaseUrl: BASE }), { store });
  });
  afterAll(async () => {
    await app?.close();
    await store.close();
    await env.dispose();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

  test('a window of 1,000 records read in pages of 130 via next links: each once, newest first', async () => {
    let url: string | undefined = '/admin/audit-events?since=2026-11-01&until=2026-12-01T00:00:00Z&_count=130';
    const seen: string[] = [];
    const times: string[] = [];
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const bundle = res.json();
      pages += 1;
      expect(bundle.entry.length).toBeLessThanOrEqual(130);
      for (const e of bundle.entry) {
        seen.push(e.resource.id);
        times.push(e.resource.recorded);
      }
      const next = bundle.link.find((l: { relation: string }) => l.relation === 'next')?.url as string | undefined;
      if (next) {
        expect(next.startsWith(`${BASE}/admin/audit-events?`)).toBe(true);
        expect(bundle.total).toBeUndefined();
      } else {
        expect(bundle.total).toBe(bundle.entry.length);
      }
      url = next?.slice(BASE.length);
      expect(pages).toBeLessThanOrEqual(10);
    }
    expect(pages).toBe(8);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen)).toEqual(new Set(inWindow));
    expect([...times].sort().reverse()).toEqual(times);
  });

  test('filters stay on the next link; _count=1000 reads the window in one page', async () => {
    const first = (await get('/admin/audit-events?service=pgx-benefit-order-sign&since=2026-11-01&until=2026-12-01&_count=600')).json();
    const next: string = first.link.find((l: { relation: string }) => l.relation === 'next').url;
    const params = new URL(next).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({ service: 'pgx-benefit-order-sign', since: '2026-11-01', until: '2026-12-01', _count: '600' });
    const second = (await get(next.slice(BASE.length))).json();
    expect(first.entry.length + second.entry.length).toBe(1000);
    const all = (await get('/admin/audit-events?since=2026-11-01&until=2026-12-01&_count=1000')).json();
    expect(all.entry).toHaveLength(1000);
    expect(all.total).toBe(1000);
    expect(all.link.map((l: { relation: string }) => l.relation)).toEqual(['self']);
  });

  test.each([
    ['_count=0', /_count/],
    ['_count=1001', /_count/],
    ['_count=five', /_count/],
    ['since=yesterday', /since/],
    ['_cursor=not*a*cursor', /_cursor/],
    [`_cursor=${Buffer.from('["not a time","x"]').toString('base64url')}`, /_cursor/],
    ['patient=raw-patient-id', /patient/],
    ['unknown=1', /additional/],
  ])('%s → 400 PBH_ERR_VALIDATION', async (query, detail) => {
    const res = await get(`/admin/audit-events?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PBH_ERR_VALIDATION', message: expect.stringMatching(detail) });
  });
});
