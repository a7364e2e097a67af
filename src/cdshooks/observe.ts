/**
 * The one place the protocol edge reports what happened, for metrics. `buildApp` uses the Prometheus
 * implementation (src/metrics/observer.ts) unless one is injected via `buildApp(config, { observer })`.
 */
import type { FhirFailureKind } from '../fhir/client';
import type { HookName } from './types';

export interface HookObservation {
  serviceId: string;
  hook: HookName;
  outcome: 'success' | 'partial' | 'error';
  durationMs: number;
  cards: number;
}

export interface Observer {
  hookAnswered(o: HookObservation): void;
  /** a prefetch key could not be fetched from the FHIR server, and the kind of failure */
  fhirFetchFailed(key: string, kind: FhirFailureKind): void;
  /** a client JWT was rejected (reason: short machine word, e.g. "replay", "ERR_JWT_EXPIRED") */
  authRejected(reason: string): void;
  /** demo profile: a signed call from an issuer that is not trusted was answered unverified (label bounded by the caller) */
  unverifiedIssuer?(issuer: string): void;
  /** a FHIR element was read leniently (kind: single-as-list, wrong-type, unknown-element, null) */
  fhirLeniency?(kind: string, resourceType: string): void;
  /** a prefetched or fetched resource was left out as unusable (named in the data-gap card) */
  fhirResourceDropped?(resourceType: string): void;
}
