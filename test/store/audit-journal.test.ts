/**
 * The audit journal through the store's interface: a record is on disk when enqueueAudit resolves, a
 * journal left by a dead process is replayed into the store, stored records leave the journal, and a
 * directory held by a live process is refused.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SqlClient } from '../../src/store/sql-client';
import { SqlStore } from '../../src/store/sql-store';
import { BACKENDS, SwitchableClient } from './backends';
import { card, hookRecord } from './records';

jest.setTimeout(60_000);

const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jnl'));
const journalBytes = (dir: string) => segments(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

let tmp: string;
let disposals: Array<() => Promise<void>> = [];
beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'pbh-journal-'))));
afterEach(async () => {
  rmSync(tmp, { recursive: true, force: true });
  for (const dispose of disposals) await dispose();
  disposals = [];
});

/** an empty embedded database of this test's own (which one is incidental to the journal) */
async function emptyDatabase(): Promise<SqlClient> {
  const [embedded] = BACKENDS;
  const env = await embedded.create();
  disposals.push(env.dispose);
  return env.open();
}

test('journaled before enqueueAudit resolves; a copy of a crashed journal is replayed into the store', async () => {
  const dirA = path.join(tmp, 'a');
  const down = new SwitchableClient(await emptyDatabase());
  const a = new SqlStore(down, { journalDir: dirA, flushIntervalMs: 20, maxRetryDelayMs: 50 });
  await a.init();
  down.down = true; // nothing reaches the database: the journal is the only copy
  const recs = Array.from({ length: 3 }, (_, i) => hookRecord({ time: `2026-08-01T00:00:0${i}.000Z`, decisions: [card()] }));
  for (const r of recs) await a.enqueueAudit(r);
  expect(journalBytes(dirA)).toBeGreaterThan(0);

  // the process "dies" here: what is on disk now is all a restart gets
  const dirB = path.join(tmp, 'b');
  cpSync(dirA, dirB, { recursive: true });
  const b = new SqlStore(await emptyDatabase(), { journalDir: dirB, flushIntervalMs: 20 });
  await b.init();
  expect((await b.health()).queueDepth).toBe(3);
  await b.flush();
  expect((await b.searchAudit({})).map((r) => r.id).sort()).toEqual(recs.map((r) => r.id).sort());
  await new Promise((r) => setTimeout(r, 50));
  expect(journalBytes(dirB)).toBe(0); // stored: the journal lets go of them
  await b.close();
  expect(readdirSync(dirB)).toEqual([]);

  down.down = false;
  await a.close();
});

test('a torn last line (crash mid-write) is skipped; the records before it are replayed', async () => {
  const dir = path.join(tmp, 'torn');
  const r = hookRecord({ decisions: [card()] });
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'audit-00000001.jnl'), `${JSON.stringify(r)}\n{"id":"half-writ`);
  const store = new SqlStore(await emptyDatabase(), { journalDir: dir, flushIntervalMs: 20 });
  await store.init();
  await store.flush();
  expect((await store.searchAudit({})).map((x) => x.id)).toEqual([r.id]);
  await store.close();
});

test('a journal directory held by another live process on this host is refused', async () => {
  const dir = path.join(tmp, 'held');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'journal.lock'), JSON.stringify({ host: os.hostname(), pid: process.ppid }));
  const store = new SqlStore(await emptyDatabase(), { journalDir: dir });
  await expect(store.init()).rejects.toThrow(/in use by process/);
  await store.close();
});
