import { testConfig } from '../support/config';
import { createStore } from '../../src/store/create-store';
import { SqlStore } from '../../src/store/sql-store';
import { hookRecord } from './records';

jest.setTimeout(60_000);

test('createStore: embedded PGlite without DATABASE_URL; usable after init, closed cleanly', async () => {
  const store = createStore(testConfig({ databaseUrl: undefined, dataDir: 'memory://' }));
  expect((store as SqlStore).dialect).toBe('pglite');
  await store.init();
  const rec = hookRecord();
  store.enqueueAudit(rec);
  await store.flush();
  expect((await store.searchAudit({})).map((r) => r.id)).toEqual([rec.id]);
  expect(await store.health()).toEqual({ ok: true, queueDepth: 0 });
  await store.close();
  expect((await store.health()).ok).toBe(false);
});

(process.env.DATABASE_URL ? test : test.skip)('createStore: PostgreSQL when DATABASE_URL is set', async () => {
  const store = createStore(testConfig({ databaseUrl: process.env.DATABASE_URL }));
  expect((store as SqlStore).dialect).toBe('postgres');
  // no init: only the connection is exercised, the shared schema is left alone
  expect((await store.health()).ok).toBe(true);
  await store.close();
});

test('retention default: PBH_AUDIT_RETENTION_DAYS = 2190 days (6 years)', () => {
  expect(testConfig().auditRetentionDays).toBe(2190);
});

test('PostgreSQL unreachable (nothing listens): init fails fast, health degraded, enqueue still never throws', async () => {
  const store = createStore(testConfig({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test' }));
  await expect(store.init()).rejects.toThrow();
  expect(() => store.enqueueAudit(hookRecord())).not.toThrow();
  const h = await store.health();
  expect(h).toMatchObject({ ok: false, queueDepth: 1 });
  expect(h.detail).toMatch(/database unavailable \(ECONNREFUSED/);
  await store.close(); // logs the record it could not write; does not throw
});
