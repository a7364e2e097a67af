import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testConfig } from '../support/config';
import { createStore } from '../../src/store/create-store';
import { PgliteClient } from '../../src/store/pglite-client';
import { SqlStore } from '../../src/store/sql-store';
import { card, hookRecord } from './records';

jest.setTimeout(90_000); // initdb on a busy 2-core machine

test('embedded store on a new directory: init() returns before initdb, records queued meanwhile are all written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pbh-bg-'));
  const store = createStore(testConfig({ databaseUrl: undefined, dataDir: dir })) as SqlStore;
  try {
    const t0 = Date.now();
    await store.init();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false); // initdb still running
    expect(await store.health()).toEqual({ ok: true, queueDepth: 0, detail: 'initialising' });

    const recs = Array.from({ length: 30 }, () => hookRecord({ decisions: [card()] }));
    recs.forEach((r) => store.enqueueAudit(r));
    expect((await store.health()).queueDepth).toBe(30);
    // a feedback lookup waits for the store instead of failing on a missing table
    expect(await store.findIssuedCard(recs[0]!.serviceId, 'no-such-card')).toBeUndefined();

    await store.ready();
    await store.flush();
    const ids = (await store.searchAudit({ limit: 1000 })).map((r) => r.id).sort();
    expect(ids).toEqual(recs.map((r) => r.id).sort());
    expect(await store.health()).toEqual({ ok: true, queueDepth: 0 });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closed while still initialising: nothing queued is lost', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pbh-bg-'));
  try {
    const store = createStore(testConfig({ databaseUrl: undefined, dataDir: dir }));
    await store.init();
    const recs = Array.from({ length: 10 }, () => hookRecord({ decisions: [card()] }));
    recs.forEach((r) => store.enqueueAudit(r));
    await store.close();
    const again = new PgliteClient(dir);
    const rows = await again.query<{ n: string | number }>('SELECT count(*) AS n FROM audit_record');
    expect(Number(rows[0]!.n)).toBe(10);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('background start that keeps failing: health degraded with the reason, store calls fail instead of hanging', async () => {
  const failing = {
    dialect: 'postgres' as const,
    query: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
    exec: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
    transaction: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
    close: async () => undefined,
  };
  const store = new SqlStore(failing, { background: true, flushIntervalMs: 10, maxRetryDelayMs: 20 });
  await store.init();
  await new Promise((r) => setTimeout(r, 50));
  store.enqueueAudit(hookRecord());
  const h = await store.health();
  expect(h).toMatchObject({ ok: false, queueDepth: 1 });
  expect(h.detail).toMatch(/start-up failing \(ECONNREFUSED/);
  await expect(store.searchAudit({})).rejects.toThrow(/store unavailable/);
  await store.close(); // logs what it could not write; does not throw
});
