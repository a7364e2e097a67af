/**
 * The project's image, as built from the Dockerfile, driven through testcontainers: what the Dockerfile,
 * compose file and Kubernetes manifests promise about it, checked on a running container.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { docker, inspect, logs } from '../support/docker';
import { freePort } from '../support/free-port';
import { startPostgres } from '../support/postgres-container';
import { exited, GRACE_MS, HostContainer, IMAGE, imageHealthCheck, sigterm, state } from './containers';

const root = path.resolve(__dirname, '../..');

describe('the image in the demo profile, read-only root filesystem, PostgreSQL store (as compose and k8s run it)', () => {
  let pg: StartedTestContainer;
  let c: StartedTestContainer;
  let base: string;
  let stopped = false;

  beforeAll(async () => {
    const db = await startPostgres({ POSTGRES_DB: 'pbh' });
    pg = db.container;
    const port = await freePort();
    c = await new HostContainer(IMAGE)
      .withReadOnlyRootFilesystem()
      .withTmpFs({ '/tmp': 'rw' })
      .withEnvironment({
        PBH_PROFILE: 'demo',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgres://postgres@127.0.0.1:${db.port}/pbh`,
      })
      .withHealthCheck(imageHealthCheck(IMAGE))
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    try {
      if (c && !stopped) await c.stop();
    } finally {
      await pg?.stop();
    }
  });

  test('its own health check reports healthy', () => {
    expect(state(c).Health?.Status).toBe('healthy');
  });

  test('runs as the unprivileged node user (uid 1000), not root', async () => {
    expect(inspect(IMAGE).Config.User).toBe('node');
    const id = await c.exec(['id', '-u']);
    expect(id.output.trim()).toBe('1000');
  });

  test('root filesystem is read-only: the process cannot write to /app, only to the tmpfs', async () => {
    expect(inspect(c.getId()).HostConfig.ReadonlyRootfs).toBe(true);
    const write = (file: string) => c.exec(['node', '-e', `require('fs').writeFileSync(${JSON.stringify(file)}, 'x')`]);
    const app = await write('/app/probe');
    expect(app.exitCode).not.toBe(0);
    expect(app.output).toMatch(/EROFS|read-only/);
    expect((await write('/tmp/probe')).exitCode).toBe(0);
  });

  test('discovery lists the two CDS services', async () => {
    const res = await fetch(`${base}/cds-services`);
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { services: { id: string }[] }).services.map((s) => s.id).sort();
    expect(ids).toEqual(['pgx-benefit-order-select', 'pgx-benefit-order-sign']);
  });

  test('the README Ava order-sign call returns the critical clopidogrel card', async () => {
    const body = readFileSync(path.join(root, 'examples/requests/ava-order-sign.json'), 'utf8');
    const res = await fetch(`${base}/cds-services/pgx-benefit-order-sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const { cards } = (await res.json()) as { cards: { summary: string; indicator: string }[] };
    const card = cards.find((k) => /clopidogrel/i.test(k.summary));
    expect(card).toMatchObject({ indicator: 'critical', summary: expect.stringMatching(/CYP2C19 Poor Metabolizer/) });
  });

  test('SIGTERM: drains and exits 0 within the grace period', async () => {
    stopped = true;
    const { exitCode, elapsedMs, output } = await sigterm(c);
    process.stdout.write(`\nSIGTERM to exit: ${elapsedMs} ms\n`);
    expect(exitCode).toBe(0);
    expect(elapsedMs).toBeLessThan(GRACE_MS);
    expect(output).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
  });
});

test('the production profile (the image default) refuses to start without its secrets', async () => {
  expect(inspect(IMAGE).Config.Env).toContain('PBH_PROFILE=production');
  const c = await new HostContainer(IMAGE)
    .withReadOnlyRootFilesystem()
    .withEnvironment({ PORT: String(await freePort()) })
    .withWaitStrategy(Wait.forLogMessage(/PBH_PSEUDONYM_KEY is required/))
    .withStartupTimeout(30_000)
    .start();
  try {
    expect(await exited(c.getId(), 10_000)).toBe(1);
    const output = logs(c.getId());
    expect(output).toMatch(/no trusted JWT issuers/);
    expect(output).not.toMatch(/listening/);
  } finally {
    docker('rm', '-f', c.getId());
  }
});

test('image size is reported; no dev dependencies or TypeScript sources in it', async () => {
  const bytes = inspect(IMAGE).Size as number;
  process.stdout.write(`\nimage ${IMAGE}: ${(bytes / 1e6).toFixed(0)} MB\n`);
  expect(bytes).toBeGreaterThan(0);
  const c = await new HostContainer(IMAGE)
    .withCommand(['node', '-e', "const fs=require('fs');console.log(JSON.stringify([fs.existsSync('node_modules/typescript'),fs.existsSync('node_modules/jest'),fs.existsSync('src/server.ts')]))"])
    .withWaitStrategy(Wait.forOneShotStartup())
    .start();
  try {
    expect(logs(c.getId()).trim()).toBe('[false,false,false]');
  } finally {
    docker('rm', '-f', c.getId());
  }
});
