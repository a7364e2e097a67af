import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config';
import { sendError } from '../cdshooks/error-handler';
import { PbhError } from '../errors';
import { projectPath } from '../paths';
import { auditSearchBundle } from '../store/audit-event';
import type { AdminStore } from '../store/types';
import { computeAnalytics } from './analytics';
import { bearerMatches } from './auth';
import { analyticsCsv, equityCsv, valueCsv } from './csv';
import { computeEquity } from './equity';
import { computeOncologyIndication, oncologyIndicationCsv } from './oncology';
import { buildLabels, buildPlanLookup, type Labels } from './labels';
import { computeValue, type PlanLookup } from './value';

export interface AdminPluginOptions {
  store: AdminStore;
  config: Config;
  /** clock for default periods (tests pin it) */
  now?: () => Date;
  /** display names for codes; default: the terminology only (no knowledge, so drugs and rules show as codes) */
  labels?: Labels;
  /** plans of rules and their value assumptions; default: none (every card "unknown", nothing estimated) */
  plans?: PlanLookup;
}

interface PeriodQuery {
  since?: string;
  until?: string;
  _format?: 'json' | 'csv';
}
interface AuditQuerystring extends PeriodQuery {
  patient?: string;
  service?: string;
  _count?: number;
  _cursor?: string;
}

const DEFAULT_PERIOD_MS = 30 * 86_400_000;
const schema = (name: string): Record<string, unknown> => {
  const { $id: _id, ...rest } = JSON.parse(readFileSync(projectPath('profiles', 'admin', `${name}.schema.json`), 'utf8'));
  return rest;
};
const PERIOD_QUERY = schema('period-query');
const AUDIT_QUERY = schema('audit-events-query');
const ANALYTICS_REPORT = schema('analytics-report');
const EQUITY_REPORT = schema('equity-report');
const VALUE_REPORT = schema('value-report');
const ONCOLOGY_REPORT = schema('oncology-report');

/** `?_format=csv`, or an Accept header that prefers text/csv over JSON */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  if (!accept) return false;
  const q = (type: string) => {
    const m = accept.split(',').map((p) => p.trim().split(';')).find(([t]) => t.trim().toLowerCase() === type);
    if (!m) return 0;
    const qp = m.slice(1).find((x) => x.trim().startsWith('q='));
    return qp ? Number(qp.trim().slice(2)) || 0 : 1;
  };
  return q('text/csv') > q('application/json');
}

/**
 * Query strings are text: the admin routes' validator coerces them to the schema's types (`_count=5` →
 * 5) and fills defaults. The service's own validator does not coerce (JSON bodies must be exact), so the
 * admin plugin, encapsulated, brings its own.
 */
const queryValidator = addFormats(new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false }));

/** opaque page cursor: the (time, id) of the last record of the page before */
const encodeCursor = (after: { time: string; id: string }): string => Buffer.from(JSON.stringify([after.time, after.id])).toString('base64url');
function decodeCursor(cursor: string): { time: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return { time: v[0], id: v[1] };
    }
  } catch {
    /* reported below */
  }
  throw new PbhError('PBH_ERR_VALIDATION', '_cursor is not a cursor this service issued');
}

/**
 * Admin endpoints (audit trail as FHIR AuditEvents, analytics, equity). Not registered at all when no
 * admin token is configured, so they answer 404 like any unknown path. Every route needs
 * `Authorization: Bearer <PBH_ADMIN_TOKEN>`.
 *
 * Register (encapsulated, do NOT wrap in fastify-plugin):  app.register(adminPlugin, { store, config })
 */
export const adminPlugin: FastifyPluginAsync<AdminPluginOptions> = async (app, opts) => {
  const { store, config } = opts;
  const token = config.adminToken;
  if (!token) return;
  const now = opts.now ?? (() => new Date());
  const labels = opts.labels ?? buildLabels();
  const plans = opts.plans ?? buildPlanLookup();

  // the application's one error renderer, set here too so the plugin answers alike wherever it is mounted
  app.setErrorHandler(sendError);
  app.setValidatorCompiler(({ schema }) => queryValidator.compile(schema));

  app.addHook('onRequest', async (req, reply) => {
    if (!bearerMatches(req.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer');
      throw new PbhError('PBH_ERR_UNAUTHORIZED');
    }
  });

  const period = (q: PeriodQuery): { since: string; until: string } => {
    const until = q.until ? new Date(q.until) : now();
    const since = q.since ? new Date(q.since) : new Date(until.getTime() - DEFAULT_PERIOD_MS);
    if (!(since < until)) throw new PbhError('PBH_ERR_VALIDATION', 'since must be before until');
    return { since: since.toISOString(), until: until.toISOString() };
  };

  app.get<{ Querystring: AuditQuerystring }>(
    '/admin/audit-events',
    { schema: { querystring: AUDIT_QUERY } },
    async (req, reply) => {
      const q = req.query;
      const count = q._count ?? 100;
      const bounds = {
        since: q.since ? new Date(q.since).toISOString() : undefined,
        until: q.until ? new Date(q.until).toISOString() : undefined,
      };
      // one more than the page: whether there is a next page, without counting the window
      const found = await store.searchAudit({
        ...bounds,
        patientPseudonym: q.patient,
        serviceId: q.service,
        limit: count + 1,
        after: q._cursor ? decodeCursor(q._cursor) : undefined,
      });
      const page = found.slice(0, count);
      const last = page[page.length - 1];
      const pageUrl = (cursor?: string) => {
        const params = new URLSearchParams();
        for (const key of ['since', 'until', 'patient', 'service'] as const) if (q[key]) params.set(key, q[key]!);
        params.set('_count', String(count));
        if (cursor) params.set('_cursor', cursor);
        return `${config.publicBaseUrl}/admin/audit-events?${params}`;
      };
      const next = found.length > count && last ? pageUrl(encodeCursor({ time: last.time, id: last.id })) : undefined;
      reply.type('application/fhir+json');
      return auditSearchBundle(page, config.publicBaseUrl, pageUrl(q._cursor), next);
    },
  );

  const csvName = (name: string, since: string, until: string) =>
    `attachment; filename="${name}-${since.slice(0, 10)}-${until.slice(0, 10)}.csv"`;

  app.get<{ Querystring: PeriodQuery }>(
    '/admin/analytics',
    { schema: { querystring: PERIOD_QUERY, response: { 200: ANALYTICS_REPORT } } },
    async (req, reply) => {
      const { since, until } = period(req.query);
      const report = computeAnalytics(await store.cardOutcomes(since, until), since, until, labels);
      if (!wantsCsv(req.query._format, req.headers.accept)) return report;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', csvName('analytics', since, until)).send(analyticsCsv(report));
    },
  );

  app.get<{ Querystring: PeriodQuery }>(
    '/admin/equity',
    { schema: { querystring: PERIOD_QUERY, response: { 200: EQUITY_REPORT } } },
    async (req, reply) => {
      const { since, until } = period(req.query);
      const report = computeEquity(await store.cardOutcomes(since, until), since, until, labels);
      if (!wantsCsv(req.query._format, req.headers.accept)) return report;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', csvName('equity', since, until)).send(equityCsv(report));
    },
  );

  app.get<{ Querystring: PeriodQuery }>(
    '/admin/oncology',
    { schema: { querystring: PERIOD_QUERY, response: { 200: ONCOLOGY_REPORT } } },
    async (req, reply) => {
      const { since, until } = period(req.query);
      const report = computeOncologyIndication(await store.cardOutcomes(since, until), since, until, labels);
      if (!wantsCsv(req.query._format, req.headers.accept)) return report;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', csvName('oncology', since, until)).send(oncologyIndicationCsv(report));
    },
  );

  app.get<{ Querystring: PeriodQuery }>(
    '/admin/value',
    { schema: { querystring: PERIOD_QUERY, response: { 200: VALUE_REPORT } } },
    async (req, reply) => {
      const { since, until } = period(req.query);
      const report = computeValue(await store.cardOutcomes(since, until), since, until, plans);
      if (!wantsCsv(req.query._format, req.headers.accept)) return report;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', csvName('value', since, until)).send(valueCsv(report));
    },
  );
};
