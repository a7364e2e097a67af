/**
 * Shutdown always ends: the built service (`node dist/src/server.js`) is started and stopped with SIGTERM
 * again and again — on a fresh and on an existing data directory, idle and under load, with its stdout
 * closed by the reader, and while the embedded store is still being created (initdb in its child process)
 * — and every stop exits 0 within the grace period. Two services run side by side (independent lanes) to
 * keep the wall time down.
 *
 * PBH_SOAK_CYCLES sets the number of start/stop cycles: default 5 (each kind once, ~45 s on the shared
 * 2-core machine); the full soak is PBH_SOAK_CYCLES=50 (~6–8 min).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { ensureBuilt, startServer, waitFor, type ServerProcess } from '../support/server-process';

const CYCLES = Number(process.env.PBH_SOAK_CYCLES ?? 5);
/** the server's close-with-grace delay (src/server.ts) */
const GRACE_MS = 25_000;
jest.setTimeout(60_000 + CYCLES * 20_000);

type Kind = 'fresh, stop during start-up' | 'existing, idle' | 'existing, under load' | 'existing, under load, stdout closed' | 'fresh, stop while the store initialises, stdout closed';
const KINDS: Kind[] = [
  'fresh, stop during start-up',
  'existing, idle',
  'existing, under load',
  'existing, under load, stdout closed',
  'fresh, stop while the store initialises, stdout closed',
];

const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
const patient = examples.patients.find((p) => p.id === 'pbh-dan')!;
const body = JSON.stringify(buildHookRequest(patient, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: '5f0c7a52-4d7e-4d1b-9b8e-2f4b6e0c9a11' }));

/** bounded load: 4 clients, at most `max` calls, until stopped */
function load(server: ServerProcess, max = 300): { stop: () => Promise<number> } {
  let stopped = false;
  let sent = 0;
  let ok = 0;
  const clients = Array.from({ length: 4 }, async () => {
    while (!stopped && sent < max) {
      sent += 1;
      try {
        const r = await fetch(`${server.base}/cds-services/pgx-benefit-order-sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.arrayBuffer();
        if (r.ok) ok += 1;
      } catch {
        /* refused once the server stops accepting */
      }
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
      return ok;
    },
  };
}

interface Outcome {
  cycle: number;
  kind: Kind;
  code: number | null;
  signal: NodeJS.Signals | null;
  stopMs: number;
  stderr: string;
}

async function cycle(n: number, kind: Kind, laneDir: string): Promise<Outcome> {
  const fresh = kind.startsWith('fresh');
  const dataDir = fresh ? mkdtempSync(path.join(os.tmpdir(), 'pbh-soak-fresh-')) : laneDir;
  const server = await startServer({ env: { PBH_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, closeStdout: kind.includes('stdout closed') });
  let traffic: ReturnType<typeof load> | undefined;
  try {
    if (kind === 'fresh, stop during start-up') {
      // from its first log line (the store is being created: initdb runs in its child process) through
      // the app's start-up and listen. (A signal before Node has run any of the service's JavaScript gets
      // Node's default action; the service holds signals from its first module on: src/early-signals.ts.)
      await server.firstOutput;
      await new Promise((r) => setTimeout(r, (n * 397) % 2500));
    } else {
      await waitFor(server, '/healthz', 30_000);
      if (kind.includes('under load')) {
        traffic = load(server);
        await new Promise((r) => setTimeout(r, 400));
      }
    }
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    const deadline = new Promise<{ code: null; signal: null; late: true }>((r) => setTimeout(() => r({ code: null, signal: null, late: true }), GRACE_MS + 5_000).unref());
    const result = await Promise.race([server.exited, deadline]);
    const stopMs = Date.now() - t0;
    await traffic?.stop();
    if ('late' in result) server.child.kill('SIGKILL');
    return { cycle: n, kind, code: result.code, signal: result.signal, stopMs, stderr: server.stderr() };
  } catch (e) {
    return { cycle: n, kind, code: -1, signal: null, stopMs: -1, stderr: `${(e as Error).message}\n${server.stderr()}` };
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await traffic?.stop();
    if (fresh) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

beforeAll(() => ensureBuilt());

test(`${CYCLES} start/stop cycles: every SIGTERM ends the process with 0 within the grace period`, async () => {
  const lanes = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), 'pbh-soak-lane-')));
  const outcomes: Outcome[] = [];
  try {
    await Promise.all(
      lanes.map(async (laneDir, lane) => {
        for (let n = lane; n < CYCLES; n += 2) outcomes.push(await cycle(n, KINDS[n % KINDS.length], laneDir));
      }),
    );
  } finally {
    for (const d of lanes) rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  const bad = outcomes.filter((o) => o.code !== 0 || o.stopMs >= GRACE_MS);
  const slowest = Math.max(...outcomes.map((o) => o.stopMs));
  process.stdout.write(`shutdown soak: ${outcomes.length} cycles, slowest stop ${slowest} ms, failures ${bad.length}\n`);
  expect(bad.map((o) => ({ cycle: o.cycle, kind: o.kind, code: o.code, signal: o.signal, stopMs: o.stopMs, stderr: o.stderr.slice(-600) }))).toEqual([]);
  expect(outcomes).toHaveLength(CYCLES);
  // each kind of stop was exercised
  expect(new Set(outcomes.map((o) => o.kind)).size).toBe(Math.min(KINDS.length, CYCLES));
});
