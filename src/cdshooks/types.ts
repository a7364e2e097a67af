/** CDS Hooks 2.0 wire shapes handled by the protocol edge (what the JSON Schemas in profiles/ describe). */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { HookName } from '../decision/types';

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

export interface FhirAuthorization {
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
