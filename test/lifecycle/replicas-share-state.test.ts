/**
 * Replicas that share state: two real service processes (src/server.ts) behind an imaginary load balancer,
 * sharing one Redis (REDIS_URL: JWT replay cache + rate-limit counters) and one PostgreSQL (DATABASE_URL:
 * audit trail). A token accepted by one replica is refused by the other; the rate limit is one limit, not
 * one per replica; both write into one audit trail.
 *
 * Needs Redis at 127.0.0.1:6379 (REDIS_TEST_URL to override; db 5, keys under a random prefix, removed
 * afterwards) and PostgreSQL (DATABASE_URL, as the store tests). CI provides both; missing either fails
 * the test with a message saying so.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { hookRequest } from '../support/fixtures';
import { startTestIssuer, type TestIssuer } from '../support/jwt';
import { startServer, type ServerProcess } from '../support/server-process';

jest.setTimeout(120_000);

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/5';
// the machine's PostgreSQL, as .ci/run exports it, when DATABASE_URL is not set
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BASE = 'https://pbh.example.org';
const PATH = '/cds-services/pgx-benefit-order-sign';
const LIMIT = 6;
const PREFIX = `pbh-test-${randomUUID().slice(0, 8)}:`;

interface Replica extends ServerProcess {
  name: string;
}

async function startReplica(name: string, issuer: TestIssuer): Promise<Replica> {
  const server = await startServer({
    fromSource: true,
    env: {
      PBH_PUBLIC_BASE_URL: BASE,
      PBH_ALLOW_UNSIGNED: 'false',
      PBH_TRUSTED_ISSUERS: JSON.stringify([{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }]),
      PBH_RATE_LIMIT_MAX: String(LIMIT),
      PBH_RATE_LIMIT_WINDOW_MS: '60000',
      DATABASE_URL,
      REDIS_URL,
      PBH_REDIS_KEY_PREFIX: PREFIX,
      // each replica journals its audit records on its own disk, as each pod does
      PBH_AUDIT_JOURNAL_DIR: mkdtempSync(path.join(tmpdir(), `pbh-replica-${name}-`)),
    },
  });
  const { child, base, stderr } = server;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited with ${child.exitCode}: ${stderr()}`);
    if (Date.now() > until) throw new Error(`replica ${name} did not become healthy: ${stderr()}`);
    // any answer will do (the server listens only once started; a poll may itself be rate limited, in the
    // per-IP bucket — the hook calls below carry a trusted issuer's token and use that issuer's bucket)
    const listening = await fetch(`${base}/healthz`).then((r) => (r.body?.cancel(), true), () => false);
    if (listening) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return { ...server, name };
}

let issuer: TestIssuer;
let redis: Redis;
const replicas: Replica[] = [];

beforeAll(async () => {
  if (!DATABASE_URL) throw new Error('this test needs PostgreSQL: set DATABASE_URL (CI does)');
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`this test needs Redis at ${REDIS_URL} (CI runs one): ${(e as Error).message}`);
  }
  issuer = await startTestIssuer();
  // one at a time into the list, so a replica that started is stopped even when the next one fails
  replicas.push(await startReplica('A', issuer));
  replicas.push(await startReplica('B', issuer));
});

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await issuer?.close();
  if (redis?.status === 'ready') {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

async function call(replica: Replica, token: string, hookInstance = randomUUID()): Promise<number> {
  const res = await fetch(`${replica.base}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...hookRequest('order-sign'), hookInstance }),
  });
  await res.arrayBuffer();
  return res.status;
}

test('two replicas sharing Redis and PostgreSQL: one replay cache, one rate limit, one audit trail', async () => {
  const [a, b] = replicas;
  const aud = `${BASE}${PATH}`;
  const answered: Array<{ replica: string; hookInstance: string }> = [];

  // a captured token replayed against the other replica is refused
  const token = await issuer.sign({ aud });
  const first = randomUUID();
  expect(await call(a, token, first)).toBe(200);
  answered.push({ replica: 'A', hookInstance: first });
  expect(await call(b, token)).toBe(401);
  // ... and against the same replica, as before
  expect(await call(a, token)).toBe(401);

  // one limit for the issuer across both replicas: LIMIT calls in the window, whichever replica serves them
  const statuses: Record<string, number[]> = { A: [], B: [] };
  for (let i = 0; i < 2 * LIMIT; i++) {
    const replica = i % 2 === 0 ? b : a;
    const hookInstance = randomUUID();
    const status = await call(replica, await issuer.sign({ aud }), hookInstance);
    statuses[replica.name].push(status);
    if (status === 200) answered.push({ replica: replica.name, hookInstance });
  }
  const passed = [...statuses.A, ...statuses.B].filter((s) => s !== 429).length;
  // the accepted call above used one of the LIMIT (refused tokens are turned away before the limit counts
  // them); per-replica limits would have let 2 × LIMIT − 1 of these through
  expect(passed).toBe(LIMIT - 1);
  expect(statuses.A).toContain(429);
  expect(statuses.B).toContain(429);
  expect(answered.some((x) => x.replica === 'B')).toBe(true);

  // stop both (SIGTERM flushes the audit queue), then read the one audit trail
  for (const r of replicas) r.child.kill('SIGTERM');
  const codes = await Promise.all(replicas.map(async (r) => (await r.exited).code));
  expect(codes).toEqual([0, 0]);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ hook_instance: string }>(
      `SELECT record->>'hookInstance' AS hook_instance FROM audit_record WHERE record->>'hookInstance' = ANY($1::text[])`,
      [answered.map((x) => x.hookInstance)],
    );
    expect(rows.map((r) => r.hook_instance).sort()).toEqual(answered.map((x) => x.hookInstance).sort());
  } finally {
    await db.end();
  }
});
