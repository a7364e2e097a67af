/**
 * Client authentication (CDS Hooks 2.0 §Trusting CDS Clients): the EHR signs a JWT per call.
 * Issuer allow-list with JWKS URLs; `jku` only if it is that issuer's allow-listed URL; asymmetric
 * algorithms only; `aud` = our configured URL of the endpoint; exp/iat/jti required; iat not in the
 * future; lifetime ≤ 1 h; (iss, jti) replay rejected. Each failure is a 401 with its own catalogue code
 * and a `WWW-Authenticate: Bearer error="invalid_token"` header (RFC 6750); nothing of the token is echoed.
 *
 * `acceptsUnverifiedIssuers` (demo profile only): a well-formed token from an issuer that is not on the
 * allow-list is treated like an unsigned call — it cannot be verified offline (the public CDS Hooks
 * sandbox always signs, with a key published on its own site) — and reported as such to the caller.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { acceptsUnverifiedIssuers, ConfigError, type Config } from '../config';
import { Errors, PbhError, type ErrorCode } from '../errors';
import { guardedAgent, outboundPolicy, outboundUrlProblem } from '../fhir/ssrf';
import { MemoryReplayCache, type ReplayCache } from './replay-cache';
import type { ClientIdentity } from './types';

export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_SKEW_S = 60;
const MAX_LIFETIME_S = 3600;
/** an issuer is a URL; anything longer is not one we would show or count */
const MAX_ISSUER_LENGTH = 200;

/** Why a client JWT was refused: the metric label, and the key of its catalogue code. */
export type AuthFailure =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'issuer'
  | 'jku'
  | 'signature'
  | 'keys-unavailable'
  | 'audience'
  | 'expired'
  | 'not-yet-valid'
  | 'lifetime'
  | 'claims'
  | 'replay';

export const AUTH_FAILURE_CODES: Readonly<Record<AuthFailure, ErrorCode>> = {
  missing: 'PBH_ERR_AUTH_MISSING',
  malformed: 'PBH_ERR_AUTH_MALFORMED',
  algorithm: 'PBH_ERR_AUTH_ALGORITHM',
  issuer: 'PBH_ERR_AUTH_ISSUER_NOT_TRUSTED',
  jku: 'PBH_ERR_AUTH_JKU',
  signature: 'PBH_ERR_AUTH_SIGNATURE',
  'keys-unavailable': 'PBH_ERR_AUTH_KEYS_UNAVAILABLE',
  audience: 'PBH_ERR_AUTH_AUDIENCE',
  expired: 'PBH_ERR_AUTH_EXPIRED',
  'not-yet-valid': 'PBH_ERR_AUTH_NOT_YET_VALID',
  lifetime: 'PBH_ERR_AUTH_LIFETIME',
  claims: 'PBH_ERR_AUTH_CLAIMS',
  replay: 'PBH_ERR_AUTH_REPLAY',
};

/**
 * RFC 6750 §3: no error code when no credentials were sent; `invalid_token` otherwise. The description is
 * the catalogue's fixed message, never anything from the request.
 */
export function wwwAuthenticate(failure: AuthFailure): string {
  if (failure === 'missing') return 'Bearer realm="cds-services"';
  return `Bearer realm="cds-services", error="invalid_token", error_description="${Errors[AUTH_FAILURE_CODES[failure]].message}"`;
}

/** jose's error (code, claim, reason) → our reason; unknown failures of the key fetch are "keys-unavailable". */
function joseFailure(e: unknown): AuthFailure {
  const { code, claim, reason } = (e ?? {}) as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      // jose reports an iat older than maxTokenAge (exp still ahead) as expired: that is a too-long lifetime
      return claim === 'iat' ? 'lifetime' : 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return 'claims';
      if (claim === 'aud') return 'audience';
      if (claim === 'iat' || claim === 'nbf') return 'not-yet-valid';
      return 'claims';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed';
    default:
      return 'keys-unavailable';
  }
}

export interface AuthOptions {
  replayCache?: ReplayCache;
  jwksTimeoutMs?: number;
  /** called with a short machine reason on each rejection (logs/metrics; never the token) */
  onReject?: (reason: AuthFailure) => void;
}

export interface Authenticator {
  /**
   * verify the Authorization header; `audiencePaths` are the accepted endpoint paths (e.g.
   * "/cds-services/x"), prefixed with the configured public base URL — never the Host header
   */
  verify(authorization: string | undefined, audiencePaths: string[]): Promise<ClientIdentity>;
  /** fetch every issuer's keys once, so the first hook call does not pay for it */
  warm(): Promise<void>;
}

export function createAuthenticator(config: Config, opts: AuthOptions = {}): Authenticator {
  const replay = opts.replayCache ?? new MemoryReplayCache();
  // JWKS fetches follow the same outbound policy as FHIR calls: https when required, SSRF guard, allow-list
  const policy = outboundPolicy(config);
  const refused = config.trustedIssuers.flatMap((i) => {
    const checked = outboundUrlProblem(i.jwksUrl, policy);
    return 'problem' in checked ? [`PBH_TRUSTED_ISSUERS: the JWKS URL of ${i.iss} is not allowed (${checked.problem})`] : [];
  });
  if (refused.length) throw new ConfigError(refused);
  const issuers = new Map(
    config.trustedIssuers.map((i) => {
      const url = new URL(i.jwksUrl);
      return [
        i.iss,
        {
          jwksUrl: i.jwksUrl,
          keys: createRemoteJWKSet(url, {
            agent: guardedAgent(url, policy),
            timeoutDuration: opts.jwksTimeoutMs ?? 1000,
            cooldownDuration: 30_000,
            cacheMaxAge: 10 * 60_000,
          }),
        },
      ];
    }),
  );
  const reject = (reason: AuthFailure): never => {
    opts.onReject?.(reason);
    throw new PbhError(AUTH_FAILURE_CODES[reason], undefined, undefined, { 'www-authenticate': wwwAuthenticate(reason) });
  };

  return {
    async verify(authorization, audiencePaths) {
      if (!authorization) {
        if (config.allowUnsigned) return { unsigned: true };
        return reject('missing');
      }
      const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
      if (!m) return reject('malformed');
      const token = m[1];
      let header;
      let unverified;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        return reject('malformed');
      }
      if (!header.alg || !ALLOWED_ALGORITHMS.includes(header.alg)) return reject('algorithm');
      if (typeof unverified.iss !== 'string' || !unverified.iss) return reject('claims');
      const issuer = issuers.get(unverified.iss);
      if (!issuer) {
        if (acceptsUnverifiedIssuers(config) && unverified.iss.length <= MAX_ISSUER_LENGTH) {
          return { unsigned: true, unverifiedIss: unverified.iss };
        }
        return reject('issuer');
      }
      if (header.jku !== undefined && header.jku !== issuer.jwksUrl) return reject('jku');
      let payload;
      try {
        ({ payload } = await jwtVerify(token, issuer.keys, {
          issuer: unverified.iss,
          audience: audiencePaths.map((p) => `${config.publicBaseUrl}${p}`),
          algorithms: ALLOWED_ALGORITHMS,
          clockTolerance: CLOCK_SKEW_S,
          maxTokenAge: MAX_LIFETIME_S, // also makes jose reject an iat in the future
          requiredClaims: ['exp', 'iat', 'jti'],
        }));
      } catch (e) {
        return reject(joseFailure(e));
      }
      if (typeof payload.jti !== 'string' || !payload.jti) return reject('claims');
      if (payload.exp! - payload.iat! > MAX_LIFETIME_S) return reject('lifetime');
      let fresh: boolean;
      try {
        fresh = await replay.remember(`${payload.iss}\u0000${payload.jti}`, (payload.exp! + CLOCK_SKEW_S) * 1000);
      } catch {
        // the shared replay store is down: a replay could not be detected, so nothing signed is accepted
        throw new PbhError('PBH_ERR_UNAVAILABLE');
      }
      if (!fresh) return reject('replay');
      return { unsigned: false, iss: payload.iss, sub: payload.sub, jti: payload.jti };
    },

    async warm() {
      await Promise.all(
        [...issuers.values()].map(async ({ keys }) => {
          try {
            // any protected header makes jose fetch the set; the expected failure (no such kid) is irrelevant
            await keys({ alg: 'RS256', kid: '__warm__' }, { payload: '', signature: '' } as never);
          } catch {
            /* a cold JWKS is retried on first use */
          }
        }),
      );
    },
  };
}

/** The issuer a (not yet verified) token claims, for rate-limit keys only — never for trust decisions. */
export function claimedIssuer(authorization: string | undefined): string | undefined {
  const m = authorization && /^Bearer (\S+)$/.exec(authorization);
  if (!m) return undefined;
  try {
    const iss = decodeJwt(m[1]).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
