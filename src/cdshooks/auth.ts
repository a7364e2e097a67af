/**
 * Client authentication (CDS Hooks 2.0 §Trusting CDS Clients): the EHR signs a JWT per call.
 * Issuer allow-list with JWKS URLs; `jku` only if it is that issuer's allow-listed URL; asymmetric
 * algorithms only; `aud` = our configured URL of the endpoint; exp/iat/jti required; iat not in the
 * future; lifetime ≤ 1 h; (iss, jti) replay rejected. Every failure is the same bare 401.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Config } from '../config';
import { PbhError } from '../errors';
import { MemoryReplayCache, type ReplayCache } from './replay-cache';
import type { ClientIdentity } from './types';

export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_SKEW_S = 60;
const MAX_LIFETIME_S = 3600;

export interface AuthOptions {
  replayCache?: ReplayCache;
  jwksTimeoutMs?: number;
  /** called with a short machine reason on each rejection (logs/metrics; never the token) */
  onReject?: (reason: string) => void;
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
  const issuers = new Map(
    config.trustedIssuers.map((i) => [
      i.iss,
      {
        jwksUrl: i.jwksUrl,
        keys: createRemoteJWKSet(new URL(i.jwksUrl), {
          timeoutDuration: opts.jwksTimeoutMs ?? 1000,
          cooldownDuration: 30_000,
          cacheMaxAge: 10 * 60_000,
        }),
      },
    ]),
  );
  const reject = (reason: string): never => {
    opts.onReject?.(reason);
    throw new PbhError('PBH_ERR_UNAUTHORIZED');
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
        return reject('undecodable');
      }
      if (!header.alg || !ALLOWED_ALGORITHMS.includes(header.alg)) return reject('algorithm');
      const issuer = typeof unverified.iss === 'string' ? issuers.get(unverified.iss) : undefined;
      if (!issuer) return reject('issuer');
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
        return reject((e as { code?: string }).code ?? 'verify');
      }
      if (typeof payload.jti !== 'string' || !payload.jti) return reject('jti');
      if (payload.exp! - payload.iat! > MAX_LIFETIME_S) return reject('lifetime');
      if (!replay.remember(`${payload.iss}\u0000${payload.jti}`, (payload.exp! + CLOCK_SKEW_S) * 1000)) return reject('replay');
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
