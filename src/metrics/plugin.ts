import type { FastifyPluginAsync } from 'fastify';
import { metrics as processMetrics, type Metrics } from './registry';

export interface MetricsPluginOptions {
  /** default: the process-wide `metrics` */
  metrics?: Metrics;
  /** collect process metrics too (default true) */
  defaultMetrics?: boolean;
}

/** `GET /metrics` in the Prometheus text format. Meant for the cluster's scraper, not the internet. */
export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, opts) => {
  const m = opts.metrics ?? processMetrics;
  if (opts.defaultMetrics !== false) m.enableDefaultMetrics();
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', m.registry.contentType);
    return m.registry.metrics();
  });
};
