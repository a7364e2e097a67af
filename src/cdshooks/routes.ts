/**
 * CDS Hooks 2.0 routes: discovery, service calls, feedback. Order per call: service exists (404) →
 * client JWT (401) → body schema (400) → invariants (400) → data (412 / DataGaps) → decide → answer;
 * the audit record is queued (and, with a journal, on disk) before the answer is released.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { decide, type DecisionKnowledge } from '../decision/decide';
import type { DecisionSummary } from '../decision/types';
import { PbhError } from '../errors';
import type { FhirClient } from '../fhir/client';
import type { Leniency } from '../fhir/json-shape';
import type { R4Model } from '../fhir/r4-model';
import { SchemaIds } from '../http/schemas';
import type { LinkSigner } from '../patient/link';
import { buildAuditRecord } from '../store/audit-record';
import { coarseDemographics } from '../store/demographics';
import type { Store } from '../store/types';
import type { Authenticator } from './auth';
import { recordFeedback } from './feedback';
import { checkHookRequest } from './invariants';
import type { Observer } from './observe';
import { buildPatientRecord } from './patient-record';
import { resolveData } from './prefetch';
import { discoveryDocument } from './services';
import type { Card, ClientIdentity, FeedbackRequest, HookName, HookRequest, ServiceDefinition } from './types';
import type { UnverifiedIssuers } from './unverified-issuers';

const UNSIGNED_WARNING_INTERVAL_MS = 60_000;

export interface CdsRoutesDeps {
  config: Config;
  services: ServiceDefinition[];
  auth: Authenticator;
  fhir: FhirClient;
  /** the FHIR R4 definitions incoming resources are read by (prepared once at start-up) */
  fhirModel: R4Model;
  knowledge: DecisionKnowledge;
  store?: Store;
  observer: Observer;
  /** demo profile: issuers of calls answered without verification (logged once each, listed on the playground) */
  unverifiedIssuers?: UnverifiedIssuers;
  /** the clock, injectable for tests */
  now?: () => Date;
  /** when set (a store records the decisions), each card naming a drug links to its patient explanation */
  explanationLinks?: LinkSigner;
}

const PATIENT_LINK_LABEL = 'Explanation for the patient (plain language)';

/** the cards with a link to their plain-language explanation for the patient, rendered from the audit record */
function withPatientLinks(cards: Card[], decisions: DecisionSummary[], serviceId: string, baseUrl: string, signer: LinkSigner): Card[] {
  const named = new Set(decisions.filter((d) => d.drug).map((d) => d.cardUuid));
  return cards.map((c) =>
    named.has(c.uuid)
      ? { ...c, links: [...(c.links ?? []), { label: PATIENT_LINK_LABEL, url: signer.url(baseUrl, serviceId, c.uuid), type: 'absolute' as const }] }
      : c,
  );
}

interface Params {
  id: string;
}

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' } },
} as const;

export async function cdsRoutes(app: FastifyInstance, deps: CdsRoutesDeps): Promise<void> {
  const { config, services, auth, observer } = deps;
  const byId = new Map(services.map((s) => [s.id, s]));
  const discovery = discoveryDocument(services);
  const clock = deps.now ?? (() => new Date());
  const clients = new WeakMap<FastifyRequest, ClientIdentity>();

  /** 404 for unknown services and 401 for bad tokens happen before the body is even parsed. */
  let lastUnsignedWarning = Number.NEGATIVE_INFINITY;
  let unsignedSinceWarning = 0;
  const authenticate = (feedback: boolean) => async (request: FastifyRequest<{ Params: Params }>) => {
    const service = byId.get(request.params.id);
    if (!service) throw new PbhError('PBH_ERR_SERVICE_NOT_FOUND');
    const path = `/cds-services/${service.id}`;
    // feedback: the spec's aud is the endpoint called; we also accept the service URL some clients send
    const client = await auth.verify(request.headers.authorization, feedback ? [`${path}/feedback`, path] : [path]);
    if (client.unverifiedIss !== undefined && deps.unverifiedIssuers) {
      const { first, label } = deps.unverifiedIssuers.record(client.unverifiedIss, new Date());
      observer.unverifiedIssuer?.(label);
      if (first) {
        // once per issuer: the issuer is a public URL, never the token
        request.log.warn(
          { issuer: label },
          'signed CDS Hooks calls from an issuer not in PBH_TRUSTED_ISSUERS are answered WITHOUT verifying the token (demo profile)',
        );
      }
    }
    if (client.unsigned) {
      // a reminder, not a log line per call: under load that would flood the log and cost CPU
      unsignedSinceWarning += 1;
      const t = Date.now();
      if (t - lastUnsignedWarning >= UNSIGNED_WARNING_INTERVAL_MS) {
        request.log.warn({ unsignedCalls: unsignedSinceWarning }, 'unsigned CDS Hooks calls accepted (PBH_ALLOW_UNSIGNED)');
        lastUnsignedWarning = t;
        unsignedSinceWarning = 0;
      }
    }
    clients.set(request, client);
  };

  /** count each leniency and log them once per request: element paths and counts, never values or ids */
  const reportLeniencies = (request: FastifyRequest, leniencies: Leniency[]) => {
    if (leniencies.length === 0) return;
    const counts = new Map<string, { kind: string; element: string; count: number }>();
    for (const l of leniencies) {
      observer.fhirLeniency?.(l.kind, l.resourceType);
      const k = `${l.kind} ${l.element}`;
      const c = counts.get(k);
      if (c) c.count++;
      else counts.set(k, { kind: l.kind, element: l.element, count: 1 });
    }
    request.log.info({ fhirLeniencies: [...counts.values()] }, 'FHIR input read leniently (see docs/fhir-input.md)');
  };

  app.get('/cds-services', { schema: { response: { 200: { $ref: `${SchemaIds.discovery}#` } } } }, async () => discovery);

  app.post<{ Params: Params; Body: HookRequest }>(
    '/cds-services/:id',
    {
      schema: { params: idParams, body: { $ref: `${SchemaIds.hookRequest}#` } },
      onRequest: authenticate(false),
    },
    async (request) => {
      // one clock for the whole call (the injected one), so durationMs is never negative
      const startedAt = clock().getTime();
      const service = byId.get(request.params.id)!;
      const body = request.body;
      const leniencies: Leniency[] = [];
      try {
        checkHookRequest(service, body, deps.fhirModel, leniencies);
      } finally {
        reportLeniencies(request, leniencies);
      }
      const fetchedLeniencies: Leniency[] = [];
      const data = await resolveData(service, body, {
        model: deps.fhirModel,
        leniencies: fetchedLeniencies,
        onDropped: (resourceType) => observer.fhirResourceDropped?.(resourceType),
        fhir: deps.fhir,
        policy: { requireHttps: config.requireHttpsFhir, allowedHosts: config.fhirAllowedHosts },
        deadlineMs: config.fhirDeadlineMs,
        maxPages: config.fhirMaxPages,
        onFetchError: (key, kind) => observer.fhirFetchFailed(key, kind),
      });
      reportLeniencies(request, fetchedLeniencies);
      const record = buildPatientRecord(body, data);
      const now = clock();
      const outcome = decide(
        record,
        {
          hook: service.hook as HookName,
          serviceId: service.id,
          hookInstance: body.hookInstance,
          selections: service.hook === 'order-select' ? body.context.selections : undefined,
          now: now.toISOString(),
          serviceBaseUrl: config.publicBaseUrl,
        },
        deps.knowledge,
      );
      for (const failure of outcome.errors) request.log.error({ failure }, 'decision engine failure survived (card says the order could not be checked)');
      const client = clients.get(request) ?? { unsigned: true };
      const answeredAt = clock();
      const audit = buildAuditRecord(
        {
          time: answeredAt.toISOString(),
          kind: 'hook',
          serviceId: service.id,
          hook: service.hook as HookName,
          hookInstance: body.hookInstance,
          client: { iss: client.iss, sub: client.sub, jti: client.jti },
          patientId: body.context.patientId,
          userId: body.context.userId,
          resourcesUsed: record.resourcesUsed,
          decisions: outcome.decisions,
          systemActions: outcome.response.systemActions.map((s) => ({ type: s.type, resourceType: s.resource?.resourceType })),
          knowledgeVersion: deps.knowledge.pgx.version,
          ...(outcome.planVersion ? { planVersion: outcome.planVersion } : {}),
          // coarse categories only (OMB codes, sex, age band), for equity monitoring
          demographics: coarseDemographics(record.patient, answeredAt.toISOString()),
          durationMs: answeredAt.getTime() - startedAt,
          outcome: record.unavailable.length > 0 ? 'partial' : 'success',
          errors: [...record.unavailable.map((g) => `${g.key}: ${g.reason}`), ...outcome.errors.map((e) => `engine: ${e}`)],
        },
        config.pseudonymKey,
      );
      // the answer waits for the record to be durable (journal group commit; at once without a journal):
      // every answered call has its audit record, even if the process is killed right after
      await deps.store?.enqueueAudit(audit);
      observer.hookAnswered({
        serviceId: service.id,
        hook: service.hook,
        outcome: audit.outcome,
        durationMs: audit.durationMs,
        cards: outcome.response.cards.length,
      });
      request.log.info(
        { serviceId: service.id, cards: outcome.response.cards.length, gaps: record.unavailable.length, fetched: data.fetched.length },
        'hook answered',
      );
      const cards = deps.explanationLinks
        ? withPatientLinks(outcome.response.cards, outcome.decisions, service.id, config.publicBaseUrl, deps.explanationLinks)
        : outcome.response.cards;
      return { cards, systemActions: outcome.response.systemActions };
    },
  );

  app.post<{ Params: Params; Body: FeedbackRequest }>(
    '/cds-services/:id/feedback',
    {
      schema: { params: idParams, body: { $ref: `${SchemaIds.feedbackRequest}#` }, response: { 200: { $ref: `${SchemaIds.feedbackResponse}#` } } },
      onRequest: authenticate(true),
    },
    async (request) => {
      const result = await recordFeedback(request.params.id, request.body, deps.store);
      request.log.info({ serviceId: request.params.id, received: result.received, duplicates: result.duplicates }, 'feedback recorded');
      return result;
    },
  );
}
