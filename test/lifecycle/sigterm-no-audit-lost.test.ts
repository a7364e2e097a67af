/**
 * Never lost: start the real server process (src/server.ts) on the embedded store, fire a burst
 * of hook calls, send SIGTERM in the middle of it, then open the same data directory and count: every hook
 * call that was answered 200 has its audit record.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testConfig } from '../support/config';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { createStore } from '../../src/store/create-store';
import { startServer, waitFor } from '../support/server-process';

jest.setTimeout(120_000);

test('SIGTERM during a burst: every answered hook call is in the audit trail', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pbh-sigterm-'));
  const server = await startServer({ fromSource: true, env: { PBH_DATA_DIR: dataDir } });
  const { child, base } = server;
  try {
    await waitFor(server, '/healthz', 60_000);

    const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
    const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
    const patient = examples.patients.find((p) => p.id === 'pbh-dan')!;
    let answered = 0;
    let failed = 0;
    let sent = 0;
    const call = async () => {
      sent += 1;
      const body = buildHookRequest(patient, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
      try {
        const r = await fetch(`${base}/cds-services/pgx-benefit-order-sign`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify(body),
        });
        await r.arrayBuffer();
        if (r.status === 200) answered += 1;
        else failed += 1;
      } catch {
        failed += 1; // refused once the server stopped accepting: not answered, so nothing to audit
      }
    };
    // 8 concurrent clients keep firing; SIGTERM lands once 60 calls have been answered.
    let stop = false;
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop && sent < 400) await call();
    });
    while (answered < 60) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    const { code } = await server.exited;
    stop = true;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(answered).toBeGreaterThanOrEqual(60);

    // opened as the service would be on its next start: records a stop during initdb left in the journal
    // are replayed into the store
    const store = createStore({ ...testConfig(), dataDir, databaseUrl: undefined, auditJournalDir: path.join(dataDir, 'audit-journal') });
    await store.init(); // the embedded store opens in the background; queries wait until it is ready
    await store.flush();
    try {
      const records = await store.searchAudit({ serviceId: 'pgx-benefit-order-sign', limit: 100_000 });
      expect(records.filter((r) => r.kind === 'hook')).toHaveLength(answered);
    } finally {
      await store.close();
    }
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\nserver stderr:\n${server.stderr().slice(-2000)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
