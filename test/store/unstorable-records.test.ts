/**
 * Nothing stops the audit trail: a record with characters the database refuses (NUL, lone surrogates) is
 * stored with those strings escaped reversibly; a record the database refuses anyway is split out of its
 * batch into the dead-letter table (counted in /metrics) and the records around it are written; readiness
 * follows. Both stores, through the store's public interface and through the HTTP service.
 */
import fc from 'fast-check';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { createMetrics } from '../../src/metrics/registry';
import { SqlStore } from '../../src/store/sql-store';
import { ESCAPED_PREFIX, restoreStrings, storableJson } from '../../src/store/storable-json';
import { genotypeObservation, hookRequest } from '../support/fixtures';
import { BACKENDS } from './backends';
import { card, hookRecord } from './records';

jest.setTimeout(60_000);

const UNSTORABLE_JSON = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

describe('storable JSON (unit)', () => {
  test('any string survives: the text is storable and restoreStrings gives the original back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), fc.string({ unit: 'binary' }), (values, key) => {
        const original = { id: 'x', list: values, nested: { [key]: values[0] ?? '' } };
        const text = storableJson(original);
        expect(text).not.toMatch(UNSTORABLE_JSON);
        expect(restoreStrings(JSON.parse(text))).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });

  test('a clean record is stored exactly as JSON.stringify writes it; a string that looks escaped stays literal', () => {
    const clean = { id: 'a', s: `${ESCAPED_PREFIX}%00 not ours`, t: 'x\\u0000y' };
    expect(storableJson(clean)).toBe(JSON.stringify(clean));
    expect(restoreStrings(JSON.parse(storableJson(clean)))).toEqual(clean);
    const hostile = { id: 'b', s: `${ESCAPED_PREFIX}literal`, bad: 'a\u0000b' };
    expect(restoreStrings(JSON.parse(storableJson(hostile)))).toEqual(hostile);
  });
});

describe.each(BACKENDS)('unstorable records on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.create>>;
  let store: SqlStore;
  const metrics = createMetrics();

  beforeAll(async () => {
    env = await backend.create();
    store = new SqlStore(env.open(), { metrics, flushIntervalMs: 20, maxRetryDelayMs: 50 });
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await env.dispose();
  });

  test('NUL and lone surrogates in a record: written, read back as they were; later records written; healthy', async () => {
    const hostile = hookRecord({
      time: '2026-09-01T00:00:00.000Z',
      decisions: [card({ pair: 'CYP2C19:clopi\u0000dogrel' })],
      resourcesUsed: [
        { resourceType: 'Observation', id: 'obs\u0000evil' },
        { resourceType: 'Observation', id: 'lone\ud800x\udc00' },
      ],
    });
    const later = hookRecord({ time: '2026-09-01T00:00:01.000Z', decisions: [card()] });
    store.enqueueAudit(hostile);
    store.enqueueAudit(later);
    await store.flush();
    const found = await store.searchAudit({ since: '2026-09-01T00:00:00Z', until: '2026-09-02T00:00:00Z' });
    expect(found.map((r) => r.id).sort()).toEqual([hostile.id, later.id].sort());
    const back = found.find((r) => r.id === hostile.id)!;
    expect(back.resourcesUsed).toEqual(hostile.resourcesUsed);
    expect(back.decisions).toEqual(hostile.decisions);
    expect(await store.health()).toMatchObject({ ok: true, queueDepth: 0 });
  });

  test('a record the database refuses goes to the dead-letter table; the rest of its batch is written', async () => {
    const text = await metrics.registry.metrics();
    const deadBefore = Number(/pbh_audit_dead_letter_total (\d+)/.exec(text)?.[1] ?? 0);
    // year 0: a valid JavaScript date, out of PostgreSQL's timestamptz range
    const poison = hookRecord({ time: '0000-01-01T00:00:00Z', decisions: [card()] });
    const good = Array.from({ length: 4 }, (_, i) => hookRecord({ time: `2026-09-02T00:00:0${i}.000Z`, decisions: [card()] }));
    store.enqueueAudit(good[0]);
    store.enqueueAudit(good[1]);
    store.enqueueAudit(poison);
    store.enqueueAudit(good[2]);
    store.enqueueAudit(good[3]);
    await store.flush();
    const found = await store.searchAudit({ since: '2026-09-02T00:00:00Z', until: '2026-09-03T00:00:00Z' });
    expect(found.map((r) => r.id).sort()).toEqual(good.map((r) => r.id).sort());
    const db = env.open();
    try {
      const dead = await db.query<{ audit_id: string; error: string; record: string }>('SELECT audit_id, error, record FROM audit_dead_letter');
      expect(dead).toEqual([{ audit_id: poison.id, error: expect.stringMatching(/^22008/), record: JSON.stringify(poison) }]);
    } finally {
      await db.close();
    }
    expect(await metrics.registry.metrics()).toContain(`pbh_audit_dead_letter_total ${deadBefore + 1}`);
    expect(await store.health()).toMatchObject({ ok: true, queueDepth: 0 });
  });
});

describe.each(BACKENDS)('an Observation id with NUL in prefetch, through the service, on $name', (backend) => {
  test('answered 200, its audit record and later ones written, /readyz 200', async () => {
    const env = await backend.create();
    const store = new SqlStore(env.open(), { flushIntervalMs: 20, maxRetryDelayMs: 50 });
    await store.init();
    const app = await buildApp(testConfig(), { store });
    try {
      const hostile = hookRequest('order-sign');
      (hostile.prefetch as any).pgx = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: genotypeObservation('obs\u0000nul') }] };
      const first = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: hostile });
      expect(first.statusCode).toBe(200);
      const later = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: hookRequest('order-sign') });
      expect(later.statusCode).toBe(200);
      await store.flush();
      const records = await store.searchAudit({ serviceId: 'pgx-benefit-order-sign' });
      expect(records).toHaveLength(2);
      expect(records.some((r) => r.resourcesUsed.some((u) => u.id === 'obs\u0000nul'))).toBe(true);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().store).toEqual({ ok: true, queueDepth: 0 });
    } finally {
      await app.close();
      await store.close();
      await env.dispose();
    }
  });
});
