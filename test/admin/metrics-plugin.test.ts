import { get } from './http';
import Fastify from 'fastify';
import { metricsPlugin } from '../../src/metrics/plugin';
import { createMetrics } from '../../src/metrics/registry';


test('GET /metrics serves the Prometheus text format with the service metrics', async () => {
  const metrics = createMetrics();
  metrics.observeHook('pgx-benefit-order-sign', 'success', 0.042);
  metrics.fhirFetchError('timeout');
  metrics.setAuditQueueDepth(3);
  metrics.auditDropped(2);
  metrics.auditWriteError();
  const app = Fastify();
  await app.register(metricsPlugin, { metrics, defaultMetrics: false });
  const res = await get(app, '/metrics');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.body).toContain('pbh_hook_requests_total{service="pgx-benefit-order-sign",outcome="success"} 1');
  expect(res.body).toContain('pbh_hook_duration_seconds_bucket{le="0.05",service="pgx-benefit-order-sign"} 1');
  expect(res.body).toContain('pbh_fhir_fetch_errors_total{kind="timeout"} 1');
  expect(res.body).toContain('pbh_audit_queue_depth 3');
  expect(res.body).toContain('pbh_audit_dropped_total 2');
  expect(res.body).toContain('pbh_audit_write_errors_total 1');
  await app.close();
});

test('process metrics are opt-out and registered once', async () => {
  const metrics = createMetrics();
  const app = Fastify();
  await app.register(metricsPlugin, { metrics });
  metrics.enableDefaultMetrics(); // second call: no duplicate registration error
  const res = await get(app, '/metrics');
  expect(res.body).toContain('process_cpu_user_seconds_total');
  await app.close();
});

test('metricsObserver: the protocol edge reports into bounded labels', async () => {
  const { metricsObserver, authReasonLabel } = await import('../../src/metrics/observer');
  const metrics = createMetrics();
  const o = metricsObserver(metrics);
  o.hookAnswered({ serviceId: 'svc', hook: 'order-sign', outcome: 'partial', durationMs: 120, cards: 2 });
  o.fhirFetchFailed('pgx', 'timeout');
  o.fhirFetchFailed('coverage', 'http');
  o.fhirFetchFailed('medications', 'not a kind' as never);
  o.authRejected('ERR_JWT_EXPIRED');
  o.authRejected('something with spaces and maybe data');
  const text = await metrics.registry.metrics();
  expect(text).toContain('pbh_hook_requests_total{service="svc",outcome="partial"} 1');
  expect(text).toContain('pbh_hook_duration_seconds_sum{service="svc"} 0.12');
  expect(text).toContain('pbh_fhir_fetch_errors_total{kind="timeout"} 1');
  expect(text).toContain('pbh_fhir_fetch_errors_total{kind="http"} 1');
  expect(text).toContain('pbh_auth_rejections_total{reason="ERR_JWT_EXPIRED"} 1');
  expect(text).toContain('pbh_auth_rejections_total{reason="other"} 1');
  expect(text).toContain('pbh_fhir_fetch_errors_total{kind="other"} 1');
  expect(authReasonLabel('replay')).toBe('replay');
});
