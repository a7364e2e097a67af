/**
 * One store interface, two implementations (embedded PGlite, server PostgreSQL) with the same SQL.
 * The hot path only calls `enqueueAudit` (journal append at most); everything else is admin / feedback traffic.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HookName } from '../cdshooks/types';
import type { DecisionSummary } from '../decision/types';

/** The subset of a pino / Fastify logger the store uses (both fit). */
export type StoreLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface Demographics {
  /** coarse categories only (OMB race / ethnicity category codes or "unknown"), never raw text */
  race: string;
  ethnicity: string;
  sex: string;
  /** e.g. "0-17", "18-44", "45-64", "65+", "unknown" */
  ageBand: string;
}

export interface AuditRecord {
  id: string;
  time: string;
  /** "hook" | "feedback" */
  kind: 'hook' | 'feedback';
  serviceId: string;
  hook?: HookName;
  hookInstance?: string;
  client: { iss?: string; sub?: string; jti?: string };
  /** keyed hash (HMAC) of the user id / patient id; raw ids are never stored */
  userPseudonym?: string;
  patientPseudonym?: string;
  resourcesUsed: Array<{ resourceType: string; id?: string; versionId?: string }>;
  decisions: DecisionSummary[];
  systemActions: Array<{ type: string; resourceType?: string }>;
  knowledgeVersion: string;
  planVersion?: string;
  demographics?: Demographics;
  durationMs: number;
  outcome: 'success' | 'partial' | 'error';
  errors: string[];
}

export interface FeedbackRecord {
  serviceId: string;
  cardUuid: string;
  outcome: 'accepted' | 'overridden';
  outcomeTimestamp: string;
  acceptedSuggestions: string[];
  overrideReason?: { code?: string; system?: string; display?: string; comment?: string };
}

export interface Store {
  /** run migrations (idempotent) and start the background writer */
  init(): Promise<void>;
  /**
   * queue an audit record; never throws. With a journal the returned promise resolves once the record is
   * on disk (group commit): the hook route awaits it before answering. It never rejects.
   */
  enqueueAudit(record: AuditRecord): void | Promise<void>;
  /** the card a feedback refers to, if this service issued it (looks at the queue too) */
  findIssuedCard(serviceId: string, cardUuid: string): Promise<DecisionSummary | undefined>;
  /** persist feedback; idempotent on (serviceId, cardUuid, outcomeTimestamp, outcome) */
  saveFeedback(feedback: FeedbackRecord): Promise<{ duplicate: boolean }>;
  /** write everything queued */
  flush(): Promise<void>;
  /** flush, then release resources */
  close(): Promise<void>;
  health(): Promise<{ ok: boolean; queueDepth: number; detail?: string }>;
}

// ---- the admin / analytics side of the store ---------------------------------------------------

export interface AuditQuery {
  /** ISO instants, inclusive since, exclusive until */
  since?: string;
  until?: string;
  patientPseudonym?: string;
  serviceId?: string;
  /** newest first; default 100 */
  limit?: number;
  /** keyset paging: only records after this one in the order (time descending, then id) */
  after?: { time: string; id: string };
}

/** One shown card with its latest feedback (if any): the unit analytics and equity count. */
export interface CardOutcomeRow {
  cardKind: string;
  /** ISO instant the card was issued */
  issuedAt?: string;
  /** keyed hash of the patient id (counts unique patients; never shown) */
  patientPseudonym?: string;
  /** the card's plan version (plan catalogue version at decision time) */
  planVersion?: string;
  drug?: string;
  gene?: string;
  /** the PGx verdict behind the card (contraindicated, expected-ineffective, adjust, ...) */
  pgxVerdict?: string;
  pair?: string;
  planRuleId?: string;
  stepTherapy?: string;
  paPathway?: string;
  demographics: Demographics;
  outcome?: 'accepted' | 'overridden';
  overrideCode?: string;
  overrideDisplay?: string;
}

/** The store as the admin endpoints and the retention job see it; `createStore` returns one. */
export interface AdminStore extends Store {
  searchAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** cards issued in [since, until) with their latest feedback */
  cardOutcomes(since: string, until: string): Promise<CardOutcomeRow[]>;
  /** delete audit records, cards and feedback older than `cutoff` (ISO instant); @returns rows deleted */
  purgeBefore(cutoff: string): Promise<{ auditRecords: number; feedback: number }>;
}
