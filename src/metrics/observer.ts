import type { Observer } from '../cdshooks/observe';
import { FHIR_FAILURE_KINDS } from '../fhir/client';
import { metrics as processMetrics, type Metrics } from './registry';

/**
 * The protocol edge's Observer, reporting to Prometheus. Every label value is a short fixed vocabulary:
 * free text in a label would make the series count unbounded (and might carry something it should not).
 * FHIR failures arrive as the client's kind already; auth reasons and resource types are fenced here.
 */
/** machine words only (e.g. "replay", "ERR_JWT_EXPIRED"); anything else becomes "other" */
export const authReasonLabel = (reason: string): string => (/^[A-Za-z0-9_.-]{1,40}$/.test(reason) ? reason : 'other');

const LENIENCY_KINDS = new Set(['single-as-list', 'wrong-type', 'unknown-element', 'null']);
/** resource types are checked against the R4 model before they reach here; the pattern is a second fence */
const resourceTypeLabel = (t: string): string => (/^[A-Z][A-Za-z]{1,40}$/.test(t) ? t : 'other');

export function metricsObserver(m: Metrics = processMetrics): Observer {
  return {
    hookAnswered: (o) => m.observeHook(o.serviceId, o.outcome, o.durationMs / 1000),
    fhirFetchFailed: (_key, kind) => m.fhirFetchError(FHIR_FAILURE_KINDS.includes(kind) ? kind : 'other'),
    authRejected: (reason) => m.authRejected(authReasonLabel(reason)),
    // the edge passes a tracked issuer (printable, ≤ 200 chars, at most 20 of them) or "other"
    unverifiedIssuer: (issuer) => m.unverifiedIssuerCall(issuer),
    fhirLeniency: (kind, resourceType) => m.fhirLeniency(LENIENCY_KINDS.has(kind) ? kind : 'other', resourceTypeLabel(resourceType)),
    fhirResourceDropped: (resourceType) => m.fhirResourceDropped(resourceTypeLabel(resourceType)),
  };
}
