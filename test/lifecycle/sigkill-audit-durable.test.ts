/**
 * Durable audit: the real service process (`node dist/src/server.js`) under a bounded burst of hook calls
 * on loopback is killed with SIGKILL (no shutdown code runs). After a restart on the same data directory
 * (which replays the audit journal) every call that was answered 200 has its audit record. Calls in flight
 * at the kill may have been journaled without their answer arriving, so audited ≥ answered, by at most
 * the number of concurrent clients. Both stores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { testConfig } from '../support/config';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { createStore } from '../../src/store/create-store';
import { ensureBuilt, startServer, waitFor, type ServerProcess } from '../support/server-process';

jest.setTimeout(240_000);

const CLIENTS = 8;
const MAX_CALLS = 600;
const KILL_AFTER = 200;

interface Target {
  name: string;
  env: (dataDir: string) => Record<string, string>;
  /** opens the store the service wrote to, in this process */
  open: (dataDir: string) => ReturnType<typeof createStore>;
  dispose: () => Promise<void>;
}

async function postgresTarget(url: string): Promise<Target> {
  const schema = `pbh_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    name: 'postgres',
    env: (dataDir) => ({ DATABASE_URL: u.toString(), PBH_DATA_DIR: dataDir }),
    open: () => createStore({ ...testConfig(), databaseUrl: url }, undefined, { schema }),
    dispose: async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

const embedded: Target = {
  name: 'pglite',
  env: (dataDir) => ({ PBH_DATA_DIR: dataDir }),
  open: (dataDir) => createStore({ ...testConfig(), dataDir, databaseUrl: undefined }),
  dispose: async () => undefined,
};

const targets: Array<() => Promise<Target>> = [
  async () => embedded,
  ...(process.env.DATABASE_URL ? [() => postgresTarget(process.env.DATABASE_URL!)] : []),
];

beforeAll(() => ensureBuilt());

test.each(targets.map((t, i) => [i === 0 ? 'pglite' : 'postgres', t] as const))(
  'SIGKILL under load (%s): every answered hook call has its audit record after restart',
  async (_name, makeTarget) => {
    const target = await makeTarget();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pbh-sigkill-'));
    let server: ServerProcess | undefined;
    try {
      server = await startServer({ env: target.env(dataDir) });
      await waitFor(server, '/healthz', 60_000);

      const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
      const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
      const patient = examples.patients.find((p) => p.id === 'pbh-dan')!;
      const answered = new Set<string>();
      let sent = 0;
      let stop = false;
      const base = server.base;
      const call = async () => {
        sent += 1;
        const hookInstance = randomUUID();
        const body = buildHookRequest(patient, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance });
        try {
          const r = await fetch(`${base}/cds-services/pgx-benefit-order-sign`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await r.arrayBuffer();
          if (r.status === 200) answered.add(hookInstance);
        } catch {
          /* the process is gone: not answered */
        }
      };
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!stop && sent < MAX_CALLS) await call();
      });
      while (answered.size < KILL_AFTER && sent < MAX_CALLS) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
      const killed = await server.exited;
      stop = true;
      await Promise.all(clients);
      expect(killed.signal).toBe('SIGKILL');
      expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);

      // restart on the same directory: the journal is replayed into the store, then a clean stop
      server = await startServer({ env: target.env(dataDir) });
      await waitFor(server, '/readyz', 120_000, (j) => j.status === 'ok' && j.store?.queueDepth === 0);
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);

      const store = target.open(dataDir);
      await store.init();
      try {
        const records = (await store.searchAudit({ serviceId: 'pgx-benefit-order-sign', limit: 100_000 })).filter((r) => r.kind === 'hook');
        const audited = new Set(records.map((r) => r.hookInstance));
        const missing = [...answered].filter((h) => !audited.has(h));
        process.stdout.write(`SIGKILL (${target.name}): answered ${answered.size}, audited ${audited.size}, missing ${missing.length}\n`);
        expect(missing).toEqual([]);
        expect(audited.size - answered.size).toBeLessThanOrEqual(CLIENTS);
      } finally {
        await store.close();
      }
    } catch (e) {
      server?.child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\nserver stderr:\n${server?.stderr() ?? ''}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      await target.dispose();
    }
  },
);
