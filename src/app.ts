/**
 * Build the Fastify application: security plugins, body parsing, schemas, CDS Hooks routes, health,
 * OpenAPI + docs. No I/O at import time; `listen` is the caller's business (src/server.ts, tests).
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type Redis from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import { claimedIssuer, createAuthenticator, type Authenticator } from './cdshooks/auth';
import { registerErrorHandlers, sendError } from './http/error-handler';
import { registerJsonParser } from './http/json-body';
import type { Observer } from './cdshooks/observe';
import { loadOpenApiDocument } from './http/openapi';
import { RedisReplayCache } from './cdshooks/redis-replay-cache';
import type { ReplayCache } from './cdshooks/replay-cache';
import { cdsRoutes } from './cdshooks/routes';
import { loadSchemas, SchemaIds } from './http/schemas';
import { loadServiceDefinitions } from './cdshooks/services';
import type { ServiceDefinition } from './cdshooks/types';
import { UnverifiedIssuers } from './cdshooks/unverified-issuers';
import { acceptsUnverifiedIssuers, type Config } from './config';
import type { DecisionKnowledge } from './decision/decide';
import { PbhError } from './errors';
import { FhirClient } from './fhir/client';
import { loadKnowledge } from './loaders';
import { logPlanLoadReport } from './loaders/plans';
import { createLogger, genReqId } from './logging';
import { adminDashboard } from './admin/dashboard';
import { buildLabels, buildPlanLookup } from './admin/labels';
import { adminPlugin } from './admin/plugin';
import type { R4Model } from './fhir/r4-model';
import { fhirR4Model } from './fhir/read-paths';
import { metricsObserver } from './metrics/observer';
import { metricsPlugin } from './metrics/plugin';
import { linkSigner } from './patient/link';
import { patientExplanations } from './patient/plugin';
import { playground } from './playground/plugin';
import { connectRedis, createRedisClient } from './store/redis-client';
import type { AdminStore } from './store/types';
import type { Store } from './store/types';

export interface AppDeps {
  /** audit + feedback persistence; when absent both are skipped (feedback is still validated) */
  store?: Store;
  knowledge?: DecisionKnowledge;
  services?: ServiceDefinition[];
  observer?: Observer;
  replayCache?: ReplayCache;
  /** a ready logger (tests capture the stream); default: pino on stdout */
  logger?: Logger;
  logStream?: DestinationStream;
  fhirClient?: FhirClient;
  /** the FHIR R4 definitions (built once per process by default) */
  fhirModel?: R4Model;
  /** a Redis client for shared state (tests); default: one from REDIS_URL, owned and closed by the app */
  redis?: Redis;
  now?: () => Date;
}


export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const logger = deps.logger ?? createLogger(config, deps.logStream);
  // Security headers from helmet, its middleware built once here: the Fastify wrapper (@fastify/helmet)
  // rebuilt it from the options on every request (~4 % of a hook call's CPU in the profile). API-first:
  // nothing may be framed or loaded by default; /docs (staticCSP) and the playground set their own CSP.
  const securityHeaders = helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  const app = Fastify({
    loggerInstance: logger,
    genReqId,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    routerOptions: { maxParamLength: 100 },
    // the router's own errors (bad URL encoding, over-long path segment) answer through our one renderer
    // (they are raised before routing, so the onRequest/onSend hooks below do not run for them)
    frameworkErrors: (err, request, reply) => {
      reply.header('x-request-id', request.id);
      securityHeaders(request.raw, reply.raw, () => sendError(err, request, reply));
    },
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
  }) as unknown as FastifyInstance;

  const knowledge = deps.knowledge ?? loadKnowledge(config);
  const fhirModel = deps.fhirModel ?? fhirR4Model();
  if (knowledge.plans?.report) logPlanLoadReport(app.log, knowledge.plans.report);
  const services = deps.services ?? loadServiceDefinitions();
  const observer = deps.observer ?? metricsObserver();
  // one size guard for all JSON from outside: a FHIR response may be as large as a request body
  const fhir = deps.fhirClient ?? new FhirClient({ allowedHosts: config.fhirAllowedHosts, maxResponseBytes: config.bodyLimitBytes });
  // replicas share the replay cache and the rate-limit counters through Redis when REDIS_URL is set
  const ownRedis = !deps.redis && config.redisUrl ? createRedisClient(config.redisUrl) : undefined;
  const redis = deps.redis ?? ownRedis;
  const redisPrefix = config.redisKeyPrefix ?? 'pbh:';
  const auth: Authenticator = createAuthenticator(config, {
    replayCache: deps.replayCache ?? (redis ? new RedisReplayCache(redis, `${redisPrefix}jti:`) : undefined),
    onReject: (reason) => observer.authRejected(reason),
  });

  if (config.allowUnsigned) {
    app.log.warn('PBH_ALLOW_UNSIGNED is on: CDS Hooks calls WITHOUT a client JWT are accepted. Never use this in production.');
  }
  const unverifiedIssuers = acceptsUnverifiedIssuers(config) ? new UnverifiedIssuers() : undefined;

  registerErrorHandlers(app);
  registerJsonParser(app, config.bodyLimitBytes);
  for (const schema of loadSchemas().values()) app.addSchema(schema);

  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(cors, {
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  });
  await app.register(rateLimit, {
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    // a trusted issuer gets one bucket per EHR; everyone else is limited per IP
    keyGenerator: (req) => {
      const iss = claimedIssuer(req.headers.authorization);
      return iss && config.trustedIssuers.some((t) => t.iss === iss) ? `iss:${iss}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: () => new PbhError('PBH_ERR_RATE_LIMITED'),
    // the plugin's own Redis store: one counter per client across replicas. If Redis fails, calls are let
    // through (the limit protects capacity; refusing every call would be the outage it guards against)
    ...(redis ? { redis, nameSpace: `${redisPrefix}rate:`, skipOnError: true } : {}),
  });

  await app.register(swagger, { mode: 'static', specification: { document: loadOpenApiDocument() as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.get('/openapi.yaml', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/yaml').send(app.swagger({ yaml: true })),
  );
  app.get('/healthz', { schema: { response: { 200: { $ref: `${SchemaIds.health}#` } } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: { $ref: `${SchemaIds.health}#` }, 503: { $ref: `${SchemaIds.health}#` } } } }, async (_req, reply) => {
    // the knowledge is loaded before the app is built, so readiness is the store's
    const store = deps.store ? await deps.store.health().catch(() => ({ ok: false, queueDepth: 0 })) : undefined;
    const ok = !store || store.ok;
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      knowledgeVersion: knowledge.pgx.version,
      ...(store ? { store: { ok: store.ok, queueDepth: store.queueDepth } } : {}),
    });
  });

  // patient explanations are rendered from the audit trail: without a store there is nothing to link to
  const explanationLinks = deps.store ? linkSigner(config.pseudonymKey) : undefined;
  await app.register(cdsRoutes, {
    config,
    services,
    auth,
    fhir,
    fhirModel,
    knowledge,
    store: deps.store,
    observer,
    unverifiedIssuers,
    now: deps.now,
    explanationLinks,
  });
  if (deps.store && explanationLinks) await app.register(patientExplanations, { store: deps.store, signer: explanationLinks });
  await app.register(metricsPlugin);
  // admin endpoints need the admin side of the store and a configured token (else they do not exist)
  if (deps.store && config.adminToken && isAdminStore(deps.store)) {
    await app.register(adminPlugin, { store: deps.store, config, labels: buildLabels(knowledge), plans: buildPlanLookup(knowledge) });
    await app.register(adminDashboard);
  }
  // the playground builds sample requests for fictional patients: a demo-profile feature
  if (config.profile === 'demo') await app.register(playground, { unverifiedIssuers });

  app.addHook('onReady', async () => {
    if (ownRedis) await connectRedis(ownRedis);
    await auth.warm();
  });
  app.addHook('onClose', async () => {
    if (!deps.fhirClient) await fhir.close();
    if (ownRedis && ownRedis.status !== 'end') await ownRedis.quit().catch(() => ownRedis.disconnect());
  });
  return app;
}

const isAdminStore = (store: Store): store is AdminStore =>
  typeof (store as Partial<AdminStore>).searchAudit === 'function' && typeof (store as Partial<AdminStore>).cardOutcomes === 'function';
