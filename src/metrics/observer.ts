import type { Observer } from '../cdshooks/observe';
import { metrics as processMetrics, type Metrics } from './registry';

/**
 * The protocol edge's Observer, reporting to Prometheus. Every label value is reduced to a short fixed
 * vocabulary here: the edge passes human-readable reasons, and free text in a label would make the
 * series count unbounded (and might carry something it should not).
 */
export function fhirErrorKind(reason: string): 'timeout' | 'http' | 'network' | 'invalid' | 'other' {
  if (/time(d)?[ -]?out|deadline|abort/i.test(reason)) return 'timeout';
  if (/ECONN|ENOTFOUND|EAI_AGAIN|socket|network|dns|tls|certificate/i.test(reason)) return 'network';
  if (/\bHTTP\b|\bstatus\b|\b[45]\d\d\b/i.test(reason)) return 'http';
  if (/invalid|malformed|parse|json|not a bundle|schema/i.test(reason)) return 'invalid';
  return 'other';
}

/** machine words only (e.g. "replay", "ERR_JWT_EXPIRED"); anything else becomes "other" */
export const authReasonLabel = (reason: string): string => (/^[A-Za-z0-9_.-]{1,40}$/.test(reason) ? reason : 'other');

const LENIENCY_KINDS = new Set(['single-as-list', 'wrong-type', 'unknown-element', 'null']);
/** resource types are checked against the R4 model before they reach here; the pattern is a second fence */
const resourceTypeLabel = (t: string): string => (/^[A-Z][A-Za-z]{1,40}$/.test(t) ? t : 'other');

export function metricsObserver(m: Metrics = processMetrics): Observer {
  return {
    hookAnswered: (o) => m.observeHook(o.serviceId, o.outcome, o.durationMs / 1000),
    fhirFetchFailed: (_key, reason) => m.fhirFetchError(fhirErrorKind(reason)),
    authRejected: (reason) => m.authRejected(authReasonLabel(reason)),
    // the edge passes a tracked issuer (printable, ≤ 200 chars, at most 20 of them) or "other"
    unverifiedIssuer: (issuer) => m.unverifiedIssuerCall(issuer),
    fhirLeniency: (kind, resourceType) => m.fhirLeniency(LENIENCY_KINDS.has(kind) ? kind : 'other', resourceTypeLabel(resourceType)),
    fhirResourceDropped: (resourceType) => m.fhirResourceDropped(resourceTypeLabel(resourceType)),
  };
}
