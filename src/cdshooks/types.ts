/**
 * CDS Hooks 2.0 wire shapes, request and response (what the JSON Schemas in profiles/cds-hooks describe), in
 * one module. It imports nothing of ours: the core builds its cards in these types without depending on the
 * HTTP edge.
 */
import type { Bundle, FhirResource, Resource } from 'fhir/r4';

export type HookName = 'order-select' | 'order-sign';

/** One CDS service, as declared in hooks/*.json and advertised by discovery. */
export interface ServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description: string;
  usageRequirements?: string;
  /** prefetch key → FHIR query template ("Observation?patient={{context.patientId}}&...") */
  prefetch: Record<string, string>;
}

interface FhirAuthorization {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  subject: string;
  patient?: string;
}

export interface HookRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  context: {
    userId: string;
    patientId: string;
    encounterId?: string;
    selections?: string[];
    draftOrders: Bundle;
    [key: string]: unknown;
  };
  /** key → resource/Bundle; null means "the EHR knows there is no data" */
  prefetch?: Record<string, FhirResource | null>;
}

// ---- response ---------------------------------------------------------------------------------

export type Indicator = 'info' | 'warning' | 'critical';

export interface Link {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

/** create and update carry the resource; delete names it by relative reference ("MedicationRequest/123") */
export type Action =
  | { type: 'create' | 'update'; description: string; resource: Resource; resourceId?: never }
  | { type: 'delete'; description: string; resourceId: string; resource?: never };

export interface Suggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: Action[];
}

export interface Card {
  uuid: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: { label: string; url?: string; icon?: string; topic?: Coding };
  suggestions?: Suggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: Coding[];
  links?: Link[];
}

export interface HookResponse {
  cards: Card[];
  systemActions: Action[];
}

// ---- feedback ---------------------------------------------------------------------------------

export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: Array<{ id: string }>;
  overrideReason?: { reason?: { system?: string; code: string; display?: string }; userComment?: string };
  outcomeTimestamp: string;
}

export interface FeedbackRequest {
  feedback: FeedbackItem[];
}

/** Who called, as established by the client JWT (or its absence when unsigned calls are allowed). */
export interface ClientIdentity {
  unsigned: boolean;
  iss?: string;
  sub?: string;
  jti?: string;
  /**
   * demo profile: the issuer a signed token claims when that issuer is not trusted (so the token was not
   * verified and the call is treated as unsigned); never used for trust, audit identity or rate limits
   */
  unverifiedIss?: string;
}
