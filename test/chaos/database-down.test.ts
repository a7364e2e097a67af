/**
 * Database unavailable: the app is built with a PostgreSQL store pointing at a closed port. Hooks keep
 * answering; audit records wait in a bounded queue (the overflow is dropped and counted in the metrics);
 * /readyz reports the store as unavailable (503) while /healthz stays 200.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { createMetrics, type Metrics } from '../../src/metrics/registry';
import { createStore } from '../../src/store/create-store';
import type { AdminStore } from '../../src/store/types';
import { hookRequest } from '../support/fixtures';

const CAPACITY = 8;
let app: FastifyInstance;
let store: AdminStore;
let metrics: Metrics;

/** a loopback port with nothing listening */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  const config = testConfig({ databaseUrl: `postgres://pbh:pbh@127.0.0.1:${await closedPort()}/pbh` });
  metrics = createMetrics();
  store = createStore(config, undefined, { background: true, queueCapacity: CAPACITY, flushIntervalMs: 50, maxRetryDelayMs: 200, metrics });
  await store.init(); // background: returns at once, keeps retrying
  app = await buildApp(config, { store });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await Promise.race([store.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
});

const metricValue = async (name: string): Promise<number> => {
  const m = (await metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).reduce((s, v) => s + Number(v.value), 0);
};

test('hooks keep answering 200 with cards while the database is down', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: hookRequest('order-sign') as never });
    expect(res.statusCode).toBe(200);
    expect(res.json().cards.length).toBeGreaterThan(0);
  }
});

test('/healthz is 200 (the process is alive) while /readyz is 503 with the store unavailable', async () => {
  // let the background start-up fail at least once
  await new Promise((r) => setTimeout(r, 300));
  const live = await app.inject({ method: 'GET', url: '/healthz' });
  expect(live.statusCode).toBe(200);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toEqual(expect.objectContaining({ status: 'unavailable', store: expect.objectContaining({ ok: false }) }));
});

test('audit records are buffered up to the bound; the overflow is dropped and counted', async () => {
  for (let i = 0; i < CAPACITY + 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: hookRequest('order-sign') as never });
    expect(res.statusCode).toBe(200);
  }
  const health = await store.health();
  expect(health.ok).toBe(false);
  expect(health.queueDepth).toBe(CAPACITY); // bounded, not growing with traffic
  expect(await metricValue('pbh_audit_dropped_total')).toBe(3 + CAPACITY + 5 - CAPACITY);
  expect(await metricValue('pbh_audit_queue_depth')).toBe(CAPACITY);
});
