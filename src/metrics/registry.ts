import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the service. Label values are bounded (service ids come from hooks/*.json,
 * outcomes and kinds from fixed lists) so a caller cannot blow up cardinality; never put patient,
 * user or token values in a label.
 */
export type HookOutcome = 'success' | 'partial' | 'error' | 'rejected';

export interface Metrics {
  readonly registry: Registry;
  observeHook(serviceId: string, outcome: HookOutcome, seconds: number): void;
  fhirFetchError(kind: string): void;
  setAuditQueueDepth(depth: number): void;
  auditDropped(count?: number): void;
  auditWriteError(): void;
  /** audit records the database refused on their own, moved to the dead-letter table */
  auditDeadLettered(count?: number): void;
  /** a client JWT was rejected; reason is a short machine word (bounded by the caller) */
  authRejected(reason: string): void;
  /** demo profile: a call signed by an untrusted issuer was answered unverified (issuer bounded by the caller) */
  unverifiedIssuerCall(issuer: string): void;
  /** a FHIR element read leniently; both labels from bounded vocabularies (checked by the caller) */
  fhirLeniency(kind: string, resourceType: string): void;
  fhirResourceDropped(resourceType: string): void;
  /** process metrics (CPU, memory, event loop lag); once per registry */
  enableDefaultMetrics(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const hookRequests = new Counter({
    name: 'pbh_hook_requests_total',
    help: 'CDS Hooks service calls by service and outcome',
    labelNames: ['service', 'outcome'] as const,
    registers: [registry],
  });
  const hookDuration = new Histogram({
    name: 'pbh_hook_duration_seconds',
    help: 'Time to answer a CDS Hooks call',
    labelNames: ['service'] as const,
    // hooks must answer in well under a second; resolution where it matters
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2.5, 5],
    registers: [registry],
  });
  const fhirErrors = new Counter({
    name: 'pbh_fhir_fetch_errors_total',
    help: 'Failed FHIR fetches by kind (timeout, http, network, invalid, ...)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'pbh_audit_queue_depth',
    help: 'Audit records waiting to be written',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'pbh_audit_dropped_total',
    help: 'Audit records dropped because the queue was full (database unavailable too long)',
    registers: [registry],
  });
  const writeErrors = new Counter({
    name: 'pbh_audit_write_errors_total',
    help: 'Failed audit batch writes (records are kept and retried)',
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'pbh_audit_dead_letter_total',
    help: 'Audit records the database refused on their own (data error), kept in audit_dead_letter with the error',
    registers: [registry],
  });
  const authRejections = new Counter({
    name: 'pbh_auth_rejections_total',
    help: 'Rejected client JWTs by reason (expired, bad signature, replay, ...)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const unverifiedCalls = new Counter({
    name: 'pbh_auth_unverified_calls_total',
    help: 'Demo profile: signed calls from an issuer not in PBH_TRUSTED_ISSUERS, answered without verification (by issuer; "other" past 20 issuers)',
    labelNames: ['issuer'] as const,
    registers: [registry],
  });
  const leniencies = new Counter({
    name: 'pbh_fhir_leniencies_total',
    help: 'FHIR elements read leniently (single-as-list, wrong-type, unknown-element, null) by resource type',
    labelNames: ['kind', 'resource_type'] as const,
    registers: [registry],
  });
  const droppedResources = new Counter({
    name: 'pbh_fhir_resources_dropped_total',
    help: 'Prefetched or fetched resources left out because an element the decision reads was unusable',
    labelNames: ['resource_type'] as const,
    registers: [registry],
  });
  let defaults = false;
  return {
    registry,
    observeHook(serviceId, outcome, seconds) {
      hookRequests.inc({ service: serviceId, outcome });
      hookDuration.observe({ service: serviceId }, seconds);
    },
    fhirFetchError: (kind) => fhirErrors.inc({ kind }),
    setAuditQueueDepth: (depth) => queueDepth.set(depth),
    auditDropped: (count = 1) => dropped.inc(count),
    auditWriteError: () => writeErrors.inc(),
    auditDeadLettered: (count = 1) => deadLettered.inc(count),
    authRejected: (reason) => authRejections.inc({ reason }),
    unverifiedIssuerCall: (issuer) => unverifiedCalls.inc({ issuer }),
    fhirLeniency: (kind, resourceType) => leniencies.inc({ kind, resource_type: resourceType }),
    fhirResourceDropped: (resourceType) => droppedResources.inc({ resource_type: resourceType }),
    enableDefaultMetrics() {
      if (defaults) return;
      defaults = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}

/** The process-wide metrics: what the hook route, the FHIR client and the store report to. */
export const metrics: Metrics = createMetrics();
