/**
 * docker/compose.yaml's service + PostgreSQL, started from the file's own definitions through
 * testcontainers: environment (with its ${VAR:-default} defaults), read-only root, tmpfs, dropped
 * capabilities, no-new-privileges and both health checks. Differences forced by this machine, and only
 * these: the images are the local ones (the project's image; Debian's PostgreSQL 15 for postgres:16), and
 * every container is on the host network, so "postgres:5432" becomes 127.0.0.1 and a free port.
 * The HAPI FHIR services are not started: their images come from Docker Hub (see the compose file).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Wait, type StartedTestContainer } from 'testcontainers';
import YAML from 'yaml';
import { POSTGRES_IMAGE } from '../support/docker';
import { freePort } from '../support/free-port';
import { HostContainer, IMAGE, sigterm, state } from './containers';

const root = path.resolve(__dirname, '../..');

interface Service {
  environment?: Record<string, string>;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  healthcheck?: { test: string[] };
}
const compose = YAML.parse(readFileSync(path.join(root, 'docker/compose.yaml'), 'utf8')) as { services: Record<string, Service> };

/** Compose interpolation with an empty host environment: ${VAR:-default} → default, ${VAR} → ''. */
const interpolate = (v: string) => v.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_m, def: string | undefined) => def ?? '');
const environment = (s: Service) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

/** a compose healthcheck.test as testcontainers takes it, polled quickly */
const healthCheck = (s: Service, rewrite: (cmd: string) => string = (c) => c) => {
  const [kind, ...rest] = s.healthcheck!.test;
  const test = (kind === 'CMD-SHELL' ? ['CMD-SHELL', rewrite(rest.join(' '))] : ['CMD', ...rest.map(rewrite)]) as
    | ['CMD-SHELL', string]
    | ['CMD', ...string[]];
  return { test, interval: 500, timeout: 3000, retries: 60 };
};

describe('compose: pbh + postgres as docker/compose.yaml defines them', () => {
  const pbhDef = compose.services.pbh;
  const pgDef = compose.services.postgres;
  let pg: StartedTestContainer;
  let pbh: StartedTestContainer;
  let pgPort: number;
  let base: string;
  let stopped = false;
  const pgEnv = environment(pgDef);

  beforeAll(async () => {
    pgPort = await freePort();
    pg = await new HostContainer(POSTGRES_IMAGE)
      .withEnvironment({ ...pgEnv, PGPORT: String(pgPort), PGHOST: '127.0.0.1' })
      .withHealthCheck(healthCheck(pgDef))
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .start();

    const port = await freePort();
    const env = environment(pbhDef);
    expect(env.DATABASE_URL).toContain('@postgres:5432/');
    env.DATABASE_URL = env.DATABASE_URL.replace('@postgres:5432/', `@127.0.0.1:${pgPort}/`);
    env.PORT = String(port);
    const c = new HostContainer(IMAGE)
      .withEnvironment(env)
      .withTmpFs(Object.fromEntries((pbhDef.tmpfs ?? []).map((p) => [p, 'rw'])))
      .withDroppedCapabilities(...(pbhDef.cap_drop ?? []))
      .withSecurityOpt(...(pbhDef.security_opt ?? []))
      .withHealthCheck(healthCheck(pbhDef, (cmd) => cmd.replaceAll(':8080/', `:${port}/`)))
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000);
    if (pbhDef.read_only) c.withReadOnlyRootFilesystem();
    pbh = await c.start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    try {
      if (pbh && !stopped) await pbh.stop();
    } finally {
      await pg?.stop();
    }
  });

  test('the service is healthy and ready, its store is PostgreSQL', async () => {
    expect(state(pbh).Health?.Status).toBe('healthy');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { store?: { ok: boolean } }).store).toMatchObject({ ok: true });
  });

  test('the Ava call is answered, and after SIGTERM its audit record is in PostgreSQL', async () => {
    const body = JSON.parse(readFileSync(path.join(root, 'examples/requests/ava-order-sign.json'), 'utf8'));
    const res = await fetch(`${base}/cds-services/pgx-benefit-order-sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cards: unknown[] }).cards.length).toBeGreaterThan(0);

    stopped = true;
    const { exitCode, output } = await sigterm(pbh);
    expect({ exitCode, failedStore: /store start-up failed|could not be written/.test(output) }).toEqual({ exitCode: 0, failedStore: false });

    const db = new Client({
      connectionString: `postgres://${pgEnv.POSTGRES_USER}:${pgEnv.POSTGRES_PASSWORD}@127.0.0.1:${pgPort}/${pgEnv.POSTGRES_DB}`,
    });
    await db.connect();
    try {
      const rows = await db.query("SELECT service_id, outcome FROM audit_record WHERE kind = 'hook'");
      expect(rows.rows).toEqual([expect.objectContaining({ service_id: 'pgx-benefit-order-sign' })]);
    } finally {
      await db.end();
    }
  });
});
