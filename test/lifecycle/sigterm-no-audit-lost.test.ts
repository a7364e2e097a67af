/**
 * Issue 5, "never lost": start the real server process (src/server.ts) on the embedded store, fire a burst
 * of hook calls, send SIGTERM in the middle of it, then open the same data directory and count: every hook
 * call that was answered 200 has its audit record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testConfig } from '../../src/config';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/examples/build-request';
import { projectPath } from '../../src/paths';
import { createStore } from '../../src/store/create-store';

jest.setTimeout(120_000);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function waitHealthy(base: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited early with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

test('SIGTERM during a burst: every answered hook call is in the audit trail', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pbh-sigterm-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', projectPath('src/server.ts')], {
    cwd: projectPath(),
    env: { ...process.env, PBH_PROFILE: 'demo', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PBH_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitHealthy(base, child, 60_000);

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
    const code = await exited;
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
    throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr.slice(-2000)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
