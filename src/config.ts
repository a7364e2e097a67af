/**
 * Twelve-factor configuration: environment variables with safe defaults, validated once at start-up
 * against one JSON Schema (types, ranges, patterns, defaults; Ajv coerces the text of the environment,
 * as Fastify's own config validator does). Rules across variables follow in code. Every problem is
 * reported together, by variable name, and the process refuses to start.
 */
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
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
  /** browser origins allowed by CORS, or every origin */
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

const DEMO_PSEUDONYM_KEY = 'demo-only-pseudonym-key-do-not-use-in-production';

/** The environment as the schema types it (after coercion and defaults). */
interface Env {
  PORT: number;
  HOST: string;
  LOG_LEVEL: Config['logLevel'];
  PBH_PROFILE: Profile;
  PBH_PUBLIC_BASE_URL?: string;
  PBH_TRUSTED_ISSUERS?: TrustedIssuer[];
  PBH_ALLOW_UNSIGNED: boolean;
  PBH_PSEUDONYM_KEY?: string;
  PBH_ADMIN_TOKEN?: string;
  DATABASE_URL?: string;
  REDIS_URL?: string;
  PBH_REDIS_KEY_PREFIX: string;
  PBH_DATA_DIR: string;
  PBH_AUDIT_JOURNAL_DIR?: string;
  PBH_AUDIT_RETENTION_DAYS: number;
  PBH_KNOWLEDGE_DIR: string;
  PBH_PLAN_DIR: string;
  PBH_FHIR_ALLOWED_HOSTS: string;
  PBH_REQUIRE_HTTPS_FHIR: boolean;
  PBH_FHIR_DEADLINE_MS: number;
  PBH_FHIR_MAX_PAGES: number;
  PBH_BODY_LIMIT_BYTES: number;
  PBH_RATE_LIMIT_MAX: number;
  PBH_RATE_LIMIT_WINDOW_MS: number;
  PBH_CORS_ORIGINS: string;
}

const int = (minimum: number, maximum: number, dflt: number) => ({ type: 'integer', minimum, maximum, default: dflt }) as const;

/**
 * Every environment variable the service reads (the README's configuration table lists the same set; a
 * test keeps them equal). `problem` says what a bad value must be instead; `writeOnly` marks secrets,
 * whose values are never repeated in a message. Defaults that depend on the profile are in PROFILE_DEFAULTS.
 */
export const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: int(0, 65535, 8080),
    HOST: { type: 'string', default: '0.0.0.0' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    PBH_PROFILE: { type: 'string', enum: ['demo', 'production'], default: 'production' },
    PBH_PUBLIC_BASE_URL: { type: 'string', problem: 'must be an absolute http(s) URL' },
    PBH_TRUSTED_ISSUERS: {
      type: 'array',
      items: {
        type: 'object',
        required: ['iss', 'jwksUrl'],
        properties: { iss: { type: 'string' }, jwksUrl: { type: 'string', pattern: '^https?://' } },
      },
      problem: 'must be a JSON array of {"iss": "...", "jwksUrl": "https://..."}',
    },
    PBH_ALLOW_UNSIGNED: { type: 'boolean' },
    PBH_PSEUDONYM_KEY: { type: 'string', minLength: 16, writeOnly: true, problem: 'must be at least 16 characters' },
    PBH_ADMIN_TOKEN: { type: 'string', minLength: 12, writeOnly: true, problem: 'must be at least 12 characters' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://', writeOnly: true, problem: 'must be a postgres:// or postgresql:// URL' },
    // the host is required (no userinfo-only URL); the URL may carry a password, so it is never echoed
    REDIS_URL: {
      type: 'string',
      pattern: '^rediss?://([^@/?#]*@)?[^@/?#:\\s]+',
      writeOnly: true,
      problem: 'must be a redis:// or rediss:// URL with a host',
    },
    PBH_REDIS_KEY_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,64}$', default: 'pbh:', problem: 'must be 1-64 characters of A-Z a-z 0-9 : . _ -' },
    PBH_DATA_DIR: { type: 'string', default: '.pbh-data' },
    PBH_AUDIT_JOURNAL_DIR: { type: 'string', pattern: '^(?!.*://)[^\\u0000]*$', problem: 'must be a local directory path or "off"' },
    PBH_AUDIT_RETENTION_DAYS: int(1, 36500, 2190),
    PBH_KNOWLEDGE_DIR: { type: 'string', default: 'terminology' },
    PBH_PLAN_DIR: { type: 'string', default: 'plans/sample' },
    PBH_FHIR_ALLOWED_HOSTS: { type: 'string' },
    PBH_REQUIRE_HTTPS_FHIR: { type: 'boolean' },
    PBH_FHIR_DEADLINE_MS: int(50, 10000, 1200),
    PBH_FHIR_MAX_PAGES: int(1, 50, 5),
    PBH_BODY_LIMIT_BYTES: int(1024, 10485760, 1048576),
    PBH_RATE_LIMIT_MAX: int(1, 1000000, 1000),
    PBH_RATE_LIMIT_WINDOW_MS: int(1000, 3600000, 60000),
    PBH_CORS_ORIGINS: { type: 'string', default: '*' },
  },
} as const;

type EnvName = keyof typeof ENV_SCHEMA.properties;
type EnvProperty = { type: string; enum?: readonly string[]; minimum?: number; maximum?: number; writeOnly?: boolean; problem?: string };
const property = (name: EnvName): EnvProperty => ENV_SCHEMA.properties[name] as EnvProperty;

/** the demo profile relaxes these defaults; production keeps the safe ones */
const PROFILE_DEFAULTS: Record<Profile, Partial<Record<EnvName, string>>> = {
  demo: {
    PBH_ALLOW_UNSIGNED: 'true',
    PBH_PSEUDONYM_KEY: DEMO_PSEUDONYM_KEY,
    PBH_ADMIN_TOKEN: 'demo-admin-token',
    PBH_FHIR_ALLOWED_HOSTS: 'localhost,127.0.0.1,::1',
    PBH_REQUIRE_HTTPS_FHIR: 'false',
  },
  production: { PBH_ALLOW_UNSIGNED: 'false', PBH_FHIR_ALLOWED_HOSTS: '', PBH_REQUIRE_HTTPS_FHIR: 'true' },
};

/** an empty value means "unset", except where an empty list or an empty answer means something */
const EMPTY_IS_A_VALUE = new Set<EnvName>(['PBH_PROFILE', 'PBH_FHIR_ALLOWED_HOSTS', 'PBH_CORS_ORIGINS']);
const TRUE_WORDS = /^(1|true|yes|on)$/i;
const FALSE_WORDS = /^(0|false|no|off)$/i;

let compiled: ReturnType<typeof compileEnvSchema> | undefined;
function compileEnvSchema() {
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
  ajv.addKeyword({ keyword: 'problem', schemaType: 'string' });
  return ajv.compile<Env>(ENV_SCHEMA);
}

/** the environment's text, readied for the schema: unset and empty values dropped, words read as booleans, JSON parsed */
function envInput(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const given: Partial<Record<EnvName, unknown>> = {};
  for (const name of Object.keys(ENV_SCHEMA.properties) as EnvName[]) {
    const raw = name === 'PBH_AUDIT_JOURNAL_DIR' ? env[name]?.trim() : env[name];
    if (raw === undefined || (raw === '' && !EMPTY_IS_A_VALUE.has(name))) continue;
    const type = property(name).type;
    if (type === 'boolean') given[name] = TRUE_WORDS.test(raw) ? true : FALSE_WORDS.test(raw) ? false : raw;
    else if (type === 'array') given[name] = parseJson(raw);
    else given[name] = raw;
  }
  const profile: Profile = given.PBH_PROFILE === 'demo' ? 'demo' : 'production';
  return { ...PROFILE_DEFAULTS[profile], ...given };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // the schema reports it
  }
}

/** one line per variable, in words; a secret's value is never repeated */
function describeProblem(name: EnvName, raw: string | undefined): string {
  const p = property(name);
  const what =
    p.problem ??
    (p.type === 'integer'
      ? `must be an integer between ${p.minimum} and ${p.maximum}`
      : p.type === 'boolean'
        ? 'must be true or false'
        : p.enum && p.enum.length === 2
          ? `must be "${p.enum[0]}" or "${p.enum[1]}"`
          : p.enum
            ? `must be one of ${p.enum.join(', ')}`
            : 'is invalid');
  return p.writeOnly || p.type === 'array' || raw === undefined ? `${name} ${what}` : `${name} ${what} (got "${raw}")`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const input = envInput(env);
  const validate = (compiled ??= compileEnvSchema());
  const failed = new Set<EnvName>();
  if (!validate(input)) {
    for (const e of validate.errors as ErrorObject[]) {
      const name = e.instancePath.split('/')[1] as EnvName;
      if (failed.has(name)) continue;
      failed.add(name);
      problems.push(describeProblem(name, env[name]));
      // the rules below see the default, so one bad value is reported once
      const dflt = (ENV_SCHEMA.properties[name] as { default?: unknown }).default;
      if (dflt === undefined) delete input[name];
      else input[name] = dflt;
    }
    validate(input); // fills the defaults of what was removed
  }
  const e = input as unknown as Env;
  const profile = e.PBH_PROFILE;

  const publicBaseUrl = (e.PBH_PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicBaseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push(`PBH_PUBLIC_BASE_URL must be an absolute http(s) URL (got "${publicBaseUrl}")`);
  }
  const trustedIssuers = e.PBH_TRUSTED_ISSUERS ?? [];
  const pseudonymKey = e.PBH_PSEUDONYM_KEY ?? '';
  if (!pseudonymKey && !failed.has('PBH_PSEUDONYM_KEY')) problems.push('PBH_PSEUDONYM_KEY is required in the production profile (a long random secret)');
  if (!e.PBH_ALLOW_UNSIGNED && trustedIssuers.length === 0 && !failed.has('PBH_TRUSTED_ISSUERS')) {
    problems.push('no trusted JWT issuers: set PBH_TRUSTED_ISSUERS, or PBH_ALLOW_UNSIGNED=true for development (never in production)');
  }

  const journal = e.PBH_AUDIT_JOURNAL_DIR;
  const auditJournalDir =
    journal === undefined
      ? e.PBH_DATA_DIR.includes('://') ? undefined : path.resolve(e.PBH_DATA_DIR, 'audit-journal')
      : /^(off|none|false)$/i.test(journal) ? undefined : path.resolve(journal);
  const list = (text: string): string[] =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    profile,
    publicBaseUrl,
    allowUnsigned: e.PBH_ALLOW_UNSIGNED,
    trustedIssuers,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.PBH_REDIS_KEY_PREFIX,
    dataDir: e.PBH_DATA_DIR,
    knowledgeDir: e.PBH_KNOWLEDGE_DIR,
    planDir: e.PBH_PLAN_DIR,
    fhirAllowedHosts: list(e.PBH_FHIR_ALLOWED_HOSTS),
    requireHttpsFhir: e.PBH_REQUIRE_HTTPS_FHIR,
    fhirDeadlineMs: e.PBH_FHIR_DEADLINE_MS,
    fhirMaxPages: e.PBH_FHIR_MAX_PAGES,
    bodyLimitBytes: e.PBH_BODY_LIMIT_BYTES,
    adminToken: e.PBH_ADMIN_TOKEN,
    pseudonymKey,
    rateLimitMax: e.PBH_RATE_LIMIT_MAX,
    rateLimitWindowMs: e.PBH_RATE_LIMIT_WINDOW_MS,
    corsOrigins: e.PBH_CORS_ORIGINS.trim() === '*' ? '*' : list(e.PBH_CORS_ORIGINS),
    auditRetentionDays: e.PBH_AUDIT_RETENTION_DAYS,
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
