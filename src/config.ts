/**
 * Twelve-factor configuration: environment variables with safe defaults, validated once at start-up.
 * Every problem is reported together, by variable name, and the process refuses to start.
 */
import path from 'node:path';
import { outboundPolicy, outboundUrlProblem } from './fhir/ssrf';

export type Profile = 'demo' | 'production';

export interface TrustedIssuer {
  iss: string;
  jwksUrl: string;
}

export interface Config {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  profile: Profile;
  /** external base URL of this service; the JWT `aud` is `${publicBaseUrl}/cds-services/{id}` */
  publicBaseUrl: string;
  /** accept requests without a client JWT (loudly logged). Default: on in demo, off in production */
  allowUnsigned: boolean;
  trustedIssuers: TrustedIssuer[];
  /** PostgreSQL connection string; when absent the embedded store is used */
  databaseUrl?: string;
  /** Redis shared by replicas for the JWT replay cache and the rate limit; when absent both stay in memory */
  redisUrl?: string;
  /** prefix of every Redis key this service writes (several deployments may share one Redis) */
  redisKeyPrefix?: string;
  /** embedded store data directory, or "memory://" */
  dataDir: string;
  knowledgeDir: string;
  planDir: string;
  /** hosts (name or IP) allowed as fhirServer even if private/loopback; "*" disables the SSRF guard */
  fhirAllowedHosts: string[];
  /** require https fhirServer URLs (default: production) */
  requireHttpsFhir: boolean;
  /** overall deadline for fetching missing prefetch data from the FHIR server */
  fhirDeadlineMs: number;
  /** max Bundle pages followed per query */
  fhirMaxPages: number;
  bodyLimitBytes: number;
  /** bearer token for /admin endpoints; admin endpoints are disabled when unset */
  adminToken?: string;
  /** HMAC key used to pseudonymise patient ids in the audit trail */
  pseudonymKey: string;
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** step-therapy / VBID switches per state can be added here; see README */
  corsOrigins: string[] | '*';
  /** days audit records, issued cards and feedback are kept (PBH_AUDIT_RETENTION_DAYS; default 2190 = 6 years,
   *  the HIPAA documentation retention period) */
  auditRetentionDays: number;
  /**
   * write-ahead journal of audit records on local disk (PBH_AUDIT_JOURNAL_DIR; default
   * `<PBH_DATA_DIR>/audit-journal`, none for a `memory://` data directory or with "off"): an answered hook
   * call's record is fsynced here first. One process per directory, with either store.
   */
  auditJournalDir?: string;
  /** write logs to this file instead of stdout (tests: every line of the suite is scanned for PHI/tokens) */
  logFile?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEMO_PSEUDONYM_KEY = 'demo-only-pseudonym-key-do-not-use-in-production';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return dflt;
    }
    return n;
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return dflt;
  };
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const profileRaw = env.PBH_PROFILE ?? 'production';
  if (profileRaw !== 'demo' && profileRaw !== 'production') {
    problems.push(`PBH_PROFILE must be "demo" or "production" (got "${profileRaw}")`);
  }
  const profile: Profile = profileRaw === 'demo' ? 'demo' : 'production';
  const demo = profile === 'demo';

  const port = int('PORT', 8080, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const publicBaseUrl = (env.PBH_PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicBaseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push(`PBH_PUBLIC_BASE_URL must be an absolute http(s) URL (got "${publicBaseUrl}")`);
  }

  let trustedIssuers: TrustedIssuer[] = [];
  if (env.PBH_TRUSTED_ISSUERS) {
    try {
      const parsed = JSON.parse(env.PBH_TRUSTED_ISSUERS) as unknown;
      if (
        !Array.isArray(parsed) ||
        !parsed.every(
          (i) => i && typeof i.iss === 'string' && typeof i.jwksUrl === 'string' && /^https?:\/\//.test(i.jwksUrl),
        )
      ) {
        throw new Error('shape');
      }
      trustedIssuers = parsed as TrustedIssuer[];
    } catch {
      problems.push('PBH_TRUSTED_ISSUERS must be a JSON array of {"iss": "...", "jwksUrl": "https://..."}');
    }
  }

  const allowUnsigned = bool('PBH_ALLOW_UNSIGNED', demo);
  const pseudonymKey = env.PBH_PSEUDONYM_KEY || (demo ? DEMO_PSEUDONYM_KEY : '');
  if (!pseudonymKey) problems.push('PBH_PSEUDONYM_KEY is required in the production profile (a long random secret)');
  else if (pseudonymKey.length < 16) problems.push('PBH_PSEUDONYM_KEY must be at least 16 characters');

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl) {
    let ok = false;
    try {
      const u = new URL(redisUrl);
      ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && !!u.hostname;
    } catch {
      /* reported below */
    }
    // never echo the URL: it may carry a password
    if (!ok) problems.push('REDIS_URL must be a redis:// or rediss:// URL with a host');
  }
  const redisKeyPrefix = env.PBH_REDIS_KEY_PREFIX || 'pbh:';
  if (!/^[A-Za-z0-9:._-]{1,64}$/.test(redisKeyPrefix)) problems.push('PBH_REDIS_KEY_PREFIX must be 1-64 characters of A-Z a-z 0-9 : . _ -');
  if (!allowUnsigned && trustedIssuers.length === 0) {
    problems.push(
      'no trusted JWT issuers: set PBH_TRUSTED_ISSUERS, or PBH_ALLOW_UNSIGNED=true for development (never in production)',
    );
  }
  const adminToken = env.PBH_ADMIN_TOKEN || (demo ? 'demo-admin-token' : undefined);
  if (adminToken !== undefined && adminToken.length < 12) problems.push('PBH_ADMIN_TOKEN must be at least 12 characters');

  const dataDir = env.PBH_DATA_DIR || '.pbh-data';
  const journalRaw = (env.PBH_AUDIT_JOURNAL_DIR ?? '').trim();
  let auditJournalDir: string | undefined;
  if (/^(off|none|false)$/i.test(journalRaw)) auditJournalDir = undefined;
  else if (journalRaw.includes('://') || journalRaw.includes('\0')) {
    problems.push(`PBH_AUDIT_JOURNAL_DIR must be a local directory path or "off" (got "${journalRaw}")`);
  } else if (journalRaw) auditJournalDir = path.resolve(journalRaw);
  else if (!dataDir.includes('://')) auditJournalDir = path.resolve(dataDir, 'audit-journal');

  const corsRaw = env.PBH_CORS_ORIGINS ?? '*';
  const corsOrigins: Config['corsOrigins'] = corsRaw.trim() === '*' ? '*' : list('PBH_CORS_ORIGINS');

  const config: Config = {
    port,
    host,
    logLevel,
    profile,
    publicBaseUrl,
    allowUnsigned,
    trustedIssuers,
    databaseUrl,
    redisUrl,
    redisKeyPrefix,
    dataDir,
    knowledgeDir: env.PBH_KNOWLEDGE_DIR || 'terminology',
    planDir: env.PBH_PLAN_DIR || 'plans/sample',
    fhirAllowedHosts: env.PBH_FHIR_ALLOWED_HOSTS !== undefined ? list('PBH_FHIR_ALLOWED_HOSTS') : demo ? ['localhost', '127.0.0.1', '::1'] : [],
    requireHttpsFhir: bool('PBH_REQUIRE_HTTPS_FHIR', !demo),
    fhirDeadlineMs: int('PBH_FHIR_DEADLINE_MS', 1200, 50, 10000),
    fhirMaxPages: int('PBH_FHIR_MAX_PAGES', 5, 1, 50),
    bodyLimitBytes: int('PBH_BODY_LIMIT_BYTES', 1048576, 1024, 10485760),
    adminToken,
    pseudonymKey,
    rateLimitMax: int('PBH_RATE_LIMIT_MAX', 1000, 1, 1000000),
    rateLimitWindowMs: int('PBH_RATE_LIMIT_WINDOW_MS', 60000, 1000, 3600000),
    corsOrigins,
    auditRetentionDays: int('PBH_AUDIT_RETENTION_DAYS', 2190, 1, 36500),
    auditJournalDir,
  };
  // the JWKS URLs are fetched under the same outbound policy as FHIR servers (https in production, SSRF guard)
  const policy = outboundPolicy(config);
  for (const i of trustedIssuers) {
    const checked = outboundUrlProblem(i.jwksUrl, policy);
    if ('problem' in checked) problems.push(`PBH_TRUSTED_ISSUERS: the JWKS URL of ${i.iss} is not allowed (${checked.problem}); see PBH_REQUIRE_HTTPS_FHIR and PBH_FHIR_ALLOWED_HOSTS`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * A signed call from an issuer that is not in `trustedIssuers` cannot be verified offline; it is answered
 * like an unsigned call only in the demo profile with unsigned calls allowed — never in production.
 */
export function acceptsUnverifiedIssuers(config: Pick<Config, 'profile' | 'allowUnsigned'>): boolean {
  return config.profile === 'demo' && config.allowUnsigned;
}
